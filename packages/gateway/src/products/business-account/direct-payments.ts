/**
 * Direct payments (from the Business Account balance to a payee, journal
 * out) and their refunds (back in, never more than the payment paid in all).
 * A payment the balance cannot cover is kept as FAIL (BALANCE_NOT_ENOUGH),
 * so a repeat of its paymentRequestId answers the same; a refused refund
 * keeps nothing. Each is notified (DIRECT_PAYMENT_RESULT, DIRECT_REFUND_RESULT).
 */
import { AmsError, buildResult, formatResponseTime, parsePositiveAmount, SUCCESS_RESULT, toAmount, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule, type AnswerBody } from '../../endpoints/contract.js';
import { recordJournal } from '../../ledger/journal.js';
import { requestFingerprint } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { defined } from '../../resources/resource-endpoints.js';
import { findByRequestId, findResource, saveResource } from '../../resources/resource-store.js';
import type { Tx } from '../../schema.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { abaAccount, balanceOf, counterparty, lockAccount, MOVEMENT } from './account.js';
import { directPaymentKind, directRefundKind, type DirectPaymentDoc, type DirectRefundDoc } from './kinds.js';

type PaymentRecord = ResourceRecord<DirectPaymentDoc, DirectPaymentDoc['paymentStatus']>;

function paymentAnswer(record: PaymentRecord): AnswerBody<'aba/funds/createDirectPayment'> {
  const doc = record.doc;
  if (doc.paymentStatus === 'FAIL') return { result: buildResult('BALANCE_NOT_ENOUGH', doc.paymentResultMessage), paymentId: doc.paymentId, paymentRequestId: doc.paymentRequestId };
  return defined({ result: { ...SUCCESS_RESULT }, paymentId: doc.paymentId, paymentRequestId: doc.paymentRequestId, payToMethod: doc.payToMethod, payFromAmount: doc.payFromAmount, payToAmount: doc.payToAmount, paymentTime: doc.paymentTime });
}

function paymentNotifyBody(doc: DirectPaymentDoc): Record<string, unknown> {
  return defined({
    notifyType: 'PAYMENT_RESULT', paymentId: doc.paymentId, paymentRequestId: doc.paymentRequestId, paymentStatus: doc.paymentStatus,
    paymentResultCode: doc.paymentResultCode, paymentResultMessage: doc.paymentResultMessage,
    payToMethod: doc.payToMethod, paymentAmount: doc.payFromAmount, payToAmount: doc.payToAmount, paymentTime: doc.paymentTime,
  });
}

function refundView(doc: DirectRefundDoc) {
  return { paymentId: doc.paymentId, refundId: doc.refundId, refundRequestId: doc.refundRequestId, refundTime: doc.refundTime, refundFromMethod: doc.refundFromMethod, refundFromAmount: doc.refundFromAmount, refundToAmount: doc.refundToAmount };
}

