/**
 * The metering resource kinds: meters, their upload sessions and usage
 * events, and credit grants. Meter ids are the engine's (`MTR` + 26 of
 * [0-9A-Z], 29 characters), so they fit a price's `meterId`
 * (`^[a-zA-Z0-9_]{1,32}$`).
 */
import { defineResourceKind } from '../../resources/resource-kind.js';

export const AGGREGATION_METHODS = ['SUM', 'COUNT', 'LAST'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

export interface MeterDoc {
  readonly meterName: string;
  readonly eventName: string;
  readonly aggregationMethod: AggregationMethod;
  readonly eventTimeWindow?: string;
  readonly valueKeyOverride: string;
}

export const METER_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type MeterStatus = (typeof METER_STATUSES)[number];

export const METER = defineResourceKind<MeterDoc, MeterStatus>({
  kind: 'meter.meter',
  idPrefix: 'MTR',
  noun: 'meter',
  idField: 'meterId',
  notFoundCode: 'METER_NOT_FOUND',
  statuses: METER_STATUSES,
  filters: {
    meterName: (doc) => doc.meterName,
    eventName: (doc) => doc.eventName,
  },
});

/** An upload session (`meter/createSession`): what `X-Session-Id` names. */
export interface MeterSessionDoc {
  readonly expiresAt: number;
}

export const METER_SESSION = defineResourceKind<MeterSessionDoc, 'ACTIVE'>({
  kind: 'meter.session',
  idPrefix: 'MSN',
  noun: 'meter session',
  idField: 'sessionId',
  notFoundCode: 'PARAM_ILLEGAL',
  statuses: ['ACTIVE'],
});

/** One accepted usage event; `value` is a whole number (0 for a COUNT meter's event without one). */
export interface MeterEventDoc {
  readonly meterId: string;
  readonly eventName: string;
  readonly customerId: string;
  readonly eventTimestamp: number;
  readonly value: string;
  readonly idempotencyKey?: string;
  /** Position in its upload: breaks LAST's ties between events of one upload with the same time. */
  readonly position: number;
}

export const METER_EVENT = defineResourceKind<MeterEventDoc, 'ACCEPTED'>({
  kind: 'meter.event',
  idPrefix: 'MEV',
  noun: 'meter event',
  idField: 'idempotencyKey',
  notFoundCode: 'METER_NOT_FOUND',
  statuses: ['ACCEPTED'],
  filters: {
    usageOf: (doc) => (doc.meterId === undefined || doc.customerId === undefined ? undefined : usageTag(doc.meterId, doc.customerId)),
  },
});

/** The tag a meter's events for one customer share (what `meteredUsage` reads). */
export function usageTag(meterId: string, customerId: string): string {
  return `${meterId}/${customerId}`;
}

export const CREDIT_GRANT_CATEGORIES = ['PAID', 'PROMOTIONAL'] as const;
export const APPLICABILITY_SCOPES = ['METERED', 'PRICES'] as const;

export interface CreditGrantDoc {
  readonly creditGrantName: string;
  readonly customerId: string;
  /** Minor units. */
  readonly amount: { readonly currency: string; readonly value: string };
  /** What is left to consume, minor units. */
  readonly availableValue: string;
  readonly applicability: { readonly scope: (typeof APPLICABILITY_SCOPES)[number]; readonly priceIds?: readonly string[] };
  readonly priority: number;
  readonly category: (typeof CREDIT_GRANT_CATEGORIES)[number];
  readonly effectiveAt: number;
  /** Absent: never expires. */
  readonly expiresAt?: number;
  readonly voidReason?: string;
}

export const CREDIT_GRANT_STATUSES = ['ACTIVE', 'EXPIRED', 'VOIDED'] as const;
export type CreditGrantStatus = (typeof CREDIT_GRANT_STATUSES)[number];

export const CREDIT_GRANT = defineResourceKind<CreditGrantDoc, CreditGrantStatus>({
  kind: 'meter.creditGrant',
  idPrefix: 'CGR',
  noun: 'credit grant',
  idField: 'creditGrantId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: CREDIT_GRANT_STATUSES,
  filters: {
    customerId: (doc) => doc.customerId,
    currency: (doc) => doc.amount?.currency,
    // Not a list filter: what the expiry work finds due grants by (zero-padded, so text order is time order).
    expiresAt: (doc) => (doc.expiresAt === undefined ? undefined : expiryTag(doc.expiresAt)),
  },
});

export function expiryTag(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(16, '0');
}
