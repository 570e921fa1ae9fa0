/**
 * Card transactions. The sandbox makes them (`simulateCardPayment`, for
 * tests and a control route): an authorisation and its capture, one
 * lifecycle, a CARD_PAYMENT journal debit; or a failed authorisation
 * (CARD_BALANCE_NOT_ENOUGH) when the balance is short. The inquiries list
 * them with the request's lists of values ORed, filtered in memory (the
 * engine's filters take one value each).
 */
import { randomInt } from 'node:crypto';
import { AmsError, formatResponseTime, parsePositiveAmount, SUCCESS_RESULT, toAmount, type Amount } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import { recordJournal } from '../../ledger/journal.js';
import type { ResourceKind, ResourceRecord } from '../../resources/resource-kind.js';
import { defined } from '../../resources/resource-endpoints.js';
import { findResource, listResources } from '../../resources/resource-store.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { abaAccount, balanceOf, counterparty, lockAccount, MOVEMENT } from './account.js';
import { assertCardUsable } from './cards.js';
import { cardEventKind, cardKind, cardLifecycleKind, type CardEventDoc, type CardLifecycleDoc } from './kinds.js';
import { pageCount, pageOf, parseRange, slicePage } from './support.js';

const MAX_TRANSACTION_PAGE = 100;
/** How many of a client's records an inquiry filters through (a sandbox's worth). */
const SCAN_LIMIT = 10_000;

export interface SimulatedCardPayment {
  assetId: string;
  amount: Amount;
  merchantName?: string;
}

/** Sandbox only: a card pays a merchant from the Business Account balance. */
export async function simulateCardPayment(deps: Pick<ResourceProductDeps, 'engine' | 'database' | 'clock' | 'outbox'>, clientId: string, payment: SimulatedCardPayment): Promise<{ lifecycleId: string; status: 'SUCCESS' | 'FAIL' }> {
  const amount = parsePositiveAmount(payment.amount, 'amount');
  const { engine, database, clock, outbox } = deps;
  return database.transaction(async (tx) => {
    const now = clock.now();
    await lockAccount(tx, database.dialect, clientId);
    const card = await findResource(tx, cardKind, clientId, payment.assetId);
    if (card === undefined) throw new AmsError('RECORD_NOT_FOUND', `assetId: no card ${payment.assetId}`, { field: 'assetId' });
    assertCardUsable(card);
    const short = (await balanceOf(tx, clientId, amount.currency)) < amount.minor;
    const time = formatResponseTime(now);
    const zero = { currency: amount.currency, value: '0' };
    const lifecycle = await engine.insert(tx, cardLifecycleKind, clientId, {
      status: short ? 'FAIL' : 'SUCCESS',
      doc: {
        assetId: card.id, maskedCardNo: card.doc.maskedCardNo, latestEventType: short ? 'AUTH' : 'CAPTURE', latestEventStatus: short ? 'FAIL' : 'SUCCESS',
        transactionTime: time, lastUpdateTime: time, at: now, currency: amount.currency,
        totalBillingAmount: short ? zero : toAmount(amount), totalAuthAmount: toAmount(amount), totalCancelAmount: zero, totalRefundAmount: zero, totalChargebackAmount: zero,
      },
    }, now);
    const event = (eventType: CardEventDoc['eventType'], status: CardEventDoc['status']): CardEventDoc => defined({
      lifecycleId: lifecycle.id, eventType, status, balanceType: 'ANTOM_BIZ_ACCOUNT' as const, billType: 'CARD_PAYMENT' as const, transactionTime: time, at: now,
      transactionAmount: toAmount(amount), outAmount: status === 'SUCCESS' && eventType === 'CAPTURE' ? toAmount(amount) : undefined,
      assetId: card.id, maskedCardNo: card.doc.maskedCardNo, merchantInfo: { name: payment.merchantName ?? 'Sandbox Merchant' },
      ...(eventType === 'AUTH' ? { authType: 'AUTH' as const, ...(status === 'SUCCESS' ? { authCode: String(randomInt(1_000_000)).padStart(6, '0') } : {}) } : {}),
      ...(status === 'FAIL' ? { failureReason: 'CARD_BALANCE_NOT_ENOUGH' } : {}),
    });
    const events = short ? [event('AUTH', 'FAIL')] : [event('AUTH', 'SUCCESS'), event('CAPTURE', 'SUCCESS')];
    const inserted = [];
    for (const doc of events) inserted.push(await engine.insert(tx, cardEventKind, clientId, { status: doc.status, doc }, now));
    // notifyCardBill: one bill per authorisation (its event id), the purchase's lifecycle as the order; a captured one waits for clearing.
    await outbox.record(tx, {
      clientId, notifyType: 'CARD_BILL', eventKey: `aba.cardBill:${inserted[0]!.id}`, resourceId: card.id, requestUrl: null,
      body: defined({
        billNo: inserted[0]!.id, orderNo: lifecycle.id, assetId: card.id, maskedCardNo: card.doc.maskedCardNo, cardNickName: card.doc.cardNickName,
        transactionTime: time, merchantName: payment.merchantName ?? 'Sandbox Merchant', tradeAmount: toAmount(amount),
        outAmount: short ? undefined : toAmount(amount), exchangeRate: '1', billType: 'CARD_PAYMENT',
        billStatus: short ? 'FAIL' : 'WAITING_CLEARANCE', billFailReason: short ? { errorCode: 'CARD_BALANCE_NOT_ENOUGH', errorDesc: 'The Business Account balance is short' } : undefined,
        lastUpdate: time,
      }),
    }, now);
    if (!short) {
      await recordJournal(tx, {
        clientId, paymentId: lifecycle.id, movement: MOVEMENT.CARD_PAYMENT, now,
        lines: [{ account: abaAccount(clientId), currency: amount.currency, amount: -amount.minor }, { account: counterparty.cardNetwork, currency: amount.currency, amount: amount.minor }],
      });
    }
    return { lifecycleId: lifecycle.id, status: lifecycle.status };
  });
}

