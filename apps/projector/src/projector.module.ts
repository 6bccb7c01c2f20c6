import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { LoggerModule } from 'nestjs-pino';
import { upcastEvent } from '@app/domain';
import { EVENT_STORE, MongoEventStore, UpcastingEventStore } from '@app/event-store';
import {
  ACCOUNT_SCHEDULES_READ_MODEL,
  BILLING_PERIODS_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  MongoAccountSchedulesReadModel,
  MongoBillingPeriodsReadModel,
  MongoBillingScheduleReadModel,
} from '@app/read-models';
import { ProjectionController } from './projection.controller';
import { ProjectionService } from './projection.service';
import { ProjectorMetrics } from './projector-metrics';
import type { ProjectorConfig } from './projector-config';
import { REDACTED_PATHS } from '../../api/src/common/logging/logging';

const MONGO_CLIENT = Symbol('MONGO_CLIENT');

@Module({})
export class ProjectorModule implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CLIENT) private readonly client: MongoClient) {}

  static forRoot(config: ProjectorConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { level: config.logLevel ?? 'info', redact: REDACTED_PATHS },
        }),
      ],
      controllers: [ProjectionController],
      providers: [
        ProjectionService,
        { provide: ProjectorMetrics, useFactory: () => new ProjectorMetrics(config) },
        { provide: MONGO_CLIENT, useFactory: () => MongoClient.connect(config.mongodbUri) },
        {
          provide: EVENT_STORE,
          inject: [MONGO_CLIENT],
          // Gap fills read the store: through the upcasters, like every read of the API.
          useFactory: async (client: MongoClient) =>
            new UpcastingEventStore(
              await MongoEventStore.open(client.db(config.mongodbDb)),
              upcastEvent,
            ),
        },
        {
          provide: BILLING_SCHEDULE_READ_MODEL,
          inject: [MONGO_CLIENT],
          useFactory: (client: MongoClient) =>
            MongoBillingScheduleReadModel.open(client.db(config.projectionDb)),
        },
        {
          provide: BILLING_PERIODS_READ_MODEL,
          inject: [MONGO_CLIENT],
          useFactory: (client: MongoClient) =>
            MongoBillingPeriodsReadModel.open(client.db(config.projectionDb)),
        },
        {
          provide: ACCOUNT_SCHEDULES_READ_MODEL,
          inject: [MONGO_CLIENT],
          useFactory: (client: MongoClient) =>
            MongoAccountSchedulesReadModel.open(client.db(config.projectionDb)),
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
