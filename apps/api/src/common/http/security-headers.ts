import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const DOCS_PATH = /^\/docs(\/|$)/;

/**
 * helmet's defaults on every response. Swagger UI under /docs loads only its own scripts, so
 * its CSP stays strict but for two things: `upgrade-insecure-requests` is dropped (over plain
 * HTTP it would send the page's own assets to https and break it) and images may come from
 * https: (the spec validator badge). Register before any route: the docs routes get their
 * options as they are added.
 */
export async function securityHeaders(fastify: FastifyInstance): Promise<void> {
  const docs: FastifyHelmetOptions = {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'https:'],
        'upgrade-insecure-requests': null,
      },
    },
  };
  fastify.addHook('onRoute', (route) => {
    if (DOCS_PATH.test(route.url)) route.helmet = docs;
  });
  await fastify.register(helmet);
}
