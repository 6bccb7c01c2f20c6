import type { BillingSchedule, ScheduleInterval, ScheduleInvoice } from '@app/domain';
import type {
  BillingScheduleResponse,
  ScheduleIntervalResponse,
  ScheduleInvoiceResponse,
} from './billing-schedule.responses';

export function presentSchedule(s: BillingSchedule): BillingScheduleResponse {
  return {
    id: s.id,
    object: 'billing_schedule',
    merchantId: s.merchantId,
    status: s.status,
    startDate: s.startDate,
    endDate: s.endDate,
    billingAnchor: s.billingAnchor,
    alignmentPolicy: s.alignmentPolicy,
    prorationPolicy: s.prorationPolicy,
    periodPreset: s.periodPreset,
    customPeriodWindows: s.customPeriodWindows,
    metadata: s.metadata,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    orderId: s.orderId,
    subscriptionId: s.subscriptionId,
    paymentTermDays: s.paymentTermDays,
    deletedAt: s.deletedAt,
    timezone: s.timezone,
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
    version: s.version,
  };
}

export function presentInterval(scheduleId: string, i: ScheduleInterval): ScheduleIntervalResponse {
  return {
    id: i.id,
    object: 'schedule_interval',
    scheduleId,
    baseQuantity: i.baseQuantity,
    quantityTransitions: i.quantityTransitions,
    billingCadence: i.billingCadence,
    billingMode: i.billingMode,
    startDate: i.startDate,
    endDate: i.endDate,
    metadata: i.metadata,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    orderLineItemId: i.orderLineItemId,
    itemId: i.itemId,
    priceId: i.priceId,
    description: i.description,
    unitPrice: i.unitPrice,
    billDate: i.billDate,
    usageFilter: i.usageFilter,
  };
}

export function presentInvoice(invoice: ScheduleInvoice): ScheduleInvoiceResponse {
  const { periodIndex: _index, ...rest } = invoice;
  return rest;
}
