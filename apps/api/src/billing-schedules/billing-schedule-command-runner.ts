import { Inject, Injectable } from '@nestjs/common';
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  decide,
  evolve,
  NotFound,
  type BillingSchedule,
  type BillingScheduleCommand,
  type BillingScheduleEvent,
  type BillingScheduleState,
} from '@app/domain';
import {
  EVENT_STORE,
  VersionConflictError,
  type EventStore,
  type StoredEvent,
} from '@app/event-store';
import { EVENT_PUBLISHER, type EventPublisher } from '@app/messaging';
import {
  BILLING_SCHEDULE_READ_MODEL,
  type BillingScheduleReadModel,
} from '@app/read-models';
import type { CommandMeta } from '../common/request/request-context';
import { Clock, isoNow } from '../infrastructure/clock';
import { newEventId, newId } from '../infrastructure/ids';
import { KeyedQueue } from '../infrastructure/keyed-queue';

/**
 * Writers in this process are queued per stream, so they never race each other; writers in
 * other instances are serialised by the store's optimistic concurrency: a conflict re-decides
 * on fresh state, with a short jittered back-off.
 */
const MAX_ATTEMPTS = 20;
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 200)));

export interface CommandOutcome {
  schedule: BillingSchedule;
  /** What decide produced (also on a dry run, where nothing is stored). */
  decided: BillingScheduleEvent[];
  /** What was stored; empty on a dry run or when nothing changed. */
  events: StoredEvent[];
}

export interface RunOptions {
  /** Decide only: nothing is appended, projected or published. */
  dryRun?: boolean;
}

/**
 * The one write path of a billing schedule: read the stream, fold, decide, append with the
 * version decided against, then update the read model before answering (read-your-writes)
 * and hand the events to the publisher.
 */
@Injectable()
export class BillingScheduleCommandRunner {
  private readonly queues = new KeyedQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async run(
    scheduleId: string,
    command: BillingScheduleCommand,
    meta: CommandMeta,
    options: RunOptions = {},
  ): Promise<CommandOutcome> {
    const streamId = billingScheduleStreamId(scheduleId);
    return this.queues.run(streamId, () => this.decideAndAppend(streamId, command, meta, options));
  }

  private async decideAndAppend(
    streamId: string,
    command: BillingScheduleCommand,
    meta: CommandMeta,
    options: RunOptions,
  ): Promise<CommandOutcome> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.load(streamId);
      if (command.type !== 'CreateBillingSchedule' && state?.merchantId !== meta.tenantId) {
        throw new NotFound('billing schedule not found');
      }
      const version = state?.version ?? 0;
      if (meta.expectedVersion !== undefined && meta.expectedVersion !== version) {
        throw new VersionConflictError(streamId, meta.expectedVersion, version);
      }
      const now = isoNow(this.clock);
      const decided = decide(command, state, { now, newId });
      if (decided.length === 0 || options.dryRun) {
        return { schedule: state as BillingSchedule, decided, events: [] };
      }
      try {
        const { events } = await this.store.append({
          streamId,
          streamType: BILLING_SCHEDULE_STREAM_TYPE,
          tenantId: meta.tenantId,
          expectedVersion: version,
          events: decided.map((event) => ({
            id: newEventId(),
            type: event.type,
            schemaVersion: event.schemaVersion,
            occurredAt: now,
            data: event.data,
            metadata: {
              correlationId: meta.requestId,
              causationId: meta.causationId ?? meta.requestId,
              ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
            },
          })),
        });
        await this.readModel.apply(events);
        await this.publisher.publish(events);
        return { schedule: foldStored(state, events) as BillingSchedule, decided, events };
      } catch (error) {
        const retry =
          error instanceof VersionConflictError &&
          meta.expectedVersion === undefined &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
        await backOff(attempt);
      }
    }
  }

  private async load(streamId: string): Promise<BillingScheduleState> {
    return foldStored(null, await this.store.readStream(streamId));
  }
}

export function foldStored(
  state: BillingScheduleState,
  events: readonly StoredEvent[],
): BillingScheduleState {
  return events.reduce(
    (current, event) => evolve(current, event as unknown as BillingScheduleEvent, event.version),
    state,
  );
}
