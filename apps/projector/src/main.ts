import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { ensureEventTopic } from '@app/messaging';
import { ProjectorModule } from './projector.module';
import { loadProjectorConfig, type ProjectorConfig } from './projector-config';

/**
 * Subscribing to a topic that does not exist yet fails, and the API creates it only once the
 * broker answers, so whichever starts first creates it, with the same archive settings.
 */
async function ensureTopic(config: ProjectorConfig): Promise<void> {
  const admin = new Kafka({ brokers: config.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const logger = new NestLogger('KafkaTopic');
    const { created, warnings } = await ensureEventTopic(
      admin,
      config.kafkaTopic,
      config.kafkaTopicSettings,
    );
    if (created) logger.log(`created topic ${config.kafkaTopic}: retention.ms=-1`);
    for (const warning of warnings) logger.warn(warning);
  } finally {
    await admin.disconnect();
  }
}

/** The Kafka-fed projector: a consumer group that builds the read models from the topic alone. */
export async function createProjector(config: ProjectorConfig) {
  await ensureTopic(config);
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
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  return app;
}

async function main(): Promise<void> {
  const config = loadProjectorConfig();
  const app = await createProjector(config);
  await app.listen();
  new NestLogger('Projector').log(
    `projecting ${config.kafkaTopic} (group ${config.groupId}) into ${config.projectionDb}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
