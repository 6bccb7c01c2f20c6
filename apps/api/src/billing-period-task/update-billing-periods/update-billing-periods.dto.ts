import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsRfc3339 } from '../../common/validation/validators';

export class UpdateBillingPeriodsDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'cut-off instant; default now' })
  @IsOptionalNotNull()
  @IsRfc3339()
  asOf?: string;

  @ApiPropertyOptional({ default: false, description: 'report what would change, change nothing' })
  @IsOptionalNotNull()
  @IsBoolean()
  dryRun?: boolean;
}

export class UpdateBillingPeriodsResponse {
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'UUIDv7; the causationId of the events of this run' }) runId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'active schedules that were due at asOf' }) schedulesScanned!: number;
  @ApiProperty({ description: 'schedules with at least one period closed' })
  schedulesAdvanced!: number;
  @ApiProperty() periodsClosed!: number;
  @ApiProperty() schedulesCompleted!: number;
  @ApiProperty({ description: 'schedules that could not be advanced (logged)' })
  schedulesFailed!: number;
}
