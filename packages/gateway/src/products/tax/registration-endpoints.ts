/**
 * Tax registrations: register (one live registration per tax type and
 * jurisdiction: another is REPEAT_REQUEST), cancel, move the period, list.
 */
import { AmsError, formatResponseTime, SUCCESS_RESULT, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule, type EndpointModule } from '../../endpoints/contract.js';
import { createEndpoint, defined } from '../../resources/resource-endpoints.js';
import { requestFingerprint } from '../../resources/resource-engine.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../resources/list-request.js';
import { parseWireTime } from '../payments/wire-time.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { parseCountry } from './calculation.js';
import { TAX_REGISTRATION, TAX_REGISTRATION_STATUSES, type TaxRegistrationDoc, type TaxRegistrationStatus } from './kinds.js';
import { findRegistrations, registrationIsLive, registrationStatusAt, type RegistrationRecord } from './registrations.js';
import { lockClientKind } from './settings.js';

/** The values the SDKs list (the list may grow: a new value is refused until amsgate learns it). */
export const TAX_TYPES = ['CUIT', 'GST', 'VAT', 'CBS', 'IBS', 'HST', 'PST', 'RST', 'QST', 'JCT', 'SERVICE_TAX', 'IGV', 'SALES_TAX', 'PERSONAL_PROPERTY_LEASE_TRANSACTION_TAX'] as const;
export const REGISTRATION_TYPES = ['OSS_NON_UNION', 'STANDARD_LOCAL_TAX', 'SINGLE_LOCAL_USE_TAX_RATE', 'SIMPLIFIED_SELLERS_USE_TAX', 'STANDARD_SALES_AND_USE_TAX', 'NORMAL_GST_HST', 'SIMPLIFIED_GST_HST'] as const;

