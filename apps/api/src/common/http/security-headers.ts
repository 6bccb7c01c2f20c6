import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's defaults on every response. Swagger UI under /docs runs an inline bootstrap and
 * loads data: images, so only there the CSP also allows inline scripts and data: images.
 */
export function securityHeaders(): RequestHandler {
  const api = helmet();
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
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
