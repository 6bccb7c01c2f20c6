import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The seed's `errors.ErrorResponse`. */
@ApiSchema({ name: 'errors.ErrorResponse' })
export class ErrorResponseDto {
  @ApiProperty({
    enum: [
      'not_found',
      'already_exists',
      'version_conflict',
      'validation_error',
      'invalid_operation',
      'permission_denied',
      'http_client_error',
      'database_error',
      'system_error',
      'internal_error',
      'service_unavailable',
    ],
  })
  code!: string;

  @ApiProperty() message!: string;
  @ApiProperty() http_status_code!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: 'validation_error: { errors: [{ field, message }] }',
  })
  details!: Record<string, unknown>;
}
