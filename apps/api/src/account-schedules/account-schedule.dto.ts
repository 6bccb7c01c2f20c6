import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ACCOUNT_SCHEDULE_LIMITS,
  EDIT_MODES,
  LICENSE_UPDATE_TYPES,
  MAX_EDITS_PER_CALL,
  PRE_ACTION_TYPES,
  PRICING_CYCLE_INTERVALS,
  PRICING_RULE_ACTION_TYPES,
  PRICING_RULE_TIMINGS,
  type EditMode,
} from '@app/domain';
import { IsOptionalNotNull } from '../common/validation/optional';

/**
 * Request shapes of /v2/accounts (Togai seed). Class-validator checks JSON types and refuses
 * unknown fields; the domain checks values (dates, presence rules, pricing cycles,
 * pre-action configs), with the same field paths.
 */

export const ACCOUNT_ID_MAX = 50;
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const DATE_MAX = 40;
const TEXT_MAX = ACCOUNT_SCHEDULE_LIMITS.ruleTextLength;

export class AccountPathParams {
  @ApiProperty({
    description: 'account_id corresponding to an account',
    maxLength: ACCOUNT_ID_MAX,
    example: 'ACC00001',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(ACCOUNT_ID_MAX)
  @Matches(ACCOUNT_ID_PATTERN, { message: 'account_id may only hold letters, digits and . _ : -' })
  account_id!: string;
}

export class AccountSchedulePathParams extends AccountPathParams {
  @ApiProperty({
    description: 'id of an account schedule',
    example: 'sch.0123456789abcdefghijklmn',
  })
  @IsString()
  @MaxLength(255)
  schedule_id!: string;
}

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class EditAccountSchedulesParams {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'drop the existing draft first',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  discard?: boolean;
}

export const SCHEDULE_MODES = ['ACTIVE', 'DRAFT'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

export class TokenPageParams {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  pageSize?: number;

  @ApiPropertyOptional({
    description: 'opaque token from a previous page (nextToken or previousToken)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  nextToken?: string;
}

export class ListAccountSchedulesParams extends TokenPageParams {
  @ApiPropertyOptional({ enum: SCHEDULE_MODES, default: 'ACTIVE' })
  @IsOptional()
  @IsIn(SCHEDULE_MODES)
  mode?: ScheduleMode;
}

export class PricingCyclesParams {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  count?: number;
}

@ApiSchema({ name: 'PricePlanInfo' })
export class PricePlanInfoDto {
  @ApiProperty() @IsString() @MaxLength(ACCOUNT_SCHEDULE_LIMITS.nameLength) name!: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(ACCOUNT_SCHEDULE_LIMITS.descriptionLength)
  description?: string;
}

@ApiSchema({ name: 'PricingCycleStartOffset' })
export class PricingCycleStartOffsetDto {
  @ApiProperty({
    description:
      'WEEKLY: "1" (Monday) to "7" (Sunday) or LAST; otherwise "1" to "31" or LAST (a missing day takes the closest previous day)',
    example: '1',
  })
  dayOffset!: string;

  @ApiPropertyOptional({
    description:
      'FIRST, LAST or "n" within the quarter (1–3), half-year (1–6) or year (1–12); omitted for WEEKLY and MONTHLY',
    example: 'FIRST',
  })
  monthOffset?: string;
}

/** Documentation only: the pricing-cycles module validates the object itself (same field paths). */
@ApiSchema({
  name: 'PricingCycleConfig',
  description: 'Represents configurations related to pricing cycle',
})
export class PricingCycleConfigDto {
  @ApiProperty({ enum: PRICING_CYCLE_INTERVALS, enumName: 'PricingCycleInterval' })
  interval!: string;

  @ApiPropertyOptional({ type: () => PricingCycleStartOffsetDto })
  startOffset?: PricingCycleStartOffsetDto;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    example: 3,
    description: 'days after a cycle end during which past-dated events are still taken',
  })
  gracePeriod!: number;

  @ApiPropertyOptional({ description: "derive the offsets from the schedule's startDate" })
  anniversaryCycle?: boolean;
}

@ApiSchema({ name: 'PricingRuleAction' })
export class PricingRuleActionDto {
  @ApiProperty({ enum: PRICING_RULE_ACTION_TYPES }) @IsIn(PRICING_RULE_ACTION_TYPES) type!: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(TEXT_MAX) target?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(TEXT_MAX) id?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(TEXT_MAX) description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNotNull()
  @IsObject()
  metadata?: Record<string, string>;
}

@ApiSchema({
  name: 'PricingRule',
  description: 'Represents pricing rules of a price plan. i.e, price plan bound by time.',
})
export class PricingRuleDto {
  @ApiProperty() @IsString() @MaxLength(ACCOUNT_SCHEDULE_LIMITS.idLength) id!: string;
  @ApiProperty() @IsString() @MaxLength(ACCOUNT_SCHEDULE_LIMITS.nameLength) name!: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1 }) @IsInt() @Min(1) version!: number;

  @ApiPropertyOptional({ enum: PRICING_RULE_TIMINGS, enumName: 'PricingRuleTiming' })
  @IsOptionalNotNull()
  @IsIn(PRICING_RULE_TIMINGS)
  invoiceTiming?: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1 }) @IsInt() @Min(1) order!: number;

  @ApiPropertyOptional({
    description: 'JSON logic condition deciding whether to compute this pricing rule or not',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  condition?: string;

  @ApiProperty({ description: 'JSON logic to be computed' })
  @IsString()
  @MaxLength(TEXT_MAX)
  computation!: string;

  @ApiProperty({ type: () => PricingRuleActionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PricingRuleActionDto)
  action!: PricingRuleActionDto;
}

@ApiSchema({ name: 'AssociationConfig' })
export class AssociationConfigDto {
  @ApiProperty() @IsString() @MaxLength(ACCOUNT_SCHEDULE_LIMITS.idLength) pricePlanId!: string;

  @ApiProperty({ type: () => PricePlanInfoDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PricePlanInfoDto)
  pricePlanInfo!: PricePlanInfoDto;

  // Kept as the plain object the client sent; validatePricingCycleConfig checks it.
  @ApiProperty({ type: () => PricingCycleConfigDto })
  @IsObject()
  pricingCycleConfig!: Record<string, unknown>;

  @ApiProperty({ type: [String], minItems: 1, example: ['USD'] })
  @IsArray()
  @ArrayMaxSize(ACCOUNT_SCHEDULE_LIMITS.currencies)
  @IsString({ each: true })
  supportedCurrencies!: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptionalNotNull()
  @IsBoolean()
  deferredRevenue?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptionalNotNull()
  @IsBoolean()
  allowOngoingCycleUpdates?: boolean;

  @ApiPropertyOptional({ type: () => [PricingRuleDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ACCOUNT_SCHEDULE_LIMITS.pricingRules)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PricingRuleDto)
  pricingRules?: PricingRuleDto[];
}

@ApiSchema({ name: 'ScheduleEdit' })
export class ScheduleEditDto {
  @ApiProperty({ enum: EDIT_MODES }) @IsIn(EDIT_MODES) mode!: EditMode;

  @ApiProperty({
    example: '2024-07-04',
    description: 'UTC day YYYY-MM-DD (or a midnight-UTC date-time)',
  })
  @IsString()
  @MaxLength(DATE_MAX)
  effectiveFrom!: string;

  @ApiPropertyOptional({
    example: '2024-10-04',
    description: 'exclusive; absent = open-ended (9999-01-01T00:00:00Z)',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(DATE_MAX)
  effectiveUntil?: string | null;

  @ApiPropertyOptional({
    type: () => AssociationConfigDto,
    description: 'required for ASSOCIATE, refused for DISASSOCIATE',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AssociationConfigDto)
  associationConfig?: AssociationConfigDto | null;
}

@ApiSchema({ name: 'EditAccountSchedules', description: 'Edits applied, in order, to the draft' })
export class EditAccountSchedulesDto {
  @ApiProperty({ type: () => [ScheduleEditDto], minItems: 1, maxItems: MAX_EDITS_PER_CALL })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EDITS_PER_CALL)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ScheduleEditDto)
  edits!: ScheduleEditDto[];
}

@ApiSchema({
  name: 'PreAction',
  description: 'Pre action to be performed before association or disassociation',
})
export class PreActionDto {
  @ApiProperty({ enum: PRE_ACTION_TYPES, description: 'Type of pre action to be performed' })
  @IsIn(PRE_ACTION_TYPES)
  type!: string;

  // Kept as the plain object the client sent; the domain checks it per type.
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'GRANT_LICENSE: `licenseId` (required), `updateType` (required: ' +
      `${LICENSE_UPDATE_TYPES.join(' or ')}), \`quantity\` (required: a non-negative integer, as a ` +
      'string or a number), `effectiveFrom` (optional: YYYY-MM-DD or an RFC 3339 date-time)',
    example: { licenseId: 'seats', updateType: 'RELATIVE', quantity: '5' },
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown> | null;
}

@ApiSchema({
  name: 'FinalizeAccountSchedules',
  description: 'Request to finalize account schedules',
})
export class FinalizeAccountSchedulesDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'true: the draft edits are merged into the existing schedules (same-plan neighbours coalesce); ' +
      'false: the draft replaces the existing schedules',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  mergeSchedules?: boolean;

  @ApiPropertyOptional({
    type: () => [PreActionDto],
    description: 'Pre actions to be performed before association or disassociation',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ACCOUNT_SCHEDULE_LIMITS.preActions)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PreActionDto)
  preActions?: PreActionDto[];
}
