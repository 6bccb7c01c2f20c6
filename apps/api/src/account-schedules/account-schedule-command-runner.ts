import { Inject, Injectable } from '@nestjs/common';
import {
  ACCOUNT_SCHEDULES_STREAM_TYPE,
  accountSchedulesStreamId,
  decideAccountSchedules,
  emptyAccountSchedules,
  evolveAccountSchedules,
  type AccountSchedulesCommand,
  type AccountSchedulesEvent,
  type AccountSchedulesState,
} from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ACCOUNT_SCHEDULES_READ_MODEL, type AccountSchedulesReadModel } from '@app/read-models';
import type { CommandMeta } from '../common/request/request-context';
import { EventSourcedCommandRunner } from '../infrastructure/event-sourced-command-runner';
import { newId } from '../infrastructure/ids';

export interface AccountCommandOutcome {
  state: AccountSchedulesState;
  events: StoredEvent[];
}

/** Runs account-schedule commands through the shared event-sourced write path. */
@Injectable()
export class AccountScheduleCommandRunner {
  constructor(
    private readonly runner: EventSourcedCommandRunner,
    @Inject(ACCOUNT_SCHEDULES_READ_MODEL) private readonly readModel: AccountSchedulesReadModel,
  ) {}

  async run(
    accountId: string,
    command: AccountSchedulesCommand,
    meta: CommandMeta,
  ): Promise<AccountCommandOutcome> {
    const { state, events } = await this.runner.run<AccountSchedulesState, AccountSchedulesEvent>(
      {
        streamId: accountSchedulesStreamId(meta.tenantId, accountId),
        streamType: ACCOUNT_SCHEDULES_STREAM_TYPE,
        initialState: emptyAccountSchedules(meta.tenantId, accountId),
        evolve: evolveAccountSchedules,
        decide: (current, now) =>
          decideAccountSchedules(command, current, { now, newId: (prefix) => newId(prefix, '.') }),
        project: (stored, folded) => this.readModel.apply(stored, folded),
      },
      meta,
    );
    return { state, events };
  }
}

export function foldAccountStream(
  state: AccountSchedulesState,
  events: readonly StoredEvent[],
): AccountSchedulesState {
  return events.reduce(
    (current, event) =>
      evolveAccountSchedules(current, event as unknown as AccountSchedulesEvent, event.version),
    state,
  );
}
