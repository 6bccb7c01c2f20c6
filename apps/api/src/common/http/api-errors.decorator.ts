import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (validation_error)',
  401: 'Missing or unknown API key (permission_denied)',
  404: 'Not found (also for other tenants’ resources)',
  409: 'invalid_operation, version_conflict or Idempotency-Key reuse',
  413: 'Body larger than 1 MiB',
};

/** Documents the error responses of an authenticated endpoint with the seed's ErrorResponse. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ApiBearerAuth(),
    ApiSecurity('ApiKeyAuth'),
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
