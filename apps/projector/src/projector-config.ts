export interface ProjectorConfig {
  mongodbUri: string;
  /** The event store's database, read to fill a version gap. */
  mongodbDb: string;
  /** Where the read models live; the API's database unless told otherwise. */
  projectionDb: string;
  kafkaBrokers: string[];
  kafkaTopic: string;
  groupId: string;
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
    groupId: env.PROJECTOR_GROUP_ID || 'billing-projector',
  };
}
