import { Injectable, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { METHODS } from 'node:http';

/**
 * What the HTTP router has registered, asked only on the way to a 404: a path that some route
 * serves with other methods is a 405 with `Allow`, not a 404. Asked of Fastify's own router,
 * so it is always what Nest registered. HEAD is left out: Fastify adds it to every GET.
 */
@Injectable()
export class RegisteredRoutes {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** The methods registered for this path, upper case, GET first; [] when none. */
  allowedMethods(path: string): string[] {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return [];
    return METHODS.filter((method) => method !== 'HEAD' && served(fastify, method, path)).sort(
      (a, b) => rank(a) - rank(b) || a.localeCompare(b),
    );
  }
}

function served(fastify: FastifyInstance, method: string, url: string): boolean {
  try {
    return fastify.findRoute({ method: method as HTTPMethods, url }) !== null;
  } catch {
    return false; // a malformed percent-encoding matches nothing
  }
}

const CONVENTIONAL_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const rank = (method: string) => {
  const index = CONVENTIONAL_ORDER.indexOf(method);
  return index < 0 ? CONVENTIONAL_ORDER.length : index;
};

/**
 * A request no route serves is answered (404, or 405 with Allow) before its body is read: the
 * answer does not depend on it, and Fastify would first judge the body by its method's rules
 * (a QUERY without Content-Type is a 400 of its own). The error goes to the exception filter
 * like Nest's own "no route" 404.
 */
export function answerUnroutedBeforeBody(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, _payload, done) => {
    if (request.is404) done(new NotFoundException(`Cannot ${request.method} ${request.url}`));
    else done();
  });
}
