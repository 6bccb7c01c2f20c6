import { randomUUID } from 'node:crypto';
import type { EventStore, LeaseStore, StoredEvent } from '@app/event-store';
import type { CheckpointStore } from './checkpoint-store';

/** What the relay publishes to; KafkaEventProducer in production. */
export interface EventSink {
  send(events: readonly StoredEvent[]): Promise<void>;
}

export interface OutboxRelayOptions {
  store: EventStore;
  sink: EventSink;
  leases: LeaseStore;
  checkpoints: CheckpointStore;
  name?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  leaseTtlMs?: number;
  log?: (message: string) => void;
  /**
   * How far publishing is behind the store, after each attempt by the lease holder: events
   * committed but not yet acknowledged, and the age of the oldest of them (0 and 0 when none).
   */
  onLag?: (lag: RelayLag) => void;
}

export interface RelayLag {
  events: number;
  seconds: number;
}

export const OUTBOX_RELAY_LEASE = 'outbox-relay';

/**
 * The committed events are the outbox. The relay reads them in commit order from its
 * checkpoint, publishes a batch, and only then moves the checkpoint: a crash between the two
 * republishes that batch (same event ids; consumers dedupe), never loses it. While the sink
 * is down it keeps the checkpoint and retries with back-off, so commands are acknowledged
 * regardless and go out once the broker is back. Only the holder of the lease publishes.
 */
export class OutboxRelay {
  readonly owner = `relay-${randomUUID()}`;
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseTtlMs: number;
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: OutboxRelayOptions) {
    this.name = options.name ?? OUTBOX_RELAY_LEASE;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pumping;
    await this.options.leases.release(this.name, this.owner);
  }

  /** Publish soon: called after a command appends, so events go out without waiting a poll. */
  nudge(): void {
    if (this.pumping) this.again = true;
    else if (!this.stopped && this.failures === 0) this.schedule(0);
  }

  /**
   * Publishes everything committed after the checkpoint, batch by batch.
   * Returns how many events went out (0 when another instance holds the lease).
   */
  async drain(): Promise<number> {
    let published = 0;
    for (;;) {
      if (!(await this.options.leases.tryAcquire(this.name, this.owner, this.leaseTtlMs))) {
        return published;
      }
      const after = await this.options.checkpoints.get(this.name);
      const batch = await this.options.store.readAll({ after, limit: this.batchSize });
      if (batch.length === 0) {
        this.options.onLag?.({ events: 0, seconds: 0 });
        return published;
      }
      try {
        await this.options.sink.send(batch);
      } catch (error) {
        await this.reportLag(after, batch[0]).catch(() => undefined);
        throw error;
      }
      await this.options.checkpoints.set(this.name, batch[batch.length - 1].position);
      published += batch.length;
    }
  }

  private async reportLag(checkpoint: number, oldest: StoredEvent): Promise<void> {
    if (!this.options.onLag) return;
    const head = await this.options.store.headPosition();
    const ageMs = Date.now() - Date.parse(oldest.recordedAt);
    this.options.onLag({ events: head - checkpoint, seconds: Math.max(ageMs, 0) / 1000 });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), delayMs);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.timer = null;
    this.pumping = this.drain().then(
      () => {
        if (this.failures > 0) this.options.log?.('outbox relay: publishing again');
        this.failures = 0;
      },
      (error: Error) => {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.options.log?.(
            `outbox relay: publish failed (${this.failures}x), will retry: ${error.message}`,
          );
        }
      },
    );
    await this.pumping;
    this.pumping = null;
    const backOff = Math.min(this.pollIntervalMs * 2 ** this.failures, 5_000);
    const next =
      this.again && this.failures === 0 ? 0 : this.failures > 0 ? backOff : this.pollIntervalMs;
    this.again = false;
    this.schedule(next);
  }
}
