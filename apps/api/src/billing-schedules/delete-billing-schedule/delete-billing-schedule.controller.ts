import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { Meta, type CommandMeta } from '../../common/request/request-context';
import { DeleteBillingScheduleCommand } from './delete-billing-schedule.command';

@ApiTags('Billing schedules')
@Controller('v0/billingSchedules')
export class DeleteBillingScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteBillingSchedule',
    summary: 'Soft-delete a billing schedule (sets deletedAt; later reads answer 404)',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 404, 409, 413)
  async delete(@Param('id') id: string, @Meta() meta: CommandMeta): Promise<void> {
    await this.commands.execute(new DeleteBillingScheduleCommand(id, meta));
  }
}
