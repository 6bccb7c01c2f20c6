import { Inject, Injectable } from '@nestjs/common';
import {
  BILLING_SCHEDULE_STREAM_TYPE,
  billingScheduleStreamId,
  NotFound,
  type BillingSchedule,
} from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import {
  BILLING_SCHEDULE_READ_MODEL,
  InMemoryBillingScheduleReadModel,
  type BillingScheduleFilter,
  type BillingScheduleReadModel,
  type Page,
  type PageOf,
} from '@app/read-models';
import { applyInTurns, occurredBy, TimeTravel } from '../common/history/as-of';

/** Events read per store call when a tenant's schedules are folded as of an instant. */
const TENANT_READ_PAGE = 1000;

/**
 * Reads a tenant's schedules, live or as of an instant. Both answer from a read model through
 * the same queries: the live one, or a transient in-memory one built by applying the events
 * that had occurred by then (the projection every read model uses), so time travel is never a
 * second implementation of the fold.
 */
@Injectable()
export class BillingScheduleReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
    private readonly timeTravel: TimeTravel,
  ) {}

  /** One schedule; `asOf` before it existed (or after its deletion) → 404 saying so. */
  async schedule(tenantId: string, scheduleId: string, asOf?: string): Promise<BillingSchedule> {
    const past = this.timeTravel.pastInstant(asOf);
    if (past === undefined) {
      const schedule = await this.readModel.get(tenantId, scheduleId);
      if (!schedule) throw new NotFound(`billing schedule ${scheduleId} not found`);
      return schedule;
    }
    const model = new InMemoryBillingScheduleReadModel();
    await applyInTurns(model, occurredBy(await this.ownedStream(tenantId, scheduleId), past));
    const schedule = await model.get(tenantId, scheduleId);
    if (!schedule) throw new NotFound(`billing schedule ${scheduleId} did not exist at ${asOf}`);
    return schedule;
  }

  /**
   * A page of the tenant's schedules. As of a past instant it folds every event of the
   * tenant's schedule streams (read in pages by the store's tenant index): time linear in the
   * tenant's events, memory one folded state per schedule of the tenant.
   */
  async list(
    tenantId: string,
    filter: BillingScheduleFilter,
    page: Page,
    asOf?: string,
  ): Promise<PageOf<BillingSchedule>> {
    const past = this.timeTravel.pastInstant(asOf);
    const model = past === undefined ? this.readModel : await this.tenantAsOf(tenantId, past);
    return model.list(tenantId, filter, page);
  }

  /**
   * The stream of a schedule the tenant owns, also after a soft delete (history outlives it):
   * whole, or up to `asOf` (404 when nothing had happened by then).
   */
  async events(tenantId: string, scheduleId: string, asOf?: string): Promise<StoredEvent[]> {
    const stream = await this.ownedStream(tenantId, scheduleId);
    const past = this.timeTravel.pastInstant(asOf);
    if (past === undefined) return stream;
    const events = occurredBy(stream, past);
    if (events.length === 0) {
      throw new NotFound(`billing schedule ${scheduleId} did not exist at ${asOf}`);
    }
    return events;
  }

  /** History stays readable with ?asOf after a soft delete, but never across tenants. */
  private async ownedStream(tenantId: string, scheduleId: string): Promise<StoredEvent[]> {
    const events = await this.store.readStream(billingScheduleStreamId(scheduleId));
    if (events[0]?.tenantId !== tenantId)
      throw new NotFound(`billing schedule ${scheduleId} not found`);
    return events;
  }

  private async tenantAsOf(tenantId: string, asOf: string): Promise<BillingScheduleReadModel> {
    const model = new InMemoryBillingScheduleReadModel();
    // A stream's state as of asOf is its longest prefix that had occurred by then.
    const ended = new Set<string>();
    const cutoff = Date.parse(asOf);
    for (let after = 0; ;) {
      const page = await this.store.readFeed({
        tenantId,
        streamType: BILLING_SCHEDULE_STREAM_TYPE,
        after,
        limit: TENANT_READ_PAGE,
        scanLimit: TENANT_READ_PAGE,
      });
      await applyInTurns(
        model,
        page.events.filter((event) => {
          if (ended.has(event.streamId)) return false;
          if (Date.parse(event.occurredAt) <= cutoff) return true;
          ended.add(event.streamId);
          return false;
        }),
      );
      if (!page.hasMore) return model;
      after = page.nextAfter;
    }
  }
}
