/** `billing/customer/*`: customers, one per email per client, deleted as DELETED and still readable. */
import { randomBytes } from 'node:crypto';
import { AmsError, SUCCESS_RESULT, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule } from '../../../endpoints/contract.js';
import { pageAnswer, pageQueryOf } from '../../../resources/list-request.js';
import { changeEndpoint, createEndpoint, defined, detailsEndpoint, requireStatus } from '../../../resources/resource-endpoints.js';
import type { ResourceEngine } from '../../../resources/resource-engine.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { currencyOf, metadataOf } from './fields.js';
import { CUSTOMER, PORTAL_LINK, type CustomerDoc } from './kinds.js';
import { findTagged } from './lookups.js';
import { claimUniqueValue, releaseUniqueValue } from '../../../resources/resource-store.js';
import { filteredListEndpoint } from './scan-list.js';
import { isoOf, parseTime } from './times.js';

/** Our choice: Antom's lists of customers default to 20. */
const CUSTOMER_PAGE = 20;
/** Our choice: a portal link opens the portal for 24 hours. */
export const PORTAL_LINK_TTL_MS = 24 * 60 * 60 * 1000;
const PORTAL_FEATURES = ['SUBSCRIPTION', 'INVOICE', 'PAYMENT_METHOD'] as const;

type CustomerFields = Omit<EndpointRequest<'billing/customer/update'>, 'customerId'>;

/** The editable fields, checked on the customer as it would be after the request. */
function checkCustomer(doc: CustomerDoc): void {
  if (doc.phoneNo !== undefined && doc.countryCode === undefined) throw AmsError.paramIllegal('countryCode', 'is required with phoneNo');
  if (doc.shippingPhone !== undefined && doc.shippingCountryCode === undefined) throw AmsError.paramIllegal('shippingCountryCode', 'is required with shippingPhone');
  if ((doc.preferredLocales?.length ?? 0) > 5) throw AmsError.paramIllegal('preferredLocales', 'may have at most 5 entries');
  currencyOf(doc.currency, 'currency');
  metadataOf(doc.metadata, 'metadata', 50);
  if (doc.email !== undefined && doc.email.trim() === '') throw AmsError.paramIllegal('email', 'must not be blank');
}

/**
 * Claims the email (compared case-insensitively) for customer `self`, or
 * CUSTOMER_EMAIL_DUPLICATED when another customer of the client that is
 * not DELETED holds it. The claim is a unique row, so two concurrent
 * creates with one email make one customer on PostgreSQL too.
 */
async function claimEmail(tx: Tx, clientId: string, email: string, self: string): Promise<void> {
  await releaseUniqueValue(tx, CUSTOMER, clientId, 'email', self);
  const holder = await claimUniqueValue(tx, CUSTOMER, clientId, 'email', email.toLowerCase(), self);
  if (holder !== undefined) {
    throw new AmsError('CUSTOMER_EMAIL_DUPLICATED', `email: customer ${holder} already has ${email}`, { field: 'email' });
  }
}

