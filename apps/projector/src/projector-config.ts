import { topicSettingsFromEnv, type TopicSettings } from '@app/messaging';
import { parseLogLevel, type LogLevel } from '../../api/src/common/logging/logging';

export interface ProjectorConfig {
  mongodbUri: string;
  /** The event store's database, read to fill a version gap. */
  mongodbDb: string;
  /** Where the read models live; the API's database unless told otherwise. */
  projectionDb: string;
  kafkaBrokers: string[];
  kafkaTopic: string;
  /** KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR: used when the projector creates the topic. */
  kafkaTopicSettings: TopicSettings;
  groupId: string;
  /** Default `info`. */
  logLevel?: LogLevel;
  /** Where /metrics is served; none when undefined. */
  metricsPort?: number;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  if (!env.MONGODB_URI || !env.KAFKA_BROKERS) {
    throw new Error('the projector needs MONGODB_URI and KAFKA_BROKERS');
  }
  const mongodbDb = env.MONGODB_DB || 'billing';
  return {
    mongodbUri: env.MONGODB_URI,
    mongodbDb,
    projectionDb: env.PROJECTION_DB || mongodbDb,
    kafkaBrokers: env.KAFKA_BROKERS.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    kafkaTopic: env.KAFKA_TOPIC || 'schedule-events',
    kafkaTopicSettings: topicSettingsFromEnv(env),
    groupId: env.PROJECTOR_GROUP_ID || 'billing-projector',
    logLevel: parseLogLevel(env.LOG_LEVEL),
    metricsPort: metricsPort(env.PROJECTOR_METRICS_PORT ?? '9464'),
  };
}

function metricsPort(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new Error(`PROJECTOR_METRICS_PORT must be a port number, got "${value}"`);
  }
  return Number(value);
}