/** Events of one moment in the order they happen in: an authorisation before its capture. */
const EVENT_ORDER: Record<CardEventDoc['eventType'], number> = { AUTH: 0, CAPTURE: 1 };
const inEventOrder = (a: ResourceRecord<CardEventDoc>, b: ResourceRecord<CardEventDoc>): number => a.doc.at - b.doc.at || EVENT_ORDER[a.doc.eventType] - EVENT_ORDER[b.doc.eventType];

function eventView(record: ResourceRecord<CardEventDoc>) {
  const { at: _at, ...doc } = record.doc;
  return { ...doc, eventId: record.id };
}

function lifecycleView(record: ResourceRecord<CardLifecycleDoc>) {
  const { at: _at, currency: _currency, ...doc } = record.doc;
  return { ...doc, lifecycleId: record.id };
}

/** Keeps a record when each list is empty or holds its value (values of one list ORed). */
function matches(lists: ReadonlyArray<readonly [readonly string[] | undefined, string]>): boolean {
  return lists.every(([values, value]) => values === undefined || values.length === 0 || values.includes(value));
}

export function cardTransactionEndpoints(deps: ResourceProductDeps) {
  const { database } = deps;

  async function scan<Doc extends { at: number }>(kind: ResourceKind<Doc>, clientId: string, range: { from?: number; to?: number }) {
    const page = await database.read((db) => listResources(db, kind, clientId, { pageNumber: 1, limit: SCAN_LIMIT, includeTotal: false, filters: {} }));
    return page.items.filter((record) => (range.from === undefined || record.doc.at >= range.from) && (range.to === undefined || record.doc.at <= range.to));
  }

  return {
    'aba/cards/inquireCardTransactionEvent': endpointModule({
      path: 'aba/cards/inquireCardTransactionEvent',
      handle: async (context, request) => {
        const page = pageOf(request.pageNumber, request.pageSize, MAX_TRANSACTION_PAGE);
        const all = (await scan(cardEventKind, context.clientId, parseRange(request.startTime, request.endTime))).filter((record) => matches([
          [request.assetIdList, record.doc.assetId], [request.eventIdList, record.id], [request.lifecycleIdList, record.doc.lifecycleId],
          [request.transactionCurrencyList, record.doc.transactionAmount.currency], [request.eventTypeList, record.doc.eventType], [request.statusList, record.status],
        ])).sort(inEventOrder);
        const { items, total } = slicePage(all, page);
        return { result: { ...SUCCESS_RESULT }, events: items.map(eventView), totalCount: total, totalPageNumber: pageCount(total, page.size), currentPageNumber: page.number };
      },
    }),
    'aba/cards/inquireCardTransactionLifecycle': endpointModule({
      path: 'aba/cards/inquireCardTransactionLifecycle',
      handle: async (context, request) => {
        const page = pageOf(request.pageNumber, request.pageSize, MAX_TRANSACTION_PAGE);
        const all = (await scan(cardLifecycleKind, context.clientId, parseRange(request.startTime, request.endTime))).filter((record) => matches([
          [request.assetIdList, record.doc.assetId], [request.lifecycleIdList, record.id], [request.transactionCurrencyList, record.doc.currency],
        ]));
        const { items, total } = slicePage(all, page);
        return { result: { ...SUCCESS_RESULT }, lifecycles: items.map(lifecycleView), totalCount: total, totalPageNumber: pageCount(total, page.size), currentPageNumber: page.number };
      },
    }),
    'aba/cards/inquireCardTransactionLifecycleDetail': endpointModule({
      path: 'aba/cards/inquireCardTransactionLifecycleDetail',
      handle: async (context, request) => {
        const lifecycle = await database.read((db) => findResource(db, cardLifecycleKind, context.clientId, request.lifecycleId));
        // Antom answers S without a lifecycle when none matches.
        if (lifecycle === undefined) return { result: { ...SUCCESS_RESULT } };
        const events = (await scan(cardEventKind, context.clientId, {})).filter((record) => record.doc.lifecycleId === lifecycle.id).sort(inEventOrder);
        return { result: { ...SUCCESS_RESULT }, lifecycle: { ...lifecycleView(lifecycle), events: events.map(eventView) } };
      },
    }),
  };
}
