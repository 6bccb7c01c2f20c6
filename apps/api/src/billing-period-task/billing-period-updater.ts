import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Counter } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import {
  BILLING_SCHEDULE_READ_MODEL,
  type BillingScheduleReadModel,
  type DueSchedule,
} from '@app/read-models';
import type { BillingScheduleEvent } from '@app/domain';
import { BillingScheduleCommandRunner } from '../billing-schedules/billing-schedule-command-runner';
import { PERIODS_CLOSED, TASK_RUNS } from '../common/metrics/app-metrics';

/** Due schedules are fetched by keyset pages of this size, so a run's memory stays bounded. */
export const BATCH_SIZE = 500;
/** Schedules of one page processed at once. */
const CONCURRENCY = 8;

export interface BillingPeriodRun {
  /** Omit to run for every tenant (the periodic runner). */
  tenantId?: string;
  asOf: string;
  dryRun: boolean;
  requestId?: string;
}

export interface BillingPeriodRunResult {
  message: string;
  runId: string;
  asOf: string;
  dryRun: boolean;
  schedulesScanned: number;
  schedulesAdvanced: number;
  periodsClosed: number;
  schedulesCompleted: number;
  schedulesFailed: number;
}

/**
 * SPEC §5: closes every elapsed period of every active schedule that is due at asOf. Each
 * schedule goes through the ordinary write path, so two runners racing on one schedule are
 * serialised by its stream version and the loser re-decides on fresh state (finding nothing
 * left to close) instead of closing a period twice.
 */
@Injectable()
export class BillingPeriodUpdater {
  private readonly logger = new Logger('BillingPeriodUpdater');

  constructor(
    private readonly runner: BillingScheduleCommandRunner,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    @InjectMetric(TASK_RUNS) private readonly runs: Counter<'outcome' | 'trigger'>,
    @InjectMetric(PERIODS_CLOSED) private readonly closedPeriods: Counter<string>,
  ) {}

  /** Counts the run by outcome (succeeded, partial: some schedules failed, failed). */
  async run(run: BillingPeriodRun): Promise<BillingPeriodRunResult> {
    const trigger = run.tenantId ? 'request' : 'periodic';
    try {
      const result = await this.closeDuePeriods(run);
      this.runs.inc({ outcome: result.schedulesFailed > 0 ? 'partial' : 'succeeded', trigger });
      if (!run.dryRun) this.closedPeriods.inc(result.periodsClosed);
      return result;
    } catch (error) {
      this.runs.inc({ outcome: 'failed', trigger });
      throw error;
    }
  }

  private async closeDuePeriods({
    tenantId,
    asOf,
    dryRun,
    requestId,
  }: BillingPeriodRun): Promise<BillingPeriodRunResult> {
    const runId = uuidv7();
    const result: BillingPeriodRunResult = {
      message: '',
      runId,
      asOf,
      dryRun,
      schedulesScanned: 0,
      schedulesAdvanced: 0,
      periodsClosed: 0,
      schedulesCompleted: 0,
      schedulesFailed: 0,
    };
    let afterId: string | undefined;
    for (;;) {
      const page = await this.readModel.dueForPeriodUpdate({
        tenantId,
        asOf,
        afterId,
        limit: BATCH_SIZE,
      });
      if (page.length === 0) break;
      for (let i = 0; i < page.length; i += CONCURRENCY) {
        await Promise.all(
          page
            .slice(i, i + CONCURRENCY)
            .map((due) => this.advance(due, result, requestId ?? runId)),
        );
      }
      afterId = page[page.length - 1].id;
    }
    result.message = dryRun
      ? `dry run: ${result.periodsClosed} period(s) of ${result.schedulesAdvanced} schedule(s) would close; nothing was changed`
      : `closed ${result.periodsClosed} period(s) of ${result.schedulesAdvanced} schedule(s)`;
    return result;
  }

  /**
   * Closes the schedule's elapsed periods one bounded slice (CLOSE_SLICE) per command, with a
   * turn of the event loop between slices, so a schedule with thousands of elapsed periods
   * never holds the process. Each slice re-decides on fresh state, so a racing runner or a
   * crash between slices closes nothing twice. A dry run stores nothing, so it carries the
   * next period to close from one slice to the next itself.
   */
  private async advance(due: DueSchedule, result: BillingPeriodRunResult, correlationId: string) {
    result.schedulesScanned++;
    let closed = 0;
    let completed = false;
    try {
      let resumeFrom: string | undefined;
      for (;;) {
        const { decided } = await this.runner.run(
          due.id,
          { type: 'CloseElapsedPeriods', asOf: result.asOf, runId: result.runId, resumeFrom },
          { tenantId: due.merchantId, requestId: correlationId, causationId: result.runId },
          { dryRun: result.dryRun },
        );
        const slice = decided.filter(isPeriodClosed);
        closed += slice.length;
        completed = decided.some((event) => event.type === 'BillingScheduleCompleted');
        // The slice stopped at its bound rather than at asOf when the new current period has
        // elapsed too; otherwise the schedule is done for this run.
        const next = slice.at(-1)?.data.currentPeriod;
        if (completed || !next) break;
        if (Date.parse(next.endDate) > Date.parse(result.asOf)) break;
        if (result.dryRun) resumeFrom = next.startDate;
        await yieldToEventLoop();
      }
    } catch (error) {
      result.schedulesFailed++;
      this.logger.error(
        `run ${result.runId}: schedule ${due.id} failed: ${(error as Error).message}`,
      );
    } finally {
      result.periodsClosed += closed;
      if (closed > 0) result.schedulesAdvanced++;
      if (completed) result.schedulesCompleted++;
    }
  }
}

type PeriodClosed = Extract<BillingScheduleEvent, { type: 'BillingPeriodUpdated' }>;
const isPeriodClosed = (event: BillingScheduleEvent): event is PeriodClosed =>
  event.type === 'BillingPeriodUpdated';