export function customerEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'billing/customer/create': createEndpoint(engine, CUSTOMER, {
      path: 'billing/customer/create',
      requestIdField: 'customerRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        if (request.defaultPaymentMethod !== undefined) throw AmsError.paramIllegal('defaultPaymentMethod', 'cannot be set when the customer is created: the customer has no payment method yet');
        const { customerRequestId, ...fields } = request;
        const doc: CustomerDoc = defined({ ...fields, customerId: id, customerRequestId, status: 'ACTIVE', gmtCreate: isoOf(now) });
        checkCustomer(doc);
        await claimEmail(tx, clientId, request.email, id);
        return { status: 'ACTIVE', doc };
      },
      answer: (record) => ({ customerId: record.id, customerRequestId: record.doc.customerRequestId, email: record.doc.email, status: record.status }),
    }),

    'billing/customer/update': changeEndpoint(engine, CUSTOMER, {
      path: 'billing/customer/update',
      idOf: (request) => request.customerId,
      decide: async (record, request, { tx, clientId }) => {
        requireStatus(CUSTOMER, record, ['ACTIVE'], 'updated');
        const { customerId: _id, metadata, ...fields } = request;
        const changes: CustomerFields = defined(fields);
        const doc: CustomerDoc = defined({ ...record.doc, ...changes, ...(metadata === undefined ? {} : { metadata: metadata === '' ? undefined : metadata }) });
        checkCustomer(doc);
        if (changes.email !== undefined && changes.email.toLowerCase() !== record.doc.email?.toLowerCase()) await claimEmail(tx, clientId, changes.email, record.id);
        return { status: record.status, doc, event: 'updated' };
      },
      answer: (record) => ({ customerId: record.id, status: record.status }),
    }),

    'billing/customer/delete': changeEndpoint(engine, CUSTOMER, {
      path: 'billing/customer/delete',
      idOf: (request) => request.customerId,
      decide: async (record, _request, { tx, clientId }) => {
        if (record.status === 'DELETED') return { unchanged: true };
        await releaseUniqueValue(tx, CUSTOMER, clientId, 'email', record.id);
        return { status: 'DELETED', doc: { ...record.doc, status: 'DELETED' }, event: 'deleted' };
      },
      answer: (record) => ({ customerId: record.id, status: record.status }),
    }),

    'billing/customer/inquireDetails': detailsEndpoint(engine, CUSTOMER, {
      path: 'billing/customer/inquireDetails',
      idOf: (request) => ({ id: request.customerId, field: 'customerId' }),
      answer: (record) => ({ ...record.doc, status: record.status }),
    }),

    'billing/customer/inquireList': customerList(engine),

    'billing/customer/createPortalLink': endpointModule({
      path: 'billing/customer/createPortalLink',
      handle: async (context, request) => {
        const features = request.features ?? [];
        for (const [index, feature] of features.entries()) {
          if (!(PORTAL_FEATURES as readonly string[]).includes(feature)) throw AmsError.paramIllegal(`features[${index}]`, `must be one of ${PORTAL_FEATURES.join(', ')}`);
        }
        const now = deps.clock.now();
        const link = await deps.database.transaction(async (tx) => {
          const customer = await portalCustomer(tx, engine, context.clientId, request);
          if (customer.status === 'DELETED') throw AmsError.paramIllegal('customerId', `customer ${customer.id} is DELETED`);
          const token = randomBytes(24).toString('base64url');
          const doc = { token, customerId: customer.id, expiresAt: now + PORTAL_LINK_TTL_MS, features: features.length === 0 ? [...PORTAL_FEATURES] : features };
          await engine.insert(tx, PORTAL_LINK, context.clientId, { status: 'ISSUED', doc }, now);
          return doc;
        });
        return {
          token: link.token,
          portalUrl: `${deps.baseUrl()}/billing/portal/${link.token}`,
          expiresAt: portalTime(link.expiresAt),
          // The sandbox sends no mail: an asked-for send is recorded as sent.
          ...(request.autoSend === true ? { sendStatus: 'SENT' } : {}),
          result: { ...SUCCESS_RESULT },
        };
      },
    }),
  };
}

/** The customer a portal link is for: by id, else the newest not DELETED with the email. */
async function portalCustomer(tx: Tx, engine: ResourceEngine, clientId: string, request: EndpointRequest<'billing/customer/createPortalLink'>) {
  if (request.customerId !== undefined) return engine.require(tx, CUSTOMER, clientId, request.customerId);
  if (request.email === undefined) throw AmsError.paramIllegal('customerId', 'give customerId or email');
  const customer = await findTagged(tx, CUSTOMER, clientId, { email: request.email.toLowerCase(), status: 'ACTIVE' });
  if (customer === undefined) throw new AmsError('RECORD_NOT_FOUND', `email: no customer with ${request.email}`, { field: 'email' });
  return customer;
}

/** `yyyy-MM-dd HH:mm:ss` in UTC: the portal link's expiry is answered in this form, not ISO. */
function portalTime(ms: number): string {
  return isoOf(ms).slice(0, 19).replace('T', ' ');
}

function customerList(engine: ResourceEngine) {
  return filteredListEndpoint(engine, CUSTOMER, {
    path: 'billing/customer/inquireList',
    query: (request) => {
      if (request.phoneNo !== undefined && request.countryCode === undefined) throw AmsError.paramIllegal('countryCode', 'is required with phoneNo');
      const countries = request.country ?? [];
      if (countries.length > 50) throw AmsError.paramIllegal('country', 'may have at most 50 entries');
      const from = request.gmtCreateStart === undefined ? undefined : parseTime(request.gmtCreateStart, 'gmtCreateStart');
      const to = request.gmtCreateEnd === undefined ? undefined : parseTime(request.gmtCreateEnd, 'gmtCreateEnd');
      const query = pageQueryOf(
        { ...request, limit: request.limit ?? CUSTOMER_PAGE },
        {
          status: request.status, email: request.email?.toLowerCase(), phoneNo: request.phoneNo, countryCode: request.countryCode, customerId: request.customerId,
          country: countries.length === 1 ? countries[0] : undefined,
        },
        // gmtCreateEnd is inclusive.
        { ...(from !== undefined ? { createdFrom: from } : {}), ...(to !== undefined ? { createdTo: to + 1 } : {}) },
      );
      const prefix = request.emailPrefix?.toLowerCase();
      if (countries.length <= 1 && prefix === undefined) return { query };
      return {
        query,
        match: (record) =>
          (countries.length <= 1 || (record.doc.country !== undefined && countries.includes(record.doc.country))) &&
          (prefix === undefined || (record.doc.email ?? '').toLowerCase().startsWith(prefix)),
      };
    },
    answer: (page) => pageAnswer(page, 'customers', (record) => defined({
      customerId: record.id, customerRequestId: record.doc.customerRequestId, email: record.doc.email, firstName: record.doc.firstName, lastName: record.doc.lastName,
      status: record.status, billingEmail: record.doc.billingEmail, country: record.doc.country, gmtCreate: record.doc.gmtCreate,
    })),
  });
}
