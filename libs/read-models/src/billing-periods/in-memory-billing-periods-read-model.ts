import type { BillingPeriod } from '@app/domain';
import type { StoredEvent } from '@app/event-store';
import { ProjectionGapError } from '../projection-gap-error';
import type { Page } from '../billing-schedules/billing-schedule-read-model.port';
import type { BillingPeriodsReadModel, PeriodsPage } from './billing-periods-read-model.port';
import {
  computeAllPeriods,
  isBillingScheduleEvent,
  nextHead,
  scheduleIdOf,
  type PeriodsHead,
} from './schedule-periods';

interface StoredSchedule {
  head: PeriodsHead;
  /** null: not materialised (see computeAllPeriods); undefined: computed at the first read. */
  periods: BillingPeriod[] | null | undefined;
}

/**
 * A batch computes the periods of at most this many schedules when applied (a command changes
 * one). A larger one is the start-up catch-up replaying the whole history into this memory-only
 * model: it stores the heads, and each schedule's periods are computed at its first read, so a
 * start costs a fold of the heads, not the engine over every schedule ever written.
 */
const SCHEDULES_COMPUTED_PER_APPLY = 8;

/**
 * The embedded periods read model. A batch is folded into heads first; the periods of each
 * schedule whose terms or intervals it changed are then computed once (in slices) and every
 * schedule of the batch is swapped in at once, so a reader never sees a version without its
 * periods.
 */
export class InMemoryBillingPeriodsReadModel implements BillingPeriodsReadModel {
  private readonly schedules = new Map<string, StoredSchedule>();
  private position = 0;
  /** Deferred periods being computed for a read, so concurrent reads compute them once. */
  private readonly computing = new WeakMap<StoredSchedule, Promise<BillingPeriod[] | null>>();

  async apply(events: readonly StoredEvent[]): Promise<void> {
    const heads = new Map<string, PeriodsHead | null>();
    const recompute = new Set<string>();
    let reached = 0;
    let gap: ProjectionGapError | undefined;
    for (const event of events) {
      if (isBillingScheduleEvent(event)) {
        const id = scheduleIdOf(event);
        const head = heads.has(id) ? heads.get(id)! : (this.schedules.get(id)?.head ?? null);
        const version = head?.version ?? 0;
        if (event.version > version + 1) {
          gap = new ProjectionGapError(event.streamId, version + 1, event.version);
          break;
        }
        if (event.version === version + 1) {
          const next = nextHead(head, event);
          heads.set(id, next.head);
          if (next.periodsChanged) recompute.add(id);
        }
      }
      reached = Math.max(reached, event.position);
    }
    const computed = new Map<string, BillingPeriod[] | null | undefined>();
    const now = recompute.size <= SCHEDULES_COMPUTED_PER_APPLY;
    for (const id of recompute) {
      const head = heads.get(id);
      if (head) computed.set(id, now ? await computeAllPeriods(head.inputs) : undefined);
    }
    for (const [id, head] of heads) {
      const current = this.schedules.get(id);
      // Another apply of the same stream may have finished while this one computed.
      if (!head || (current && current.head.version >= head.version)) continue;
      const periods = computed.has(id) ? computed.get(id) : current?.periods;
      this.schedules.set(id, { head, periods });
    }
    this.position = Math.max(this.position, reached);
    if (gap) throw gap;
  }

  async page(tenantId: string, scheduleId: string, page: Page): Promise<PeriodsPage | null> {
    const stored = this.schedules.get(scheduleId);
    if (!stored || stored.head.tenantId !== tenantId || stored.head.deleted) return null;
    const { head } = stored;
    const periods = stored.periods === undefined ? await this.computeNow(stored) : stored.periods;
    if (periods === null) return { version: head.version, materialised: false, data: [], total: 0 };
    return {
      version: head.version,
      materialised: true,
      data: periods.slice(page.offset, page.offset + page.limit),
      total: periods.length,
    };
  }

  /** Periods deferred by a large batch; a newer version replaces the record, so none is stale. */
  private computeNow(stored: StoredSchedule): Promise<BillingPeriod[] | null> {
    let computing = this.computing.get(stored);
    if (!computing) {
      computing = computeAllPeriods(stored.head.inputs).then((periods) => {
        stored.periods = periods;
        return periods;
      });
      this.computing.set(stored, computing);
    }
    return computing;
  }

  async checkpoint(): Promise<number> {
    return this.position;
  }
}
