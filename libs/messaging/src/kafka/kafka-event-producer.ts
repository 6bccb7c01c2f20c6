import { Kafka, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { StoredEvent } from '@app/event-store';
import { toKafkaMessage } from './cloud-event-message';
import { DEFAULT_TOPIC_SETTINGS, ensureEventTopic, type TopicSettings } from './event-topic';

export interface KafkaProducerConfig {
  brokers: string[];
  topic: string;
  clientId?: string;
  /** Partitions and replication of the topic when this producer creates it. */
  topicSettings?: TopicSettings;
  /** Where the topic check reports: a created topic, or an existing one that loses history. */
  logger?: { log(message: string): void; warn(message: string): void };
}

/**
 * Sends committed events to the topic: idempotent producer, acks from all in-sync replicas,
 * and the Java-compatible murmur2 partitioner pinned explicitly, so a stream's key maps to
 * the same partition as in any other client of the topic.
 */
export class KafkaEventProducer {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly config: KafkaProducerConfig) {
    this.kafka = new Kafka({
      clientId: config.clientId ?? 'billing-schedules-relay',
      brokers: config.brokers,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
      connectionTimeout: 3_000,
      logLevel: 1, // ERROR: the relay logs outages itself
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = this.kafka.admin();
  }

  /**
   * Connects and makes sure the topic exists as an archive (see ensureEventTopic); called at
   * start and again before a send while the broker has not answered yet.
   */
  connect(): Promise<void> {
    this.connecting ??= this.connectAndEnsureTopic().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async connectAndEnsureTopic(): Promise<void> {
    if (this.closed) throw new Error('the Kafka producer is closed');
    try {
      await this.producer.connect();
      await this.admin.connect();
      // disconnect() may have run while connecting: do not leave the new connections open.
      if (this.closed) throw new Error('the Kafka producer is closed');
      const { topic } = this.config;
      const settings = this.config.topicSettings ?? DEFAULT_TOPIC_SETTINGS;
      const { created, warnings } = await ensureEventTopic(this.admin, topic, settings);
      if (created) {
        this.config.logger?.log(
          `created topic ${topic}: ${settings.partitions} partitions, retention.ms=-1`,
        );
      }
      for (const warning of warnings) this.config.logger?.warn(warning);
    } catch (error) {
      // A half-made connection is closed before the next attempt opens another, so a failed
      // attempt (broker down, topic check refused, closed meanwhile) leaves no socket behind.
      await this.disconnectClients();
      throw error;
    }
  }

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  async send(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    await this.producer.send({
      topic: this.config.topic,
      acks: -1,
      messages: events.map(toKafkaMessage),
    });
  }

  /** For /health/ready: the cluster answers a metadata request. */
  async ping(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    // An in-flight connect or topic check is let finish (kafkajs' own timeouts bound it) rather
    // than abandoned: abandoned, its retry loop would outlive the clients it runs on.
    const pending = this.connecting;
    this.connecting = null;
    await pending?.catch(() => undefined);
    await this.disconnectClients();
  }

  private async disconnectClients(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
