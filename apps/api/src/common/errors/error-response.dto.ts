import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** The seed's `errors.ErrorResponse`, as the service sends it (SPEC §2). */
export const ErrorResponseSchema = z.object({
  code: z.enum([
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
  ]),
  message: z.string(),
  http_status_code: z.number().int().min(400).max(599),
  details: z
    .looseObject({
      errors: z
        .array(
          z.object({ field: z.string(), message: z.string() }).meta({ id: 'errors.FieldError' }),
        )
        .optional()
        .meta({ description: 'validation_error: one entry per invalid field' }),
    })
    .meta({
      description:
        'validation_error: `{errors: [{field, message}]}`; version_conflict: `{currentVersion}`; ' +
        'service_unavailable: the per-check report; otherwise `{}`',
    }),
});

/** The class name is the OpenAPI component name the seed uses. */
export class ErrorResponseDto extends createZodDto(ErrorResponseSchema) {}
Object.defineProperty(ErrorResponseDto, 'name', { value: 'errors.ErrorResponse' });
