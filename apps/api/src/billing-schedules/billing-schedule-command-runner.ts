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

/** Concurrent writers without If-Match are serialised by re-deciding on the fresh state. */
const MAX_ATTEMPTS = 50;

export interface CommandOutcome {
  schedule: BillingSchedule;
  events: StoredEvent[];
}

/**
 * The one write path of a billing schedule: read the stream, fold, decide, append with the
 * version decided against, then update the read model before answering (read-your-writes)
 * and hand the events to the publisher.
 */
@Injectable()
export class BillingScheduleCommandRunner {
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
  ): Promise<CommandOutcome> {
    const streamId = billingScheduleStreamId(scheduleId);
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
      if (decided.length === 0) return { schedule: state as BillingSchedule, events: [] };
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
              causationId: meta.requestId,
              ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
            },
          })),
        });
        await this.readModel.apply(events);
        await this.publisher.publish(events);
        return { schedule: foldStored(state, events) as BillingSchedule, events };
      } catch (error) {
        const retry =
          error instanceof VersionConflictError &&
          meta.expectedVersion === undefined &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
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
