/**
 * Upload sessions (`meter/createSession`): the id the SDK sends as
 * `X-Session-Id` with `meter/uploadEvent`, and when it stops being valid
 * (13-digit epoch ms, as the SDK reads it).
 */
import { createEndpoint } from '../../resources/resource-endpoints.js';
import { findResourceOfAnyClient } from '../../resources/resource-store.js';
import type { Db } from '../../schema.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { METER_SESSION } from './kinds.js';

/** Our choice (Antom publishes none; Stripe's meter-event sessions last 15 minutes). */
export const SESSION_LIFETIME_MS = 15 * 60_000;

export function sessionEndpoints({ engine }: ResourceProductDeps) {
  return {
    'meter/createSession': createEndpoint(engine, METER_SESSION, {
      path: 'meter/createSession',
      requestIdField: 'requestId',
      build: (_request, { now }) => ({ status: 'ACTIVE', doc: { expiresAt: now + SESSION_LIFETIME_MS } }),
      answer: (record) => ({ sessionId: record.id, sessionExpiryTime: String(record.doc.expiresAt) }),
    }),
  };
}

/** The client an upload session belongs to, while it is valid (the pipeline authenticates `meter/uploadEvent` by it). */
export async function clientOfSession(db: Db, sessionId: string, now: number): Promise<string | undefined> {
  const session = await findResourceOfAnyClient(db, METER_SESSION, sessionId);
  return session !== undefined && session.doc.expiresAt > now ? session.clientId : undefined;
}
