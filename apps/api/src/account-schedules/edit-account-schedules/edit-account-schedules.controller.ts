import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import {
  AccountPathParams,
  EditAccountSchedules,
  EditAccountSchedulesParams,
} from '../account-schedule.dto';
import { presentAccountSchedule } from '../account-schedule.presenter';
import { EditAccountSchedulesResponse } from '../account-schedule.responses';
import { EditAccountSchedulesCommand } from './edit-account-schedules.command';

@ApiTags('Account schedules')
@Controller('v2/accounts')
export class EditAccountSchedulesController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':account_id/edit_schedules')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'editAccountSchedules',
    summary: 'Stage edits on the draft schedules of an account',
    description:
      'Edits apply in order to the draft (which starts empty): ASSOCIATE carves its window out and ' +
      'inserts the plan, DISASSOCIATE carves it out. `discard=true` drops the existing draft first.',
  })
  @ApiOkResponse({
    type: EditAccountSchedulesResponse,
    description: 'The draft, sorted by startDate',
  })
  @ApiErrors(400, 401, 409, 413)
  async edit(
    @Param() params: AccountPathParams,
    @Query() query: EditAccountSchedulesParams,
    @Body() body: EditAccountSchedules,
    @Meta() meta: CommandMeta,
  ): Promise<EditAccountSchedulesResponse> {
    const draft = await this.commands.execute(
      new EditAccountSchedulesCommand(params.account_id, body.edits, query.discard ?? false, meta),
    );
    return { accountId: params.account_id, pricingSchedules: draft.map(presentAccountSchedule) };
  }
}
