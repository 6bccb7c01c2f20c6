import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

type Documented = 400 | 401 | 404 | 409 | 413 | 429 | 503;

const ERRORS: Record<Documented, { description: string; example: object }> = {
  400: {
    description: 'Invalid request (validation_error)',
    example: {
      code: 'validation_error',
      message: 'the request is invalid',
      http_status_code: 400,
      details: {
        errors: [
          { field: 'intervals[0].unitPrice', message: 'must be a decimal string such as "12.50"' },
        ],
      },
    },
  },
  401: {
    description: 'Missing or unknown API key (permission_denied)',
    example: {
      code: 'permission_denied',
      message: 'a valid API key is required',
      http_status_code: 401,
      details: {},
    },
  },
  404: {
    description: 'Not found (also for other tenants’ resources)',
    example: {
      code: 'not_found',
      message: 'billing schedule not found',
      http_status_code: 404,
      details: {},
    },
  },
  409: {
    description: 'invalid_operation, version_conflict or Idempotency-Key reuse',
    example: {
      code: 'version_conflict',
      message: 'the resource was changed by another request',
      http_status_code: 409,
      details: { currentVersion: 3 },
    },
  },
  413: {
    description: 'Body larger than 1 MiB (validation_error)',
    example: {
      code: 'validation_error',
      message: 'the request body exceeds 1 MiB',
      http_status_code: 413,
      details: {},
    },
  },
  429: {
    description:
      'Rate limited: per tenant, or per address after failed authentication (see Retry-After)',
    example: {
      code: 'service_unavailable',
      message: 'more than 6000 requests per minute; retry after 12 s',
      http_status_code: 429,
      details: { reason: 'tenant', limit: 6000, retryAfterSeconds: 12 },
    },
  },
  503: {
    description: 'The store cannot take the request right now (service_unavailable)',
    example: {
      code: 'service_unavailable',
      message: 'the service is unavailable, retry later',
      http_status_code: 503,
      details: {},
    },
  },
};

/**
 * Documents an authenticated endpoint's error responses with the one error body and a
 * realistic example each. 400 (a malformed path or query), 401, 429 and 503 can come from
 * any authenticated route; writes add 409 (state, If-Match, Idempotency-Key reuse) and 413.
 */
export const ApiErrors = (...statuses: Documented[]) =>
  applyDecorators(
    ApiBearerAuth(),
    ApiSecurity('ApiKeyAuth'),
    ...[...new Set<Documented>([400, 401, ...statuses, 429, 503])]
      .sort()
      .map((status) => ApiResponse({ status, type: ErrorResponseDto, ...ERRORS[status] })),
  );
