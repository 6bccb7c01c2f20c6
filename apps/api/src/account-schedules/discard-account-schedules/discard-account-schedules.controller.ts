import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { AccountPathParams } from '../account-schedule.dto';
import { BaseSuccessResponse } from '../account-schedule.responses';
import { DiscardAccountSchedulesCommand } from './discard-account-schedules.command';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class DiscardAccountSchedulesController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':account_id/discard_schedules')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'discardAccountSchedules',
    summary: 'Discard the draft schedules of an account',
    description: 'Succeeds (and records nothing) when there is no draft.',
  })
  @ApiOkResponse({ type: BaseSuccessResponse })
  @ApiErrors(400, 401, 409, 413)
  async discard(
    @Param() params: AccountPathParams,
    @Meta() meta: CommandMeta,
  ): Promise<BaseSuccessResponse> {
    await this.commands.execute(new DiscardAccountSchedulesCommand(params.account_id, meta));
    return { success: true };
  }
}
