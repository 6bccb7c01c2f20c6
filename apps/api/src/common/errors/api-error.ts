import type { FieldError } from '@app/domain';

/** The SPEC §2 error codes (a subset of the seed's errors.ErrorResponse enum). */
export type ErrorCode =
  | 'validation_error'
  | 'permission_denied'
  | 'not_found'
  | 'version_conflict'
  | 'already_exists'
  | 'invalid_operation'
  | 'service_unavailable'
  | 'internal_error';

export interface ErrorResponseBody {
  code: ErrorCode;
  message: string;
  http_status_code: number;
  details: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static validation(errors: FieldError[], message = 'the request is invalid'): ApiError {
    return new ApiError(400, 'validation_error', message, { errors });
  }

  toBody(): ErrorResponseBody {
    return {
      code: this.code,
      message: this.message,
      http_status_code: this.status,
      details: this.details,
    };
  }
}
