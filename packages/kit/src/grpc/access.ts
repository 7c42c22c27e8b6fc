import { requireRole, type Role } from '../auth';
import type { ServiceHandlers, UnaryHandler } from './server';

/** The roles each method of a gRPC service allows (`admin` always may), declared next to its handlers. */
export type MethodRoles<S> = { readonly [K in keyof S]: readonly Role[] };

/**
 * Handlers that check the caller's roles before anything else runs — before the request is
 * decoded, validated or anything is looked up — so a refusal tells nothing about the input or the
 * data. Every method must name its roles (the type asks for each one; an empty list stops the
 * start). The use cases keep their own finer checks (a technician's own figures).
 */
export function withRoles<S>(
  roles: MethodRoles<S>,
  handlers: ServiceHandlers<S>,
): ServiceHandlers<S> {
  const checked: Record<string, UnaryHandler<unknown, unknown>> = {};
  for (const [method, handler] of Object.entries(
    handlers as Record<string, UnaryHandler<unknown, unknown>>,
  )) {
    const allowed = (roles as Record<string, readonly Role[] | undefined>)[method];
    if (!allowed?.length) throw new Error(`gRPC method ${method} names no roles`);
    checked[method] = async (request, ctx) => {
      requireRole(ctx.identity, ...allowed);
      return handler(request, ctx);
    };
  }
  return checked as ServiceHandlers<S>;
}