function oneOf(values: readonly string[], value: string, field: string): string {
  if (!values.includes(value)) throw AmsError.paramIllegal(field, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

function parseTime(value: string, field: string): number {
  const parsed = parseWireTime(value);
  if (parsed === undefined) throw AmsError.paramIllegal(field, `must be an ISO 8601 date-time with an offset, got ${JSON.stringify(value)}`);
  return parsed;
}

function jurisdictionOf(request: EndpointRequest<'tax/register'>): TaxRegistrationDoc['jurisdiction'] {
  const j = request.jurisdiction;
  const upper = (value: string | undefined) => (value === undefined || value === '' ? undefined : value.toUpperCase());
  return defined({ country: parseCountry(j.country, 'jurisdiction.country'), region: upper(j.region), county: upper(j.county), city: upper(j.city), district: upper(j.district) });
}

function sameJurisdiction(a: TaxRegistrationDoc['jurisdiction'], b: TaxRegistrationDoc['jurisdiction']): boolean {
  return a.country === b.country && a.region === b.region && a.county === b.county && a.city === b.city && a.district === b.district;
}

export function registrationAnswer(record: RegistrationRecord, now: number) {
  return defined({
    taxRegistrationId: record.id,
    taxType: record.doc.taxType,
    jurisdiction: record.doc.jurisdiction,
    registrationType: record.doc.registrationType,
    taxId: record.doc.taxId,
    status: registrationStatusAt(record, now),
    activeFrom: formatResponseTime(record.doc.activeFrom),
    expireAt: record.doc.expireAt === undefined ? undefined : formatResponseTime(record.doc.expireAt),
  });
}

function requireLive(record: RegistrationRecord, action: string): void {
  if (record.status !== 'SCHEDULED' && record.status !== 'ACTIVE') {
    throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `taxRegistrationId: tax registration ${record.id} is ${record.status}: only a SCHEDULED or ACTIVE one can be ${action}`, { field: 'taxRegistrationId' });
  }
}

/** The stored status for a registration that is not cancelled: what the clock makes it at a write. */
function storedStatus(doc: TaxRegistrationDoc, now: number): TaxRegistrationStatus {
  return registrationStatusAt({ status: 'ACTIVE', doc }, now);
}

export function registrationEndpoints(deps: ResourceProductDeps) {
  const { engine, clock } = deps;
  const withEffectiveStatus = (record: RegistrationRecord, now: number): RegistrationRecord => ({ ...record, status: registrationStatusAt(record, now) });

  return {
    'tax/register': createEndpoint(engine, TAX_REGISTRATION, {
      path: 'tax/register',
      requestIdField: 'registrationRequestId',
      build: async (request, { tx, clientId, now }) => {
        const activeFrom = parseTime(request.activeFrom, 'activeFrom');
        const expireAt = request.expireAt === undefined ? undefined : parseTime(request.expireAt, 'expireAt');
        if (expireAt !== undefined && expireAt <= activeFrom) throw AmsError.paramIllegal('expireAt', 'must be later than activeFrom');
        if (expireAt !== undefined && expireAt <= now) throw AmsError.paramIllegal('expireAt', 'must be later than now');
        const doc: TaxRegistrationDoc = defined({
          taxType: oneOf(TAX_TYPES, request.taxType, 'taxType'),
          jurisdiction: jurisdictionOf(request),
          registrationType: oneOf(REGISTRATION_TYPES, request.registrationType, 'registrationType'),
          taxId: request.taxId,
          activeFrom,
          expireAt,
        });
        await lockClientKind(deps, tx, clientId, TAX_REGISTRATION.kind);
        const duplicate = (await findRegistrations(tx, clientId, doc.jurisdiction.country)).find(
          (other) => registrationIsLive(other, now) && other.doc.taxType === doc.taxType && sameJurisdiction(other.doc.jurisdiction, doc.jurisdiction),
        );
        if (duplicate !== undefined) {
          throw new AmsError('REPEAT_REQUEST', `jurisdiction: the ${doc.taxType} registration ${duplicate.id} already covers it (${registrationStatusAt(duplicate, now)}); cancel it or move its period first`, { field: 'jurisdiction' });
        }
        return { status: storedStatus(doc, now), doc, detail: `${doc.taxType} in ${[doc.jurisdiction.country, doc.jurisdiction.region].filter(Boolean).join('-')}` };
      },
      answer: (record) => registrationAnswer(record, clock.now()),
    }),

    'tax/cancelRegistration': keyedEndpointModule({
      path: 'tax/cancelRegistration',
      idempotency: { scope: 'tax.registration.cancel', fingerprint: (request) => requestFingerprint(request, 'registrationCancelRequestId') },
      handle: async (context, request: EndpointRequest<'tax/cancelRegistration'>) => {
        const record = await engine.changeKeyed(context, TAX_REGISTRATION, request.taxRegistrationId, (current, _tx, now) => {
          requireLive(withEffectiveStatus(current, now), 'cancelled');
          return { status: 'CANCELLED', doc: current.doc, event: 'cancelled' };
        });
        return { ...registrationAnswer(record, clock.now()), result: { ...SUCCESS_RESULT } };
      },
    }) as EndpointModule<'tax/cancelRegistration'>,

    'tax/updateRegistrationPeriod': keyedEndpointModule({
      path: 'tax/updateRegistrationPeriod',
      idempotency: { scope: 'tax.registration.period', fingerprint: (request) => requestFingerprint(request, 'registrationUpdatePeriodRequestId') },
      handle: async (context, request: EndpointRequest<'tax/updateRegistrationPeriod'>) => {
        if (request.activeFrom === undefined && request.expireAt === undefined) throw AmsError.paramIllegal('activeFrom', 'send activeFrom, expireAt or both to move');
        const newActiveFrom = request.activeFrom === undefined ? undefined : parseTime(request.activeFrom, 'activeFrom');
        const newExpireAt = request.expireAt === undefined ? undefined : parseTime(request.expireAt, 'expireAt');
        const record = await engine.changeKeyed(context, TAX_REGISTRATION, request.taxRegistrationId, (current, _tx, now) => {
          const effective = withEffectiveStatus(current, now);
          requireLive(effective, 'moved');
          if (newActiveFrom !== undefined) {
            if (effective.status !== 'SCHEDULED') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `activeFrom: tax registration ${current.id} is ${effective.status}: only a SCHEDULED one can change its start`, { field: 'activeFrom' });
            if (newActiveFrom <= now) throw AmsError.paramIllegal('activeFrom', 'must be later than now');
          }
          const activeFrom = newActiveFrom ?? current.doc.activeFrom;
          if (newExpireAt !== undefined) {
            if (newExpireAt <= now) throw AmsError.paramIllegal('expireAt', 'must be later than now');
            if (newExpireAt <= activeFrom) throw AmsError.paramIllegal('expireAt', 'must be later than activeFrom');
          } else if (current.doc.expireAt !== undefined && current.doc.expireAt <= activeFrom) {
            throw AmsError.paramIllegal('activeFrom', 'must be earlier than the registration\'s expireAt');
          }
          const doc: TaxRegistrationDoc = defined({ ...current.doc, activeFrom, expireAt: newExpireAt ?? current.doc.expireAt });
          return { status: storedStatus(doc, now), doc, event: 'period-updated', detail: `${formatResponseTime(doc.activeFrom)} to ${doc.expireAt === undefined ? 'open end' : formatResponseTime(doc.expireAt)}` };
        });
        return { ...registrationAnswer(record, clock.now()), result: { ...SUCCESS_RESULT } };
      },
    }) as EndpointModule<'tax/updateRegistrationPeriod'>,

    // Statuses move with the clock, so the filter is applied to the computed status (a client has few registrations).
    'tax/inquireRegistrationList': endpointModule({
      path: 'tax/inquireRegistrationList',
      handle: async (context, request: EndpointRequest<'tax/inquireRegistrationList'>) => {
        if (request.status !== undefined) oneOf(TAX_REGISTRATION_STATUSES, request.status, 'status');
        const currentPage = request.currentPage ?? 1;
        const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
        if (!Number.isInteger(currentPage) || currentPage < 1) throw AmsError.paramIllegal('currentPage', 'must be 1 or more');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw AmsError.paramIllegal('pageSize', `must be 1 to ${MAX_PAGE_SIZE}`);
        const now = clock.now();
        const all = await deps.database.read((db) => findRegistrations(db, context.clientId));
        const matching = all.filter((record) => request.status === undefined || registrationStatusAt(record, now) === request.status);
        const page = matching.slice((currentPage - 1) * pageSize, currentPage * pageSize);
        return {
          registrations: page.map((record) => registrationAnswer(record, now)),
          paginator: { currentPage, pageSize, totalCount: matching.length, totalPage: Math.ceil(matching.length / pageSize) },
          result: { ...SUCCESS_RESULT },
        };
      },
    }),
  };
}
