import { CommandRunner, Option } from 'nest-commander';
import type { EventStore } from '@app/event-store';
import { badArgument } from '../cli-error';
import { assertKnownTenant, walkHistory, type HistoryOutcome, type HistoryRun } from '../history';
import type { Interruption } from '../interruption';
import {
  collectType,
  cursor,
  DEFAULT_BATCH_SIZE,
  historyFilter,
  instant,
  MAX_BATCH_SIZE,
  nonEmpty,
  positiveInteger,
  type HistoryOptions,
} from '../options';
import { Progress } from '../progress';
import type { StoreAccess } from '../store-access';

/** A command that walks the feed's filtered history: the shared filter options and the walk. */
export abstract class HistoryCommand extends CommandRunner {
  constructor(
    protected readonly access: StoreAccess,
    protected readonly interruption: Interruption,
  ) {
    super();
  }

  @Option({ flags: '--tenant <id>', description: "one tenant's events (default: every tenant's)" })
  parseTenant(value: string): string {
    return nonEmpty('--tenant')(value);
  }

  @Option({ flags: '--type <type>', description: 'only this event type; repeat for several' })
  parseType(value: string, previous?: string[]): string[] {
    return collectType(value, previous);
  }

  @Option({ flags: '--stream <id>', description: 'only this stream (e.g. a schedule id)' })
  parseStream(value: string): string {
    return nonEmpty('--stream')(value);
  }

  @Option({ flags: '--from <instant>', description: 'occurredAt at or after this instant' })
  parseFrom(value: string): string {
    return instant('--from')(value);
  }

  @Option({ flags: '--to <instant>', description: 'occurredAt at or before this instant' })
  parseTo(value: string): string {
    return instant('--to')(value);
  }

  @Option({
    flags: '--after <cursor>',
    description: "continue after a cursor printed by an earlier run (or the feed's nextCursor)",
  })
  parseAfter(value: string): number {
    return cursor(value);
  }

  @Option({
    flags: '--batch-size <n>',
    description: `events read per page (default ${DEFAULT_BATCH_SIZE})`,
  })
  parseBatchSize(value: string): number {
    return positiveInteger('--batch-size', MAX_BATCH_SIZE)(value);
  }

  @Option({ flags: '--rate <n>', description: 'at most this many events per second' })
  parseRate(value: string): number {
    return positiveInteger('--rate')(value);
  }

  /** Checks the filter, opens the store and walks it with a progress display. */
  protected async walk(
    label: string,
    options: HistoryOptions,
    handle: HistoryRun['handle'],
    unit = 'events',
  ): Promise<HistoryOutcome & { store: EventStore; seconds: number }> {
    const filter = historyFilter(options);
    const store = await this.access.store();
    if (filter.tenantId !== undefined) await assertKnownTenant(store, filter.tenantId);
    const after = options.after ?? 0;
    const head = await store.headPosition();
    if (after > head) throw badArgument('--after is past the end of the event log');
    const progress = new Progress(label, after, head, unit);
    const startedAt = Date.now();
    let outcome: HistoryOutcome;
    try {
      outcome = await walkHistory({
        store,
        filter,
        after,
        batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
        rate: options.rate,
        interruption: this.interruption,
        progress,
        handle,
      });
    } catch (error) {
      progress.abort();
      throw error;
    }
    progress.stop();
    return { ...outcome, store, seconds: (Date.now() - startedAt) / 1000 };
  }
}
