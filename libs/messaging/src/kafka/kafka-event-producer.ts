import { Kafka, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { StoredEvent } from '@app/event-store';
import { toKafkaMessage } from './cloud-event-message';

export interface KafkaProducerConfig {
  brokers: string[];
  topic: string;
  clientId?: string;
  /** Partitions of the topic when this producer creates it. */
  partitions?: number;
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
  private connected = false;

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

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    await this.admin.connect();
    const existing = await this.admin.listTopics();
    if (!existing.includes(this.config.topic)) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: this.config.topic, numPartitions: this.config.partitions ?? 3 }],
      });
    }
    this.connected = true;
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
    this.connected = false;
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
