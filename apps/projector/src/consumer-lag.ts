import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

export interface PartitionOffsets {
  partition: number;
  /** The topic's high watermark: the offset the next message will get. */
  high: string;
  low: string;
}

export interface CommittedOffset {
  partition: number;
  /** The group's next offset to read; "-1" when it has committed nothing yet. */
  offset: string;
}

/** Messages on each partition the group has not committed yet. */
export function consumerLag(
  topic: readonly PartitionOffsets[],
  committed: readonly CommittedOffset[],
): Map<number, number> {
  const next = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  return new Map(
    topic.map(({ partition, high, low }) => {
      const from = next.get(partition) ?? -1;
      const start = from < 0 ? Number(low) : from;
      return [partition, Math.max(Number(high) - start, 0)];
    }),
  );
}

/**
 * Every `intervalMs`, asks the cluster for the topic's high watermarks and the group's
 * committed offsets and sets `projector_lag_events{partition}`. A failed probe leaves the
 * previous values and is retried at the next tick.
 */
export class ConsumerLagReporter {
  private readonly admin: Admin;
  private readonly gauge: Gauge<'partition'>;
  private timer: NodeJS.Timeout | null = null;
  private connected = false;

  constructor(
    private readonly options: {
      brokers: string[];
      topic: string;
      groupId: string;
      registry: Registry;
      intervalMs?: number;
    },
  ) {
    this.admin = new Kafka({
      clientId: 'billing-projector-lag',
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    this.gauge = new Gauge({
      name: 'projector_lag_events',
      help: 'Messages of the topic the projector group has not committed, per partition',
      labelNames: ['partition'],
      registers: [options.registry],
    });
  }

  start(): void {
    const tick = () => void this.report().catch(() => undefined);
    tick();
    this.timer = setInterval(tick, this.options.intervalMs ?? 15_000);
    this.timer.unref();
  }

  async report(): Promise<Map<number, number>> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    const [topicOffsets, groupOffsets] = await Promise.all([
      this.admin.fetchTopicOffsets(this.options.topic),
      this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [this.options.topic] }),
    ]);
    const committed = groupOffsets.find((t) => t.topic === this.options.topic)?.partitions ?? [];
    const lag = consumerLag(topicOffsets, committed);
    for (const [partition, behind] of lag) this.gauge.set({ partition: String(partition) }, behind);
    return lag;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}
