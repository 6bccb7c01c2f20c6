import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's defaults on every response. Swagger UI under /docs loads only its own scripts, so
 * its CSP stays strict but for two things: `upgrade-insecure-requests` is dropped (over plain
 * HTTP it would send the page's own assets to https and break it) and images may come from
 * https: (the spec validator badge).
 */
export function securityHeaders(): RequestHandler {
  const api = helmet();
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'https:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  return (request: Request, response: Response, next: NextFunction) =>
    (request.path === '/docs' || request.path.startsWith('/docs/') ? docs : api)(
      request,
      response,
      next,
    );
}
