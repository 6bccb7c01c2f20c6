import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ALIGNMENT_POLICIES,
  BILLING_MODES,
  PERIOD_PRESETS,
  PRORATION_POLICIES,
  SCHEDULE_STATUSES,
  type AlignmentPolicy,
  type BillingMode,
  type BillingScheduleStatus,
  type PeriodPreset,
  type ProrationPolicy,
} from '@app/domain';
import { IsOptionalNotNull } from '../common/validation/optional';
import { IsMetadata, IsMoney, IsQuantity, IsRfc3339 } from '../common/validation/validators';

const ID_MAX = 255;

export class PeriodWindowDto {
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() startDate!: string;
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() endDate!: string;
}

// Nested arrays carry @IsObject({ each: true }): ValidateNested walks an item that is itself
// an array ([[]]) without complaint, and the domain then meets fields that are not there.

/** Fields shared by create and PATCH; create makes the dates required. */
class ScheduleFieldsDto {
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  orderId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  subscriptionId?: string | null;

  @ApiPropertyOptional({ enum: ALIGNMENT_POLICIES, default: 'anchor' })
  @IsOptionalNotNull()
  @IsIn(ALIGNMENT_POLICIES)
  alignmentPolicy?: AlignmentPolicy;

  @ApiPropertyOptional({ enum: PRORATION_POLICIES, default: 'none' })
  @IsOptionalNotNull()
  @IsIn(PRORATION_POLICIES)
  prorationPolicy?: ProrationPolicy;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: 3650 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  paymentTermDays?: number | null;

  @ApiPropertyOptional({ enum: PERIOD_PRESETS, default: 'P1M' })
  @IsOptionalNotNull()
  @IsIn(PERIOD_PRESETS)
  periodPreset?: PeriodPreset;

  @ApiPropertyOptional({ type: [PeriodWindowDto], default: [] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PeriodWindowDto)
  customPeriodWindows?: PeriodWindowDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'IANA time zone for all calendar arithmetic',
    default: 'UTC',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class CreateBillingScheduleDto extends ScheduleFieldsDto {
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() startDate!: string;
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() endDate!: string;
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() billingAnchor!: string;
}

export class UpdateBillingScheduleDto extends ScheduleFieldsDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptionalNotNull()
  @IsRfc3339()
  startDate?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptionalNotNull()
  @IsRfc3339()
  endDate?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptionalNotNull()
  @IsRfc3339()
  billingAnchor?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES })
  @IsOptionalNotNull()
  @IsIn(SCHEDULE_STATUSES)
  status?: BillingScheduleStatus;
}

export class QuantityTransitionDto {
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() effectiveDate!: string;
  @ApiProperty({ example: '5' }) @IsQuantity() quantity!: string;
}

export class ScheduleIntervalInputDto {
  @ApiProperty({ example: '1' }) @IsQuantity() baseQuantity!: string;

  @ApiProperty({ example: 'P1M', description: 'P1M, P3M, P1Y, P2W, P30D or one_off (P0D)' })
  @IsString()
  @MaxLength(32)
  billingCadence!: string;

  @ApiProperty({ format: 'date-time' }) @IsRfc3339() startDate!: string;
  @ApiProperty({ format: 'date-time' }) @IsRfc3339() endDate!: string;

  @ApiPropertyOptional({ enum: BILLING_MODES, default: 'advance' })
  @IsOptionalNotNull()
  @IsIn(BILLING_MODES)
  billingMode?: BillingMode;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(ID_MAX) orderLineItemId?:
    string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(ID_MAX) itemId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(ID_MAX) priceId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string | null;

  @ApiPropertyOptional({ example: '12.50', description: 'price per billingCadence; absent = 0' })
  @IsOptional()
  @IsMoney()
  unitPrice?: string | null;

  @ApiPropertyOptional({ type: [QuantityTransitionDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => QuantityTransitionDto)
  quantityTransitions?: QuantityTransitionDto[];

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsRfc3339()
  billDate?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  usageFilter?: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, unknown>;
}

export class ReplaceScheduleIntervalsDto {
  @ApiProperty({ type: [ScheduleIntervalInputDto], maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ScheduleIntervalInputDto)
  intervals!: ScheduleIntervalInputDto[];

  @ApiPropertyOptional({
    description: "When set, scope the wipe to this line's intervals only (per-line cell-edit path)",
  })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  orderLineItemId?: string;
}
