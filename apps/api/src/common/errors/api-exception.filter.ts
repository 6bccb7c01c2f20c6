import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidOperation, NotFound, ValidationFailed } from '@app/domain';
import { VersionConflictError } from '@app/event-store';
import { RegisteredRoutes } from '../http/registered-routes';
import { factsOf, requestIdOf } from '../request/request-context';
import { ApiError, ErrorCode } from './api-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_error',
  401: 'permission_denied',
  403: 'permission_denied',
  404: 'not_found',
  409: 'invalid_operation',
  413: 'validation_error',
  405: 'invalid_operation',
  415: 'validation_error',
  429: 'service_unavailable',
  503: 'service_unavailable',
};

/** Turns every error into the one SPEC §2 body; nothing else (no stack) ever reaches a client. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(private readonly routes: RegisteredRoutes) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const mapped = this.toApiError(exception);
    const error = (mapped.status === 404 && this.methodNotAllowed(request, response)) || mapped;
    if (error.status >= 500) {
      const detail = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`request ${factsOf(request).requestId ?? '-'} failed: ${detail}`);
    }
    if (response.sent) return;
    response.status(error.status).send(error.toBody());
  }

  /**
   * A 404 for a method no route registers on a path that other methods serve is Nest's "no
   * route" answer, not a missing resource: 405 with Allow.
   */
  private methodNotAllowed(request: FastifyRequest, response: FastifyReply): ApiError | undefined {
    const path = request.url.split('?')[0];
    const allowed = this.routes.allowedMethods(path);
    if (allowed.length === 0 || allowed.includes(request.method)) return undefined;
    response.header('Allow', allowed.join(', '));
    return new ApiError(
      405,
      'invalid_operation',
      `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
      { allowedMethods: allowed },
    );
  }

  toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof ValidationFailed) return ApiError.validation(exception.errors);
    if (exception instanceof InvalidOperation) {
      return new ApiError(409, 'invalid_operation', exception.message);
    }
    if (exception instanceof NotFound) return new ApiError(404, 'not_found', exception.message);
    if (exception instanceof VersionConflictError) {
      return new ApiError(409, 'version_conflict', 'the resource was changed by another request', {
        currentVersion: exception.actualVersion,
      });
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    // Errors of the body parser arrive as ApiErrors already (common/request/json-body.ts);
    // Fastify's own 4xx (a Content-Type it cannot parse, a bad URL) as HttpExceptions.
    return new ApiError(500, 'internal_error', 'an internal error occurred');
  }
}

function fromHttpException(exception: HttpException): ApiError {
  const status = exception.getStatus();
  const body = exception.getResponse();
  // /health/ready: keep Terminus's per-check report ({store: {status: 'down', …}, broker: …}).
  if (status === 503 && typeof body === 'object' && body !== null && 'details' in body) {
    const checks = (body as { details: Record<string, unknown> }).details;
    const down = Object.keys(checks).filter(
      (name) => (checks[name] as { status?: string })?.status === 'down',
    );
    return new ApiError(
      503,
      'service_unavailable',
      `not ready: ${down.join(', ') || 'unknown'} down`,
      checks,
    );
  }
  const message =
    typeof body === 'object' && body !== null && 'message' in body
      ? String((body as { message: unknown }).message)
      : exception.message;
  // Every 400 carries details.errors (SPEC §2), also the ones Nest raises itself (a path
  // parameter with a bad percent-encoding).
  if (status === 400) return ApiError.validation([{ field: 'request', message }], message);
  if (status === 415) {
    return new ApiError(415, 'validation_error', message, {
      errors: [{ field: 'Content-Type', message }],
    });
  }
  return new ApiError(status, CODE_BY_STATUS[status] ?? 'internal_error', message);
}

/**
 * What Fastify answers itself, before routing and so before any hook or filter: a path with a
 * bad percent-encoding, a path parameter past maxParamLength. The same SPEC body.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 500;
  const answer =
    status >= 400 && status < 500
      ? ApiError.validation([{ field: 'request', message: error.message }], error.message)
      : new ApiError(500, 'internal_error', 'an internal error occurred');
  reply.header('X-Request-Id', requestIdOf(request.raw));
  void reply.status(answer.status).send(answer.toBody());
}
