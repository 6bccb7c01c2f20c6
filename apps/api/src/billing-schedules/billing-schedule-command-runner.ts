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
import type { StoredEvent } from '@app/event-store';
import {
  BILLING_PERIODS_READ_MODEL,
  BILLING_SCHEDULE_READ_MODEL,
  type BillingPeriodsReadModel,
  type BillingScheduleReadModel,
} from '@app/read-models';
import type { CommandMeta } from '../common/request/request-context';
import {
  EventSourcedCommandRunner,
  foldInSlices,
} from '../infrastructure/event-sourced-command-runner';
import { newId } from '../infrastructure/ids';

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

/** Runs billing-schedule commands through the shared event-sourced write path. */
@Injectable()
export class BillingScheduleCommandRunner {
  constructor(
    private readonly runner: EventSourcedCommandRunner,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    @Inject(BILLING_PERIODS_READ_MODEL) private readonly periods: BillingPeriodsReadModel,
  ) {}

  async run(
    scheduleId: string,
    command: BillingScheduleCommand,
    meta: CommandMeta,
    options: RunOptions = {},
  ): Promise<CommandOutcome> {
    const { state, decided, events } = await this.runner.run<
      BillingScheduleState,
      BillingScheduleEvent
    >(
      {
        streamId: billingScheduleStreamId(scheduleId),
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        initialState: null,
        evolve,
        decide: (current, now) => decide(command, current, { now, newId }),
        project: async (stored, folded) => {
          await this.readModel.apply(stored, folded);
          await this.periods.apply(stored);
        },
        dryRun: options.dryRun,
      },
      meta,
    );
    if (state === null) throw new NotFound('billing schedule not found');
    return { schedule: state, decided, events };
  }
}

/** Folds a schedule's stored events, yielding to the event loop between slices of a long stream. */
export function foldStored(
  state: BillingScheduleState,
  events: readonly StoredEvent[],
): Promise<BillingScheduleState> {
  return foldInSlices<BillingScheduleState, BillingScheduleEvent>(evolve, state, events);
}
