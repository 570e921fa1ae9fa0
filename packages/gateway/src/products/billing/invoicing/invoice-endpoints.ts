/**
 * The invoice lifecycle endpoints (confirmPayment is `invoice-payment.ts`):
 *
 *   create → DRAFT (or OPEN) ─finalize→ OPEN ─confirmPayment→ PAID
 *   DRAFT/OPEN/UNCOLLECTIBLE ─void→ VOID;  OPEN ─markUncollectible→ UNCOLLECTIBLE
 *
 * A change the status does not allow is NOT_ALLOW_IN_CURRENT_STATUS.
 */
import { randomUUID } from 'node:crypto';
import { AmsError, SUCCESS_RESULT, isKnownCurrency } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule, type EndpointModules } from '../../../endpoints/contract.js';
import { requestFingerprint, type Decision } from '../../../resources/resource-engine.js';
import { createEndpoint } from '../../../resources/resource-endpoints.js';
import type { ResourceRecord } from '../../../resources/resource-kind.js';
import { findResource, insertResource, saveResource } from '../../../resources/resource-store.js';
import { newResourceId } from '../../../ids.js';
import type { Tx } from '../../../schema.js';
import type { ResourceProductDeps } from '../../resource-product-deps.js';
import { buildInvoice, dueDateAfter, hostedUrl, newViewToken, parseDueDate, requireCustomer } from './invoice-builder.js';
import { couponsOfDoc, linesOfDoc } from './invoice-copy.js';
import { linesOf } from './invoice-lines.js';
import { BILLING_SUBSCRIPTION, INVOICE, type InvoiceDoc, type InvoiceStatus } from './kinds.js';
import { invoiceDetails, invoiceIdOf, invoiceNumberOf, mustBe } from './lookup.js';
import { notifyInvoice } from './notifications.js';

type InvoiceRecord = ResourceRecord<InvoiceDoc, InvoiceStatus>;

/** The subscription default and ours for an invoice finalized without a due date. */
export const DEFAULT_DAYS_UNTIL_DUE = 30;
const COLLECTION_METHODS = ['CHARGE_AUTOMATICALLY', 'SEND_INVOICE'];

const ok = () => ({ result: { ...SUCCESS_RESULT } });

/** The invoice's notes with one more, newest first, when the request gave one. */
export function withNote(doc: InvoiceDoc, note: string | undefined, action: string, nowIso: string): Pick<InvoiceDoc, 'invoiceNotes'> {
  if (note === undefined) return doc.invoiceNotes === undefined ? {} : { invoiceNotes: doc.invoiceNotes };
  return { invoiceNotes: [{ noteId: randomUUID(), note, action, noteTime: nowIso }, ...(doc.invoiceNotes ?? [])] };
}

function collectionMethodOf(value: string | undefined, field = 'collectionMethod'): string {
  const method = value ?? 'CHARGE_AUTOMATICALLY';
  if (!COLLECTION_METHODS.includes(method)) throw AmsError.paramIllegal(field, `must be ${COLLECTION_METHODS.join(' or ')}, got ${method}`);
  return method;
}

/** An OPEN invoice as finalized now: due date, view token, hosted URL; nothing left to pay makes it PAID. */
export function opened(deps: ResourceProductDeps, record: InvoiceRecord, now: number): { status: InvoiceStatus; doc: InvoiceDoc } {
  const nowIso = new Date(now).toISOString();
  const token = record.doc.internal.viewToken ?? newViewToken();
  const paid = BigInt(record.doc.remainAmount?.value ?? '0') === 0n;
  return {
    status: paid ? 'PAID' : 'OPEN',
    doc: {
      ...record.doc,
      status: paid ? 'PAID' : 'OPEN',
      dueDate: record.doc.dueDate ?? dueDateAfter(now, DEFAULT_DAYS_UNTIL_DUE),
      hostedInvoiceUrl: hostedUrl(deps, record.id, token),
      ...(paid ? { paidTime: nowIso } : {}),
      gmtUpdate: nowIso,
      internal: { ...record.doc.internal, viewToken: token, finalizedAt: nowIso },
    },
  };
}

