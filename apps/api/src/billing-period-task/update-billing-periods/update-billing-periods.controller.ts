import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { toCanonicalInstant } from '@app/domain';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { ApiValidationPipe } from '../../common/validation/api-validation.pipe';
import { Clock, isoNow } from '../../infrastructure/clock';
import { UpdateBillingPeriodsCommand } from './update-billing-periods.command';
import {
  UpdateBillingPeriodsDto,
  UpdateBillingPeriodsResponse,
} from './update-billing-periods.dto';

@ApiTags('Scheduled Tasks')
@Controller('v1/tasks/scheduled')
export class UpdateBillingPeriodsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly pipe: ApiValidationPipe,
    private readonly clock: Clock,
  ) {}

  @Post('schedule-update-billing-period')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'scheduleUpdateBillingPeriod',
    summary: 'Schedule update billing period',
    description:
      "Closes every elapsed period of the caller's active schedules as of `asOf` (default now).",
  })
  @ApiBody({ type: UpdateBillingPeriodsDto, required: false })
  @ApiOkResponse({ type: UpdateBillingPeriodsResponse })
  @ApiErrors(400, 401, 409, 413)
  async run(
    @Body() raw: unknown,
    @Meta() meta: CommandMeta,
  ): Promise<UpdateBillingPeriodsResponse> {
    // The body is optional (SPEC §5), so it is validated here rather than by the global pipe.
    const body = (await this.pipe.transform(raw ?? {}, {
      type: 'body',
      metatype: UpdateBillingPeriodsDto,
    })) as UpdateBillingPeriodsDto;
    const asOf = body.asOf ? toCanonicalInstant(body.asOf) : isoNow(this.clock);
    return this.commands.execute(
      new UpdateBillingPeriodsCommand(meta.tenantId, asOf, body.dryRun ?? false, meta.requestId),
    );
  }
}
