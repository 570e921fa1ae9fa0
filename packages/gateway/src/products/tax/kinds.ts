/**
 * The tax resource kinds: the client's settings (one), registrations,
 * calculations and the tax transactions recorded for them. Times are kept
 * as epoch milliseconds in the documents and answered as ISO 8601.
 */
import type { EndpointRequest, EndpointResponse } from '@amsgate/protocol';
import { defineResourceKind } from '../../resources/resource-kind.js';

/** Whether a price includes its tax (INCLUSIVE) or the tax is added on top (EXCLUSIVE). */
export type TaxBehavior = 'EXCLUSIVE' | 'INCLUSIVE';

export const TAX_BEHAVIORS = ['EXCLUSIVE', 'INCLUSIVE'] as const satisfies readonly TaxBehavior[];

type HeadOffice = EndpointRequest<'tax/initializeSettings'>['headOffice'];
export type TaxJurisdictionFields = NonNullable<EndpointRequest<'tax/register'>['jurisdiction']>;

export interface TaxSettingsDoc {
  readonly defaultTaxCode: string;
  readonly defaultTaxBehavior: TaxBehavior;
  readonly headOffice: HeadOffice;
}

/** ACTIVE once the head office has a country; PENDING until then (the sandbox's reading of "not usable yet"). */
export const TAX_SETTINGS_STATUSES = ['ACTIVE', 'PENDING'] as const;
export type TaxSettingsStatus = (typeof TAX_SETTINGS_STATUSES)[number];

export const TAX_SETTINGS = defineResourceKind<TaxSettingsDoc, TaxSettingsStatus>({
  kind: 'tax.settings',
  idPrefix: 'TXS',
  noun: 'tax settings',
  idField: 'settingsRequestId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: TAX_SETTINGS_STATUSES,
});

export interface TaxRegistrationDoc {
  readonly taxType: string;
  readonly jurisdiction: TaxJurisdictionFields;
  readonly registrationType: string;
  readonly taxId: string;
  readonly activeFrom: number;
  readonly expireAt?: number;
}

/**
 * Stored: SCHEDULED or ACTIVE as created, CANCELLED once cancelled. What a
 * registration is at a time (SCHEDULED → ACTIVE → EXPIRED) is computed
 * against the clock (`registrationStatusAt`), so no due work is needed.
 */
export const TAX_REGISTRATION_STATUSES = ['SCHEDULED', 'ACTIVE', 'EXPIRED', 'CANCELLED'] as const;
export type TaxRegistrationStatus = (typeof TAX_REGISTRATION_STATUSES)[number];

export const TAX_REGISTRATION = defineResourceKind<TaxRegistrationDoc, TaxRegistrationStatus>({
  kind: 'tax.registration',
  idPrefix: 'TXR',
  noun: 'tax registration',
  idField: 'taxRegistrationId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: TAX_REGISTRATION_STATUSES,
  filters: { country: (doc) => doc.jurisdiction?.country?.toUpperCase() },
});

type CalculationFields = Omit<EndpointResponse<'tax/calculate'>, 'result' | 'taxCalculationId' | 'expireAt' | 'taxDate'>;

export interface TaxCalculationDoc extends CalculationFields {
  readonly taxDate: number;
  readonly expireAt: number;
  /** The jurisdiction the calculation taxed (from the customer's address). */
  readonly customerJurisdiction: { readonly country: string; readonly state?: string };
}

export const TAX_CALCULATION = defineResourceKind<TaxCalculationDoc, 'CALCULATED'>({
  kind: 'tax.calculation',
  idPrefix: 'TXC',
  noun: 'tax calculation',
  idField: 'taxCalculationId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ['CALCULATED'],
});

export interface TaxTransactionDoc {
  readonly taxCalculationId: string;
  readonly type: 'TRANSACTION' | 'REVERSAL';
  readonly taxAmount: string;
  readonly currency: string;
  readonly taxDate: number;
  readonly postedAt: number;
  readonly referencePaymentId?: string;
  readonly referenceRefundId?: string;
}

export const TAX_TRANSACTION = defineResourceKind<TaxTransactionDoc, 'POSTED'>({
  kind: 'tax.transaction',
  idPrefix: 'TXT',
  noun: 'tax transaction',
  idField: 'taxTransactionId',
  notFoundCode: 'RECORD_NOT_FOUND',
  statuses: ['POSTED'],
  filters: {
    taxCalculationId: (doc) => doc.taxCalculationId,
    paymentId: (doc) => doc.referencePaymentId,
    refundId: (doc) => doc.referenceRefundId,
  },
});
