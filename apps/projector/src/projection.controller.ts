import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@app/messaging';
import { ProjectionService } from './projection.service';

/** Kafka patterns are fixed when the class is decorated, so the topic is read from the environment. */
export const PROJECTED_TOPIC = process.env.KAFKA_TOPIC || 'schedule-events';

@Controller()
export class ProjectionController {
  constructor(private readonly projection: ProjectionService) {}

  @EventPattern(PROJECTED_TOPIC)
  async onEvent(@Payload() envelope: EventEnvelope): Promise<void> {
    await this.projection.project(envelope);
  }
}
