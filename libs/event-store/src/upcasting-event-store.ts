import type {
  AppendRequest,
  AppendResult,
  EventStore,
  FeedPage,
  FeedQuery,
  ReadAllOptions,
  StoredEvent,
} from './event-store.port';

/**
 * Brings every event read from the store to its current schemaVersion (the upcaster registry
 * of libs/domain is passed in, so this library stays free of domain knowledge). It wraps the
 * store the app is given, so each reader — folds, `…/events`, the feed, the outbox relay and
 * the read-model rebuild — gets the same shapes, and stored events are never rewritten.
 * A new read method of the port must go through `upcast` here too.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly upcast: (event: StoredEvent) => StoredEvent,
  ) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const result = await this.inner.append(request);
    return { ...result, events: result.events.map(this.upcast) };
  }

  async readStream(
    streamId: string,
    options?: { fromVersion?: number; toVersion?: number },
  ): Promise<StoredEvent[]> {
    return (await this.inner.readStream(streamId, options)).map(this.upcast);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return (await this.inner.readAll(options)).map(this.upcast);
  }

  /** Types filter the stored type, which no upcaster changes. */
  async readFeed(query: FeedQuery): Promise<FeedPage> {
    const page = await this.inner.readFeed(query);
    return { ...page, events: page.events.map(this.upcast) };
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
