import type { DestinationStream } from 'pino';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { factsOf, requestIdOf } from '../request/request-context';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(value: string | undefined): LogLevel {
  const level = (value?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join('|')}, got "${value}"`);
  }
  return level as LogLevel;
}

/** Credentials never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
];

/**
 * One JSON line per log call (pino). Each request gets one access-log line when its response
 * ends: `requestId` (the echoed X-Request-Id, also the events' correlationId), `tenant` once
 * authenticated, `route` (the matched pattern), `req.method`, `res.statusCode`, `durationMs`.
 */
export function loggerParams(level: LogLevel, destination?: DestinationStream): Params {
  const options: Params['pinoHttp'] = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Fastify's request.id, which is requestIdOf's answer (bootstrap.ts).
    genReqId: (req) => requestIdOf(req),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // Called when the request starts and again when it ends; only the end knows these.
    customProps: (req: IncomingMessage, res: ServerResponse) => {
      if (!res.headersSent) return {};
      const { tenantId, route } = factsOf(req);
      return { tenant: tenantId, route };
    },
    customLogLevel: (_req, res: ServerResponse, error) =>
      error || res.statusCode >= 500 ? 'error' : 'info',
    serializers: {
      req: (req: { method: string; url: string; headers: unknown; remoteAddress?: string }) => ({
        method: req.method,
        url: req.url,
        headers: req.headers,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
