import { Inject, Injectable } from '@nestjs/common';
import { billingScheduleStreamId, NotFound, type BillingSchedule } from '@app/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@app/event-store';
import { BILLING_SCHEDULE_READ_MODEL, type BillingScheduleReadModel } from '@app/read-models';
import { foldStored } from './billing-schedule-command-runner';

/** Reads one schedule for one tenant: from the read model, or from its stream for history. */
@Injectable()
export class BillingScheduleReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_SCHEDULE_READ_MODEL) private readonly readModel: BillingScheduleReadModel,
  ) {}

  async current(tenantId: string, scheduleId: string): Promise<BillingSchedule> {
    const schedule = await this.readModel.get(tenantId, scheduleId);
    if (!schedule) throw new NotFound(`billing schedule ${scheduleId} not found`);
    return schedule;
  }

  /**
   * The schedule as it was at `asOf`: events whose occurredAt (the command's time, the same
   * instant the resource shows as createdAt/updatedAt) is at or before it.
   */
  async asOf(tenantId: string, scheduleId: string, asOf: string): Promise<BillingSchedule> {
    const cutoff = Date.parse(asOf);
    const events = (await this.ownedStream(tenantId, scheduleId)).filter(
      (event) => Date.parse(event.occurredAt) <= cutoff,
    );
    const schedule = await foldStored(null, events);
    if (!schedule || schedule.deletedAt !== null) {
      throw new NotFound(`billing schedule ${scheduleId} did not exist at ${asOf}`);
    }
    return schedule;
  }

  /** The whole stream of a schedule the tenant owns and has not deleted. */
  async events(tenantId: string, scheduleId: string): Promise<StoredEvent[]> {
    await this.current(tenantId, scheduleId);
    return this.store.readStream(billingScheduleStreamId(scheduleId));
  }

  /** History stays readable with ?asOf after a soft delete, but never across tenants. */
  private async ownedStream(tenantId: string, scheduleId: string): Promise<StoredEvent[]> {
    const events = await this.store.readStream(billingScheduleStreamId(scheduleId));
    if (events[0]?.tenantId !== tenantId)
      throw new NotFound(`billing schedule ${scheduleId} not found`);
    return events;
  }
}
