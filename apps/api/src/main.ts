import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, developmentKey } = await createApp(config);
  // Every interface: Fastify alone would listen on localhost only, which a container's
  // published port cannot reach.
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}`;
  const logger = new Logger('Main');
  logger.log(`billing schedules service listening on ${url} (docs: ${url}/docs)`);
  logger.log(
    `store: ${config.mongodbUri ? 'MongoDB' : `embedded (${config.dataDir})`}, ` +
      `bus: ${config.kafkaBrokers ? `Kafka ${config.kafkaTopic}` : 'in-process'}`,
  );
  if (developmentKey) {
    console.log(`\n  URL:             ${url}\n  Development key: ${developmentKey}\n`);
    console.log(`  curl -H "Authorization: Bearer ${developmentKey}" ${url}/v0/billingSchedules\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
