import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { ProjectorModule } from './projector.module';
import { loadProjectorConfig, type ProjectorConfig } from './projector-config';

/** The Kafka-fed projector: a consumer group that builds the read models from the topic alone. */
export async function createProjector(config: ProjectorConfig) {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    ProjectorModule.forRoot(config),
    {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'billing-projector', brokers: config.kafkaBrokers },
        consumer: { groupId: config.groupId, allowAutoTopicCreation: true },
        subscribe: { fromBeginning: true },
        postfixId: '',
      },
      abortOnError: false,
      logger: process.env.LOG_LEVEL === 'silent' ? false : undefined,
    },
  );
  app.enableShutdownHooks();
  return app;
}

async function main(): Promise<void> {
  const config = loadProjectorConfig();
  const app = await createProjector(config);
  await app.listen();
  new Logger('Projector').log(
    `projecting ${config.kafkaTopic} (group ${config.groupId}) into ${config.projectionDb}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
