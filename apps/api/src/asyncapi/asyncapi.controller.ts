import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { asyncApiDocument } from '@app/messaging';
import { Public } from '../common/auth/api-key.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** The AsyncAPI 3.0 document of the topic this instance publishes to; public like /openapi.json. */
@ApiExcludeController()
@Public()
@Controller()
export class AsyncApiController {
  private document?: ReturnType<typeof asyncApiDocument>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('asyncapi.json')
  get() {
    // Built on first request, not at start: generating it takes a few hundred milliseconds.
    this.document ??= asyncApiDocument({ topic: this.config.kafkaTopic });
    return this.document;
  }
}