export function directPaymentEndpoints(deps: ResourceProductDeps) {
  const { engine, database, outbox } = deps;

  async function createPayment(tx: Tx, clientId: string, request: EndpointRequest<'aba/funds/createDirectPayment'>, id: string, now: number) {
    const from = parsePositiveAmount(request.payFromAmount, 'payFromAmount');
    const to = parsePositiveAmount(request.payToAmount, 'payToAmount');
    if (to.currency !== from.currency) {
      throw new AmsError('CURRENCY_NOT_SUPPORT', `payToAmount.currency: must be ${from.currency}, the currency of payFromAmount (the sandbox converts no direct payment)`, { field: 'payToAmount.currency' });
    }
    if (to.minor !== from.minor) throw AmsError.paramIllegal('payToAmount.value', `must equal payFromAmount.value (${from.minor}): the sandbox charges no fee`);
    if (!request.payToMethod.customerId) throw AmsError.paramIllegal('payToMethod.customerId', 'is required: it names the payee');
    await lockAccount(tx, database.dialect, clientId);
    const balance = await balanceOf(tx, clientId, from.currency);
    const base = {
      paymentId: id, paymentRequestId: request.paymentRequestId, payToMethod: request.payToMethod, payFromAmount: toAmount(from), payToAmount: toAmount(to),
      refundedValue: '0', ...defined({ memo: request.memo, remark: request.remark }),
    };
    const doc: DirectPaymentDoc = balance < from.minor
      ? { ...base, paymentStatus: 'FAIL', paymentResultCode: 'BALANCE_NOT_ENOUGH', paymentResultMessage: `The Business Account holds ${balance} ${from.currency} minor units, less than the ${from.minor} to pay` }
      : { ...base, paymentStatus: 'SUCCESS', paymentTime: formatResponseTime(now) };
    return {
      status: doc.paymentStatus, doc,
      after: async (tx: Tx, record: PaymentRecord) => {
        if (doc.paymentStatus === 'SUCCESS') {
          await recordJournal(tx, {
            clientId, paymentId: id, movement: MOVEMENT.DIRECT_PAYMENT, now,
            lines: [{ account: abaAccount(clientId), currency: from.currency, amount: -from.minor }, { account: counterparty.payee, currency: from.currency, amount: from.minor }],
          });
        }
        await outbox.record(tx, { clientId, notifyType: 'DIRECT_PAYMENT_RESULT', eventKey: `aba.directPayment:${id}`, resourceId: id, requestUrl: request.paymentNotifyUrl ?? null, body: paymentNotifyBody(record.doc) }, now);
      },
    };
  }

  async function createRefund(tx: Tx, clientId: string, request: EndpointRequest<'aba/funds/createDirectRefund'>, id: string, now: number) {
    const amount = parsePositiveAmount(request.refundFromAmount, 'refundFromAmount');
    await lockAccount(tx, database.dialect, clientId);
    const payment = await findResource(tx, directPaymentKind, clientId, request.paymentId, { forUpdate: database.dialect });
    if (payment === undefined) throw new AmsError('ORDER_NOT_EXIST', `paymentId: no direct payment ${request.paymentId}`, { field: 'paymentId' });
    if (payment.status !== 'SUCCESS') throw new AmsError('ORDER_STATUS_INVALID', `Direct payment ${payment.id} is ${payment.status}: only a successful one is refunded`);
    const paid = payment.doc.payToAmount;
    if (amount.currency !== paid.currency) {
      throw new AmsError('CURRENCY_NOT_SUPPORT', `refundFromAmount.currency: must be ${paid.currency}, the currency the payment paid in`, { field: 'refundFromAmount.currency' });
    }
    const refunded = BigInt(payment.doc.refundedValue);
    const left = BigInt(paid.value) - refunded;
    if (amount.minor > left) {
      throw new AmsError('REFUND_AMOUNT_EXCEED', `refundFromAmount.value: ${amount.minor} is more than direct payment ${payment.id} has left to refund (${left} of ${paid.value} ${paid.currency} minor units)`, { field: 'refundFromAmount.value' });
    }
    const saved = await saveResource(tx, directPaymentKind, payment, { status: payment.status, doc: { ...payment.doc, refundedValue: (refunded + amount.minor).toString() }, now, event: 'refunded', detail: `refund ${id}` });
    if (saved === undefined) throw new AmsError('UNKNOWN_EXCEPTION', `Direct payment ${payment.id} changed under this refund; nothing was refunded: retry`);
    const doc: DirectRefundDoc = {
      refundId: id, refundRequestId: request.refundRequestId, paymentId: payment.id, refundStatus: 'SUCCESS', refundFromMethod: request.refundFromMethod,
      refundFromAmount: toAmount(amount), refundToAmount: toAmount(amount), refundTime: formatResponseTime(now),
      ...defined({ referenceRefundId: request.referenceRefundId, refundReason: request.refundReason }),
    };
    return {
      status: 'SUCCESS' as const, doc,
      after: async (tx: Tx) => {
        await recordJournal(tx, {
          clientId, paymentId: id, movement: MOVEMENT.DIRECT_REFUND, now,
          lines: [{ account: counterparty.payee, currency: amount.currency, amount: -amount.minor }, { account: abaAccount(clientId), currency: amount.currency, amount: amount.minor }],
        });
        await outbox.record(tx, {
          clientId, notifyType: 'DIRECT_REFUND_RESULT', eventKey: `aba.directRefund:${id}`, resourceId: id, requestUrl: request.refundNotifyUrl ?? null,
          body: { notifyType: 'REFUND_RESULT', result: { ...SUCCESS_RESULT }, refundStatus: 'SUCCESS', ...refundView(doc) },
        }, now);
      },
    };
  }

  return {
    'aba/funds/createDirectPayment': keyedEndpointModule({
      path: 'aba/funds/createDirectPayment',
      idempotency: { scope: directPaymentKind.kind, fingerprint: (request) => requestFingerprint(request, 'paymentRequestId') },
      handle: async (context, request) => {
        const { record } = await engine.create(context, directPaymentKind, (tx, id, now) => createPayment(tx, context.clientId, request, id, now));
        return paymentAnswer(record);
      },
    }),
    'aba/funds/inquireDirectPayment': endpointModule({
      path: 'aba/funds/inquireDirectPayment',
      handle: async (context, request) => {
        // paymentId wins when both are sent.
        if (!request.paymentId && !request.paymentRequestId) throw AmsError.paramIllegal('paymentId', 'give paymentId or paymentRequestId');
        const byRequest = !request.paymentId;
        const id = byRequest && request.paymentRequestId !== undefined ? (await database.read((db) => findByRequestId(db, directPaymentKind, context.clientId, request.paymentRequestId as string)))?.id : request.paymentId;
        if (id === undefined) throw new AmsError('ORDER_NOT_EXIST', `paymentRequestId: no direct payment ${request.paymentRequestId}`, { field: 'paymentRequestId' });
        const { doc } = await engine.get(directPaymentKind, context.clientId, id, byRequest ? 'paymentRequestId' : 'paymentId');
        return defined({
          result: { ...SUCCESS_RESULT }, paymentStatus: doc.paymentStatus, paymentResultCode: doc.paymentResultCode, paymentResultMessage: doc.paymentResultMessage,
          paymentId: doc.paymentId, paymentRequestId: doc.paymentRequestId, payToMethod: doc.payToMethod, paymentAmount: doc.payFromAmount, payToAmount: doc.payToAmount, paymentTime: doc.paymentTime,
        });
      },
    }),
    'aba/funds/createDirectRefund': keyedEndpointModule({
      path: 'aba/funds/createDirectRefund',
      idempotency: { scope: directRefundKind.kind, fingerprint: (request) => requestFingerprint(request, 'refundRequestId') },
      handle: async (context, request) => {
        const { record } = await engine.create(context, directRefundKind, (tx, id, now) => createRefund(tx, context.clientId, request, id, now));
        return { result: { ...SUCCESS_RESULT }, ...refundView(record.doc) };
      },
    }),
    'aba/funds/inquireDirectRefund': endpointModule({
      path: 'aba/funds/inquireDirectRefund',
      handle: async (context, request) => {
        if (!request.refundId && !request.refundRequestId) throw AmsError.paramIllegal('refundId', 'give refundId or refundRequestId');
        const byRequest = !request.refundId;
        const id = byRequest && request.refundRequestId !== undefined ? (await database.read((db) => findByRequestId(db, directRefundKind, context.clientId, request.refundRequestId as string)))?.id : request.refundId;
        if (id === undefined) throw new AmsError('ORDER_NOT_EXIST', `refundRequestId: no direct refund ${request.refundRequestId}`, { field: 'refundRequestId' });
        const { doc } = await engine.get(directRefundKind, context.clientId, id, byRequest ? 'refundRequestId' : 'refundId');
        return { result: { ...SUCCESS_RESULT }, refundStatus: doc.refundStatus, ...refundView(doc) };
      },
    }),
  };
}
