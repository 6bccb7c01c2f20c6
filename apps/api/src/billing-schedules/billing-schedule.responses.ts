import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALIGNMENT_POLICIES,
  BILLING_MODES,
  PERIOD_PRESETS,
  PRORATION_POLICIES,
  SCHEDULE_STATUSES,
} from '@app/domain';
import { PaginationResponse } from '../common/http/pagination';
import { PeriodWindowDto, QuantityTransitionDto } from './billing-schedule.dto';

const instant = { type: 'string', format: 'date-time' } as const;
const nullableInstant = { ...instant, nullable: true } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

export class BillingScheduleResponse {
  @ApiProperty({ example: 'bs_3kTMd8Bv0aQ1x2Zp' }) id!: string;
  @ApiProperty({ enum: ['billing_schedule'] }) object!: 'billing_schedule';
  @ApiProperty() merchantId!: string;
  @ApiProperty({ enum: SCHEDULE_STATUSES }) status!: string;
  @ApiProperty(instant) startDate!: string;
  @ApiProperty(instant) endDate!: string;
  @ApiProperty(instant) billingAnchor!: string;
  @ApiProperty({ enum: ALIGNMENT_POLICIES }) alignmentPolicy!: string;
  @ApiProperty({ enum: PRORATION_POLICIES }) prorationPolicy!: string;
  @ApiProperty({ enum: PERIOD_PRESETS }) periodPreset!: string;
  @ApiProperty({ type: [PeriodWindowDto] }) customPeriodWindows!: PeriodWindowDto[];
  @ApiProperty(anyObject) metadata!: Record<string, unknown>;
  @ApiProperty(instant) createdAt!: string;
  @ApiProperty(instant) updatedAt!: string;
  @ApiProperty({ type: 'string', nullable: true }) orderId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) subscriptionId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) paymentTermDays!: number | null;
  @ApiProperty(nullableInstant) deletedAt!: string | null;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
  @ApiProperty(nullableInstant) currentPeriodStart!: string | null;
  @ApiProperty(nullableInstant) currentPeriodEnd!: string | null;
  @ApiProperty({ description: 'stream version; also the ETag' }) version!: number;
}

export class BillingScheduleListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [BillingScheduleResponse] }) data!: BillingScheduleResponse[];
  @ApiProperty({ type: PaginationResponse }) pagination!: PaginationResponse;
}

export class ScheduleIntervalResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['schedule_interval'] }) object!: 'schedule_interval';
  @ApiProperty() scheduleId!: string;
  @ApiProperty() baseQuantity!: string;
  @ApiProperty({ type: [QuantityTransitionDto] }) quantityTransitions!: QuantityTransitionDto[];
  @ApiProperty() billingCadence!: string;
  @ApiProperty({ enum: BILLING_MODES }) billingMode!: string;
  @ApiProperty(instant) startDate!: string;
  @ApiProperty(instant) endDate!: string;
  @ApiProperty(anyObject) metadata!: Record<string, unknown>;
  @ApiProperty(instant) createdAt!: string;
  @ApiProperty(instant) updatedAt!: string;
  @ApiPropertyOptional({ type: 'string', nullable: true }) orderLineItemId!: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) itemId!: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) priceId!: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) description!: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) unitPrice!: string | null;
  @ApiPropertyOptional(nullableInstant) billDate!: string | null;
  @ApiPropertyOptional({ ...anyObject, nullable: true }) usageFilter!: Record<
    string,
    unknown
  > | null;
}

export class ScheduleIntervalListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ScheduleIntervalResponse] }) data!: ScheduleIntervalResponse[];
  @ApiProperty({ type: PaginationResponse }) pagination!: PaginationResponse;
}

export class InvoiceLineResponse {
  @ApiProperty() lineKey!: string;
  @ApiProperty() intervalId!: string;
  @ApiProperty({ type: 'string', nullable: true }) orderLineItemId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) description!: string | null;
  @ApiProperty({ enum: BILLING_MODES }) billingMode!: string;
  @ApiProperty(instant) startDate!: string;
  @ApiProperty(instant) endDate!: string;
  @ApiProperty({ example: '2' }) quantity!: string;
  @ApiProperty({ example: '10.00' }) unitPrice!: string;
  @ApiProperty({ example: '1', description: 'cadence units charged' }) units!: string;
  @ApiProperty({ example: '20.00' }) subtotal!: string;
}

export class BillingPeriodResponse {
  @ApiProperty({ enum: ['billing_period'] }) object!: 'billing_period';
  @ApiProperty() index!: number;
  @ApiProperty(instant) startDate!: string;
  @ApiProperty(instant) endDate!: string;
  @ApiProperty() isStub!: boolean;
  @ApiProperty({ example: '1' }) prorationFactor!: string;
  @ApiProperty(instant) issueDate!: string;
  @ApiProperty(instant) dueDate!: string;
  @ApiProperty({ example: '20.00' }) amount!: string;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines!: InvoiceLineResponse[];
}

export class BillingPeriodListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [BillingPeriodResponse] }) data!: BillingPeriodResponse[];
  @ApiProperty({ type: PaginationResponse }) pagination!: PaginationResponse;
}

export class ScheduleInvoiceResponse {
  @ApiProperty({ example: 'sinv_x' }) id!: string;
  @ApiProperty({ enum: ['schedule_invoice'] }) object!: 'schedule_invoice';
  @ApiProperty() billingScheduleId!: string;
  @ApiProperty({ type: 'string', nullable: true }) orderId!: string | null;
  @ApiProperty() merchantId!: string;
  @ApiProperty(instant) periodStart!: string;
  @ApiProperty(instant) periodEnd!: string;
  @ApiProperty(instant) issueDate!: string;
  @ApiProperty(instant) dueDate!: string;
  @ApiProperty({ example: '20.00' }) amount!: string;
  @ApiProperty({ enum: ['staged', 'pushed'] }) status!: string;
  @ApiProperty({ type: [InvoiceLineResponse] }) lineItems!: InvoiceLineResponse[];
  @ApiProperty(instant) createdAt!: string;
  @ApiProperty(instant) updatedAt!: string;
}

export class ScheduleInvoiceListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ScheduleInvoiceResponse] }) data!: ScheduleInvoiceResponse[];
  @ApiProperty({ type: PaginationResponse }) pagination!: PaginationResponse;
}

export class EventMetadataResponse {
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiPropertyOptional() idempotencyKey?: string;
}

export class EventEnvelopeResponse {
  @ApiProperty({ description: 'UUIDv7' }) id!: string;
  @ApiProperty() type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty() streamId!: string;
  @ApiProperty() streamType!: string;
  @ApiProperty() version!: number;
  @ApiProperty() tenantId!: string;
  @ApiProperty(instant) occurredAt!: string;
  @ApiProperty(instant) recordedAt!: string;
  @ApiProperty(anyObject) data!: Record<string, unknown>;
  @ApiProperty({ type: EventMetadataResponse }) metadata!: EventMetadataResponse;
}

export class EventEnvelopeListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EventEnvelopeResponse] }) data!: EventEnvelopeResponse[];
  @ApiProperty({ type: PaginationResponse }) pagination!: PaginationResponse;
}
