import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { METHODS } from 'node:http';

export interface RegisteredRoute {
  path?: string;
  methods?: Record<string, boolean>;
}

interface RouterLayer {
  route?: RegisteredRoute;
  match(path: string): unknown;
}

/**
 * Nest mounts middleware as routes for every HTTP method (`{/*splat}`); those are not
 * endpoints. An endpoint's route is registered for the few methods it serves.
 */
export const isEndpoint = (route: RegisteredRoute | undefined): route is RegisteredRoute =>
  Boolean(route?.methods) && Object.keys(route?.methods ?? {}).length < METHODS.length;

/**
 * What the HTTP router has registered, asked only on the way to a 404: a path that some route
 * serves with other methods is a 405 with `Allow`, not a 404. Read from Express's own route
 * table, so it is always what Nest registered.
 */
@Injectable()
export class RegisteredRoutes {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** The methods registered for this path, upper case, GET first; [] when none. */
  allowedMethods(path: string): string[] {
    const router = this.adapterHost.httpAdapter?.getInstance()?.router as
      { stack: RouterLayer[] } | undefined;
    const methods = new Set<string>();
    for (const layer of router?.stack ?? []) {
      if (!isEndpoint(layer.route) || !safeMatch(layer, path)) continue;
      for (const [method, on] of Object.entries(layer.route.methods ?? {})) {
        if (on && method !== '_all') methods.add(method.toUpperCase());
      }
    }
    return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }
}

const CONVENTIONAL_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const rank = (method: string) => {
  const index = CONVENTIONAL_ORDER.indexOf(method);
  return index < 0 ? CONVENTIONAL_ORDER.length : index;
};

function safeMatch(layer: RouterLayer, path: string): boolean {
  try {
    return Boolean(layer.match(path));
  } catch {
    return false; // a malformed percent-encoding matches nothing
  }
}
