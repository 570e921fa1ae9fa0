/**
 * Who may use the tools' routes (the control API, `/metrics`): without a
 * token only in sandbox mode on a loopback bind (`open`), and then only
 * requests addressed to a loopback name and not a web page's cross-site
 * posts; anywhere else `Authorization: Bearer <admin token>`. The dashboard
 * decides `open` the same way but logs people in with a session instead.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { crossSiteProblem } from './capability-csrf.js';
import { equalSecret } from './equal-secret.js';
import { nonLoopbackHostProblem } from './loopback-host.js';

export interface AdminAccess {
  /** Sandbox mode on a loopback bind: no token needed. */
  open: boolean;
  adminToken?: string;
  /** Also accepted, for read-only routes (`/metrics`): a token a scrape config can hold without the admin's powers. */
  readOnlyToken?: string;
}

/**
 * An `onRequest` hook that refuses what `access` does not allow: 403 on the
 * open gateway (foreign Host, cross-site post), 401 without the bearer
 * token elsewhere; a JSON `{ error }` either way. `what` names the routes in
 * the refusals ("control API").
 */
export function adminAccessGuard(access: AdminAccess, what: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    if (access.open) {
      const foreignHost = nonLoopbackHostProblem(request.headers);
      if (foreignHost !== undefined) {
        await reply.status(403).send({ error: `Refused (${foreignHost}): the open ${what} answers requests addressed to this machine by a loopback name` });
        return;
      }
      // Open means open to tools on this machine, not to any web page the developer visits: a page can post to 127.0.0.1 (as the dashboard's session cookie guards against).
      const crossSite = request.method === 'GET' || request.method === 'HEAD' ? undefined : crossSiteProblem(request.headers);
      if (crossSite === undefined) return;
      await reply.status(403).send({ error: `Cross-site request refused (${crossSite}): the open ${what} takes requests from tools (curl, the CLI, SDK tests), not from web pages` });
      return;
    }
    if (bearerMatches(request.headers.authorization, access.adminToken) || bearerMatches(request.headers.authorization, access.readOnlyToken)) return;
    const tokens = access.readOnlyToken !== undefined ? 'admin token or metrics token' : 'admin token';
    await reply.status(401).send({ error: `The ${what} needs Authorization: Bearer <${tokens}> (open without it only in sandbox mode on a loopback address)` });
  };
}

/** Constant-time comparison of an Authorization header with the admin token; no token configured means no access. */
export function bearerMatches(header: string | undefined, adminToken: string | undefined): boolean {
  return adminToken !== undefined && adminToken !== '' && header !== undefined && equalSecret(header, `Bearer ${adminToken}`);
}
