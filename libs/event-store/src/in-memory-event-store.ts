import { EventIndex } from './event-index';
import {
  AppendRequest,
  AppendResult,
  EventStore,
  FeedPage,
  FeedQuery,
  ReadAllOptions,
  StoredEvent,
} from './event-store.port';

export type Clock = () => Date;

/** Event store for unit tests: same rules as the durable adapters, nothing survives the process. */
export class InMemoryEventStore implements EventStore {
  private readonly index = new EventIndex();
  private readonly clock: Clock;

  /** `clock` stamps recordedAt; pass it directly or as `{ clock }`. */
  constructor(clock?: Clock | { clock?: Clock }) {
    this.clock = (typeof clock === 'function' ? clock : clock?.clock) ?? (() => new Date());
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const plan = this.index.plan(request, this.clock().toISOString());
    return plan.kind === 'already-stored' ? plan.result : this.index.apply(plan.commit);
  }

  async readStream(
    streamId: string,
    options?: { fromVersion?: number; toVersion?: number },
  ): Promise<StoredEvent[]> {
    return this.index.readStream(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.index.readAll(options);
  }

  async readFeed(query: FeedQuery): Promise<FeedPage> {
    return this.index.readFeed(query);
  }

  async headPosition(): Promise<number> {
    return this.index.headPosition;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
