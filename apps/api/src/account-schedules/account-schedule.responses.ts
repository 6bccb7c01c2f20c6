import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { EventEnvelopeResponse } from '../billing-schedules/billing-schedule.responses';
import { PricePlanInfoDto, PricingCycleConfigDto, PricingRuleDto } from './account-schedule.dto';

const instant = { type: 'string', format: 'date-time' } as const;

@ApiSchema({ name: 'ScheduleInfo' })
export class ScheduleInfoResponse {
  @ApiProperty({ type: [String], example: ['USD'] }) supportedCurrencies!: string[];
  @ApiProperty({ type: () => PricingCycleConfigDto }) pricingCycleConfig!: PricingCycleConfigDto;
  @ApiPropertyOptional({ type: () => [PricingRuleDto] }) pricingRules?: PricingRuleDto[];
}

@ApiSchema({ name: 'AccountSchedule' })
export class AccountScheduleResponse {
  @ApiProperty({ example: 'sch.3kTMd8Bv0aQ1x2Zp9hYc4LwE' }) id!: string;
  @ApiProperty({ example: 'ACC00001' }) accountId!: string;
  @ApiProperty() pricePlanId!: string;
  @ApiProperty({
    type: 'integer',
    description: "the account's finalize count when this window was last written",
  })
  version!: number;
  @ApiProperty() deferredRevenue!: boolean;
  @ApiProperty({ type: () => PricePlanInfoDto }) pricePlanInfo!: PricePlanInfoDto;
  @ApiProperty({ type: () => ScheduleInfoResponse }) accountScheduleInfo!: ScheduleInfoResponse;
  @ApiPropertyOptional({
    description:
      'Indicates whether the schedule is overridden. Note: A null value for this field does not imply that the schedule is not overridden.',
  })
  isOverridden?: boolean;
  @ApiProperty({ ...instant, example: '2024-07-04T00:00:00Z' }) startDate!: string;
  @ApiProperty({
    ...instant,
    example: '9999-01-01T00:00:00Z',
    description: 'exclusive; 9999-01-01T00:00:00Z = open-ended',
  })
  endDate!: string;
  @ApiProperty() allowOngoingCycleUpdates!: boolean;
}

@ApiSchema({
  name: 'SchedulesPaginatedResponse',
  description: 'Paginated response for pricing schedules',
})
export class SchedulesPaginatedResponse {
  @ApiProperty({ type: () => [AccountScheduleResponse] }) data!: AccountScheduleResponse[];
  @ApiPropertyOptional({ description: 'opaque; present when more schedules follow' })
  nextToken?: string;
  @ApiPropertyOptional({
    description: 'opaque; present when this is not the first page (pass it as nextToken)',
  })
  previousToken?: string;
}

@ApiSchema({ name: 'EditAccountSchedulesResponse' })
export class EditAccountSchedulesResponse {
  @ApiProperty({ example: 'ACC00001' }) accountId!: string;
  @ApiProperty({
    type: () => [AccountScheduleResponse],
    description: 'the draft, sorted by startDate',
  })
  pricingSchedules!: AccountScheduleResponse[];
}

@ApiSchema({ name: 'BaseSuccessResponse' })
export class BaseSuccessResponse {
  @ApiProperty({ example: true }) success!: boolean;
}

@ApiSchema({ name: 'AccountLicense' })
export class AccountLicenseResponse {
  @ApiProperty() licenseId!: string;
  @ApiProperty({ type: 'integer', example: 5 }) quantity!: number;
  @ApiProperty(instant) effectiveFrom!: string;
  @ApiProperty(instant) updatedAt!: string;
}

@ApiSchema({ name: 'AccountLicensesResponse' })
export class AccountLicensesResponse {
  @ApiProperty({ type: () => [AccountLicenseResponse] }) data!: AccountLicenseResponse[];
}

@ApiSchema({ name: 'PricingCycle' })
export class PricingCycleResponse {
  @ApiProperty(instant) startDate!: string;
  @ApiProperty(instant) endDate!: string;
  @ApiProperty({ ...instant, description: 'endDate + gracePeriod days' }) graceEndDate!: string;
}

@ApiSchema({ name: 'PricingCyclesResponse' })
export class PricingCyclesResponse {
  @ApiProperty({ type: () => [PricingCycleResponse] }) data!: PricingCycleResponse[];
}

@ApiSchema({ name: 'AccountEventsPaginatedResponse' })
export class AccountEventsPaginatedResponse {
  @ApiProperty({ type: () => [EventEnvelopeResponse] }) data!: EventEnvelopeResponse[];
  @ApiPropertyOptional() nextToken?: string;
  @ApiPropertyOptional() previousToken?: string;
}