export function invoiceEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  const change = (clientId: string, id: string, decide: (record: InvoiceRecord, tx: Tx, now: number) => Promise<Decision<InvoiceDoc, InvoiceStatus>> | Decision<InvoiceDoc, InvoiceStatus>) =>
    engine.change(clientId, INVOICE, id, decide);

  return {
    'billing/invoice/create': createEndpoint(engine, INVOICE, {
      path: 'billing/invoice/create',
      requestIdField: 'invoiceRequestId',
      build: async (request, { tx, id, now, clientId }) => {
        if (!isKnownCurrency(request.currency)) throw AmsError.paramIllegal('currency', `must be an ISO 4217 currency code, got ${request.currency}`);
        const status = request.status ?? 'DRAFT';
        if (status !== 'DRAFT' && status !== 'OPEN') throw AmsError.paramIllegal('status', `must be DRAFT or OPEN, got ${status}`);
        if (status === 'OPEN' && request.dueDate === undefined) throw AmsError.paramIllegal('dueDate', 'is required when status is OPEN');
        const dueDate = request.dueDate === undefined ? undefined : parseDueDate(request.dueDate, now);
        const customer = await requireCustomer(tx, clientId, request.customerId);
        if (request.subscriptionId !== undefined && (await findResource(tx, BILLING_SUBSCRIPTION, clientId, request.subscriptionId)) === undefined) {
          throw new AmsError('RECORD_NOT_FOUND', `subscriptionId: no billing subscription ${request.subscriptionId}`, { field: 'subscriptionId' });
        }
        const lines = await linesOf(tx, clientId, request.items, request.currency, request.subscriptionId !== undefined);
        const built = await buildInvoice(deps, tx, clientId, {
          id, requestId: request.invoiceRequestId, customer, currency: request.currency, lines, discounts: request.discounts ?? [], status,
          reason: 'MANUAL', ...(request.subscriptionId === undefined ? {} : { subscriptionId: request.subscriptionId }),
          ...(dueDate === undefined ? {} : { dueDate }), ...(request.description === undefined ? {} : { description: request.description }),
          collectionMethod: collectionMethodOf(request.collectionMethod),
          ...(request.paymentMethod === undefined ? {} : { paymentMethod: request.paymentMethod }),
          ...(request.shipping === undefined ? {} : { shipping: request.shipping }),
          internal: { ...(request.invoiceNotifyUrl === undefined ? {} : { notifyUrl: request.invoiceNotifyUrl }), ...(request.autoSend === true && status === 'OPEN' ? { sendCount: 1 } : {}) },
        }, now);
        return {
          ...built,
          after: async (tx2, record) => {
            if (record.status === 'OPEN') await notifyInvoice(deps, tx2, record, 'FINALIZED', now);
            if (record.status === 'PAID') await notifyInvoice(deps, tx2, record, 'PAID', now);
          },
        };
      },
      answer: (record, request) => ({
        invoiceId: record.id,
        invoiceRequestId: request.invoiceRequestId,
        status: record.status,
        ...(record.status === 'DRAFT' || record.doc.hostedInvoiceUrl === undefined ? {} : { hostedInvoiceUrl: record.doc.hostedInvoiceUrl }),
        ...(request.autoSend === true ? { sendStatus: record.status === 'DRAFT' ? 'FAILED' : 'SENT' } : {}),
      }),
    }),

    'billing/invoice/update': endpointModule({
      path: 'billing/invoice/update',
      handle: async (context, request) => {
        let replacement: string | undefined;
        const record = await change(context.clientId, request.invoiceId, async (current, tx, now) => {
          mustBe(INVOICE, current, ['DRAFT'], 'updated');
          const nowIso = new Date(now).toISOString();
          const doc: InvoiceDoc = {
            ...current.doc,
            ...(request.description === undefined ? {} : { description: request.description }),
            ...(request.dueDate === undefined ? {} : { dueDate: parseDueDate(request.dueDate, now) }),
            ...(request.collectionMethod === undefined ? {} : { collectionMethod: collectionMethodOf(request.collectionMethod) }),
            ...(request.paymentMethod === undefined ? {} : { paymentMethod: request.paymentMethod }),
            ...(request.shipping === undefined ? {} : { shipping: request.shipping }),
            gmtUpdate: nowIso,
            internal: {
              ...current.doc.internal,
              ...(request.footer === undefined ? {} : { footer: request.footer }),
              ...(request.memo === undefined ? {} : { memo: request.memo }),
              ...(request.customFields === undefined ? {} : { customFields: request.customFields }),
              ...(request.includePaymentLink === undefined ? {} : { includePaymentLink: request.includePaymentLink }),
              ...(request.invoiceNotifyUrl === undefined ? {} : { notifyUrl: request.invoiceNotifyUrl }),
            },
          };
          if (request.customFields !== undefined && request.customFields.length > 4) throw AmsError.paramIllegal('customFields', 'at most 4');
          if (request.customerId === undefined || request.customerId === current.doc.customerId) return { status: 'DRAFT', doc, event: 'updated' };
          // Another customer: this draft is set aside (VOID) and a new one made for the customer, with the taxes of where they are.
          const customer = await requireCustomer(tx, context.clientId, request.customerId);
          const lines = linesOfDoc(doc);
          const coupons = await couponsOfDoc(tx, context.clientId, doc.discounts ?? []);
          const newId = newResourceId(INVOICE.idPrefix, now);
          return {
            status: 'VOID', doc: { ...doc, status: 'VOID', internal: { ...doc.internal, replacedBy: newId } }, event: 'replaced', detail: `customer changed to ${customer.id}: replaced by ${newId}`,
            after: async (tx2, saved) => {
              const built = await buildInvoice(deps, tx2, context.clientId, {
                id: newId, requestId: doc.invoiceRequestId ?? newId, customer, currency: doc.currency!, lines, discounts: doc.discounts ?? [], coupons, status: 'DRAFT', reason: doc.reason ?? 'MANUAL',
                ...(doc.subscriptionId === undefined ? {} : { subscriptionId: doc.subscriptionId }), ...(doc.dueDate === undefined ? {} : { dueDate: doc.dueDate }),
                ...(doc.description === undefined ? {} : { description: doc.description }), collectionMethod: doc.collectionMethod ?? 'CHARGE_AUTOMATICALLY',
                ...(doc.paymentMethod === undefined ? {} : { paymentMethod: doc.paymentMethod }), ...(doc.shipping === undefined ? {} : { shipping: doc.shipping }),
                internal: { ...doc.internal, replaces: saved.id, replacedBy: undefined },
              }, now);
              await insertResource(tx2, INVOICE, context.clientId, { id: newId, status: built.status, doc: built.doc, now, detail: `replaces ${saved.id}` });
              replacement = newId;
            },
          };
        });
        if (replacement !== undefined) return { ...ok(), invoiceId: replacement, status: 'DRAFT', previousInvoiceId: record.id };
        return { ...ok(), invoiceId: record.id, status: record.status };
      },
    }),

    'billing/invoice/finalize': endpointModule({
      path: 'billing/invoice/finalize',
      handle: async (context, request) => {
        const record = await change(context.clientId, request.invoiceId, (current, _tx, now) => {
          mustBe(INVOICE, current, ['DRAFT'], 'finalized');
          const next = opened(deps, current, now);
          const doc = { ...next.doc, ...withNote(current.doc, request.invoiceNote, 'FINALIZE', new Date(now).toISOString()), internal: { ...next.doc.internal, ...(request.autoSend === true ? { sendCount: (current.doc.internal.sendCount ?? 0) + 1 } : {}) } };
          return {
            status: next.status, doc, event: 'finalized',
            after: async (tx, saved) => {
              await notifyInvoice(deps, tx, saved, 'FINALIZED', now);
              if (saved.status === 'PAID') await notifyInvoice(deps, tx, saved, 'PAID', now);
            },
          };
        });
        return {
          ...ok(), invoiceId: record.id, status: record.status, hostedInvoiceUrl: record.doc.hostedInvoiceUrl, finalizedAt: record.doc.internal.finalizedAt,
          ...(request.invoiceNote === undefined ? {} : { invoiceNote: request.invoiceNote }), ...(request.autoSend === true ? { sendStatus: 'SENT' } : {}),
        };
      },
    }),

    'billing/invoice/send': endpointModule({
      path: 'billing/invoice/send',
      handle: async (context, request) => {
        const record = await change(context.clientId, request.invoiceId, (current) => {
          mustBe(INVOICE, current, ['OPEN', 'PAID'], 'sent');
          return { status: current.status, doc: { ...current.doc, internal: { ...current.doc.internal, sendCount: (current.doc.internal.sendCount ?? 0) + 1 } }, event: 'sent', detail: `sent (recorded; no mail leaves the sandbox)${request.ccEmails?.length ? `, cc ${request.ccEmails.length}` : ''}`  };
        });
        return { ...ok(), invoiceId: record.id, sendStatus: 'SENT', ...(record.doc.hostedInvoiceUrl === undefined ? {} : { hostedInvoiceUrl: record.doc.hostedInvoiceUrl }) };
      },
    }),

    'billing/invoice/markUncollectible': endpointModule({
      path: 'billing/invoice/markUncollectible',
      handle: async (context, request) => {
        const record = await change(context.clientId, request.invoiceId, (current, _tx, now) => {
          mustBe(INVOICE, current, ['OPEN'], 'marked uncollectible');
          const nowIso = new Date(now).toISOString();
          return {
            status: 'UNCOLLECTIBLE', event: 'marked uncollectible',
            doc: { ...current.doc, status: 'UNCOLLECTIBLE', gmtUpdate: nowIso, ...withNote(current.doc, request.invoiceNote, 'MARK_UNCOLLECTIBLE', nowIso), internal: { ...current.doc.internal, markedUncollectibleAt: nowIso } },
            after: (tx, saved) => notifyInvoice(deps, tx, saved, 'UNCOLLECTIBLE', now),
          };
        });
        return { ...ok(), invoiceId: record.id, status: record.status, markedUncollectibleAt: record.doc.internal.markedUncollectibleAt, ...(request.invoiceNote === undefined ? {} : { invoiceNote: request.invoiceNote }) };
      },
    }),

    'billing/invoice/void': endpointModule({
      path: 'billing/invoice/void',
      handle: async (context, request) => {
        const record = await change(context.clientId, request.invoiceId, (current, _tx, now) => {
          mustBe(INVOICE, current, ['DRAFT', 'OPEN', 'UNCOLLECTIBLE'], 'voided');
          return { ...voided(current, request.invoiceNote, now), after: (tx, saved) => notifyInvoice(deps, tx, saved, 'VOIDED', now) };
        });
        return { ...ok(), invoiceId: record.id, status: record.status, voidedAt: record.doc.internal.voidedAt, ...(request.invoiceNote === undefined ? {} : { invoiceNote: request.invoiceNote }) };
      },
    }),

    'billing/invoice/revise': keyedEndpointModule({
      path: 'billing/invoice/revise',
      idempotency: { scope: 'billing.invoice.revision', fingerprint: (request) => requestFingerprint(request, 'invoiceRevisionRequestId') },
      handle: async (context, request) => {
        const originalId = await deps.database.read((db) => invoiceIdOf(db, context.clientId, request));
        const { record } = await engine.create(context, INVOICE, async (tx, id, now) => {
          const original = await findResource(tx, INVOICE, context.clientId, originalId, { forUpdate: deps.database.dialect });
          if (original === undefined) throw new AmsError('RECORD_NOT_FOUND', `invoiceId: no invoice ${originalId}`, { field: 'invoiceId' });
          mustBe(INVOICE, original, ['DRAFT', 'OPEN'], 'revised');
          const doc = original.doc;
          const customer = await requireCustomer(tx, context.clientId, doc.customerId!);
          const built = await buildInvoice(deps, tx, context.clientId, {
            id, requestId: request.invoiceRevisionRequestId, customer, currency: doc.currency!, lines: linesOfDoc(doc), discounts: doc.discounts ?? [],
            coupons: await couponsOfDoc(tx, context.clientId, doc.discounts ?? []), status: 'DRAFT', reason: doc.reason ?? 'MANUAL',
            ...(doc.subscriptionId === undefined ? {} : { subscriptionId: doc.subscriptionId }), ...(doc.dueDate === undefined ? {} : { dueDate: doc.dueDate }),
            ...(doc.description === undefined ? {} : { description: doc.description }), collectionMethod: doc.collectionMethod ?? 'CHARGE_AUTOMATICALLY',
            ...(doc.paymentMethod === undefined ? {} : { paymentMethod: doc.paymentMethod }), ...(doc.shipping === undefined ? {} : { shipping: doc.shipping }),
            internal: { notifyUrl: request.invoiceNotifyUrl ?? doc.internal.notifyUrl, revisionOf: original.id, voidedOriginal: request.void ?? false },
          }, now);
          return {
            ...built, detail: `revision of ${original.id}`,
            after: async (tx2) => {
              if (!request.void) return;
              const saved = await saveResource(tx2, INVOICE, original, { ...voided(original, undefined, now), now });
              if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `invoice ${original.id} changed while it was revised; nothing was changed: retry`);
              await notifyInvoice(deps, tx2, saved, 'VOIDED', now);
            },
          };
        });
        return { ...ok(), newInvoiceId: record.id, ...(record.doc.internal.voidedOriginal === true ? { voidedInvoiceId: record.doc.internal.revisionOf } : {}) };
      },
    }),

    'billing/invoice/createViewLink': endpointModule({
      path: 'billing/invoice/createViewLink',
      handle: async (context, request) => {
        const days = request.linkExpiryDays ?? 7;
        if (!Number.isInteger(days) || days < 1 || days > 365) throw AmsError.paramIllegal('linkExpiryDays', 'must be 1 to 365');
        const id = await deps.database.read((db) => invoiceIdOf(db, context.clientId, request));
        const token = newViewToken();
        let expiresAt = '';
        await change(context.clientId, id, (current, _tx, now) => {
          // Rounded up to the start of the next UTC day.
          const end = now + days * 86_400_000;
          expiresAt = new Date(Math.ceil(end / 86_400_000) * 86_400_000).toISOString();
          return {
            status: current.status, event: 'view link',
            doc: { ...current.doc, hostedInvoiceUrl: hostedUrl(deps, current.id, token), internal: { ...current.doc.internal, viewToken: token, viewTokenExpiresAt: expiresAt } },
          };
        });
        return { ...ok(), token, viewUrl: hostedUrl(deps, id, token), expiresAt };
      },
    }),

    'billing/invoice/inquireDetails': endpointModule({
      path: 'billing/invoice/inquireDetails',
      handle: async (context, request) => {
        const answer = await deps.database.read(async (db) => {
          const id = await invoiceIdOf(db, context.clientId, request);
          const record = await engine.require(db, INVOICE, context.clientId, id);
          return invoiceDetails(record, await invoiceNumberOf(db, context.clientId, record.id));
        });
        return { ...ok(), ...answer };
      },
    }),
  } satisfies Partial<EndpointModules>;
}

/** The VOID state: links invalidated. */
export function voided(current: InvoiceRecord, note: string | undefined, now: number): { status: 'VOID'; doc: InvoiceDoc; event: string } {
  const nowIso = new Date(now).toISOString();
  const { hostedInvoiceUrl: _dropped, ...rest } = current.doc;
  const { viewToken: _token, viewTokenExpiresAt: _expiry, ...internal } = current.doc.internal;
  return { status: 'VOID', event: 'voided', doc: { ...rest, status: 'VOID', gmtUpdate: nowIso, ...withNote(current.doc, note, 'VOID', nowIso), internal: { ...internal, voidedAt: nowIso } } };
}
