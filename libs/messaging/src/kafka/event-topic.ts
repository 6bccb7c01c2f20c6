import type { Admin } from 'kafkajs';

/** How the event topic is created when it does not exist yet (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR). */
export interface TopicSettings {
  partitions: number;
  /** -1 = the broker's `default.replication.factor`. */
  replicationFactor: number;
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = { partitions: 6, replicationFactor: -1 };

/**
 * The topic is the archive (SPEC §6: a consumer rebuilds every read model from it alone), so
 * nothing is ever deleted by time or size, and compaction, which would keep one event per
 * stream key, is ruled out explicitly whatever the broker's defaults.
 */
export const ARCHIVE_TOPIC_CONFIG = {
  'retention.ms': '-1',
  'retention.bytes': '-1',
  'cleanup.policy': 'delete',
} as const;

/** Reads and validates KAFKA_PARTITIONS and KAFKA_REPLICATION_FACTOR; throws a clear message. */
export function topicSettingsFromEnv(env: NodeJS.ProcessEnv): TopicSettings {
  const partitions = env.KAFKA_PARTITIONS?.trim() || String(DEFAULT_TOPIC_SETTINGS.partitions);
  if (!/^\d+$/.test(partitions) || Number(partitions) < 1) {
    throw new Error(`KAFKA_PARTITIONS must be a whole number of at least 1, got "${partitions}"`);
  }
  const replication =
    env.KAFKA_REPLICATION_FACTOR?.trim() || String(DEFAULT_TOPIC_SETTINGS.replicationFactor);
  if (!/^(-1|\d+)$/.test(replication) || Number(replication) === 0) {
    throw new Error(
      `KAFKA_REPLICATION_FACTOR must be -1 (the broker's default) or a whole number of at least 1, got "${replication}"`,
    );
  }
  return { partitions: Number(partitions), replicationFactor: Number(replication) };
}

export interface EnsuredTopic {
  created: boolean;
  /** What differs from the archive settings on an existing topic; left as it is. */
  warnings: string[];
}

/**
 * Creates the topic with ARCHIVE_TOPIC_CONFIG, or checks an existing one and reports, without
 * changing it, every setting that would lose history or differ from the configured partitions.
 * Used by the relay (API) and by the projector, whichever starts first.
 */
export async function ensureEventTopic(
  admin: Admin,
  topic: string,
  settings: TopicSettings,
): Promise<EnsuredTopic> {
  // Asking first keeps kafkajs from logging TOPIC_ALREADY_EXISTS as an error at every start.
  const exists = (await admin.listTopics()).includes(topic);
  const created =
    !exists &&
    (await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
          configEntries: Object.entries(ARCHIVE_TOPIC_CONFIG).map(([name, value]) => ({
            name,
            value,
          })),
        },
      ],
    }));
  if (created) return { created, warnings: [] };
  return { created, warnings: await existingTopicWarnings(admin, topic, settings) };
}

async function existingTopicWarnings(
  admin: Admin,
  topic: string,
  settings: TopicSettings,
): Promise<string[]> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2 /* ConfigResourceTypes.TOPIC */, name: topic, configNames: [] }],
  });
  const entries = described.resources[0]?.configEntries ?? [];
  const value = (name: string) => entries.find((entry) => entry.configName === name)?.configValue;
  const warnings: string[] = [];
  const fix = (setting: string) =>
    `fix with: kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name ${topic} --add-config ${setting}`;
  for (const name of ['retention.ms', 'retention.bytes'] as const) {
    const current = value(name);
    if (current !== undefined && current !== '-1') {
      warnings.push(
        `topic ${topic} has ${name}=${current}: the broker will delete events and consumers can no longer rebuild from the topic; ${fix(`${name}=-1`)}`,
      );
    }
  }
  const policy = value('cleanup.policy');
  if (policy !== undefined && policy.includes('compact')) {
    warnings.push(
      `topic ${topic} has cleanup.policy=${policy}: compaction keeps one event per stream; ${fix('cleanup.policy=delete')}`,
    );
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  if (partitions !== settings.partitions) {
    warnings.push(
      `topic ${topic} has ${partitions} partitions, KAFKA_PARTITIONS is ${settings.partitions}: the existing count is kept (adding partitions moves streams to other partitions and breaks their order; use kafka-topics.sh --alter --partitions only on purpose)`,
    );
  }
  return warnings;
}
