/**
 * Cards on the Business Account. applyCard issues an ACTIVE Mastercard test
 * card; its number, CVV and expiry live apart from the card (a
 * `aba.cardSecret` resource) and only applyCard's answer and
 * inquireCardSensitiveInfo show them: the card every other answer reads has
 * only `maskedCardNo`. Status changes follow ACTIVE ⇄ FROZEN, either → CANCEL
 * (final), each notified (CARD_STATUS).
 */
import { randomInt } from 'node:crypto';
import { AmsError, formatResponseTime, SUCCESS_RESULT } from '@amsgate/protocol';
import { endpointModule, keyedEndpointModule } from '../../endpoints/contract.js';
import { requestFingerprint } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { defined, requireStatus } from '../../resources/resource-endpoints.js';
import { findResource, insertResource } from '../../resources/resource-store.js';
import type { Tx } from '../../schema.js';
import { maskCardNumber } from '../cards/card-data-mask.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { cardKind, cardSecretIdOf, cardSecretKind, type CardDoc, type CardSecretDoc, type CardStatus } from './kinds.js';
import { pageCount, pageOf } from './support.js';

const MAX_CARD_PAGE = 50;
/** Test cards: a Mastercard BIN no real issuer uses for live cards. */
const TEST_BIN = '555544';

type CardRecord = ResourceRecord<CardDoc, CardStatus>;

/** A 16-digit test Mastercard number with a valid Luhn check digit. */
export function testCardNumber(): string {
  let body = TEST_BIN;
  while (body.length < 15) body += String(randomInt(10));
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let digit = Number(body[14 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function issueSecret(now: number): CardSecretDoc {
  const expiry = new Date(now);
  return {
    cardNo: testCardNumber(),
    cvv: String(randomInt(1000)).padStart(3, '0'),
    expiredMonth: String(expiry.getUTCMonth() + 1).padStart(2, '0'),
    // Valid for three years (our choice).
    expiredYear: String((expiry.getUTCFullYear() + 3) % 100).padStart(2, '0'),
  };
}

function cardView(record: CardRecord) {
  const { lastFourDigits: _last, ...doc } = record.doc;
  return { ...doc, cardStatus: record.status };
}

const TRANSITIONS: Record<'FREEZE' | 'UNFREEZE' | 'CANCEL', { from: CardStatus[]; to: CardStatus; verb: string }> = {
  FREEZE: { from: ['ACTIVE'], to: 'FROZEN', verb: 'frozen' },
  UNFREEZE: { from: ['FROZEN'], to: 'ACTIVE', verb: 'unfrozen' },
  CANCEL: { from: ['ACTIVE', 'FROZEN'], to: 'CANCEL', verb: 'cancelled' },
};

export function cardEndpoints(deps: ResourceProductDeps) {
  const { engine, database, outbox } = deps;

  async function notifyStatus(tx: Tx, record: CardRecord, operateType: string, requestId: string, url: string | null, now: number): Promise<void> {
    await outbox.record(tx, {
      clientId: record.clientId, notifyType: 'CARD_STATUS', eventKey: `aba.card:${record.id}:${operateType}:${requestId}`, resourceId: record.id, requestUrl: url,
      body: { requestId, assetId: record.id, operateType, cardStatus: record.status, createdTime: record.doc.createdTime, updatedTime: record.doc.updatedTime, cardBrand: record.doc.cardBrand },
    }, now);
  }

  return {
    'aba/cards/applyCard': keyedEndpointModule({
      path: 'aba/cards/applyCard',
      idempotency: { scope: cardKind.kind, fingerprint: (request) => requestFingerprint(request, 'requestId') },
      handle: async (context, request) => {
        const { record } = await engine.create(context, cardKind, async (_tx, id, now) => {
          const secret = issueSecret(now);
          const time = formatResponseTime(now);
          const doc: CardDoc = defined({
            assetId: id, cardNickName: request.cardNickName, maskedCardNo: maskCardNumber(secret.cardNo), lastFourDigits: secret.cardNo.slice(-4), cardBrand: 'MASTERCARD' as const,
            createdTime: time, updatedTime: time, purpose: request.purpose, note: request.note, metadata: request.metadata, authorizationControl: request.authorizationControl,
          });
          return {
            status: 'ACTIVE', doc,
            after: async (tx, card) => {
              await insertResource(tx, cardSecretKind, context.clientId, { id: cardSecretIdOf(id), status: 'ISSUED', doc: secret, now, detail: 'card data issued' });
              await notifyStatus(tx, card, 'ADD', context.idempotencyKey.requestId, null, now);
            },
          };
        });
        const secret = await database.read((db) => findResource(db, cardSecretKind, context.clientId, cardSecretIdOf(record.id)));
        return { result: { ...SUCCESS_RESULT }, requestId: context.idempotencyKey.requestId, status: 'SUCCESS', assetId: record.id, ...(secret?.doc ?? {}) };
      },
    }),
    'aba/cards/inquireCard': endpointModule({
      path: 'aba/cards/inquireCard',
      handle: async (context, request) => {
        const page = pageOf(request.pageNumber, request.pageSize, MAX_CARD_PAGE);
        const found = await engine.list(cardKind, context.clientId, {
          pageNumber: page.number, limit: page.size, includeTotal: true,
          filters: { status: request.cardStatus, lastFourDigits: request.lastFourDigits || undefined, cardNickName: request.cardNickName || undefined },
        });
        const total = found.total ?? 0;
        return {
          result: { ...SUCCESS_RESULT }, totalCount: total, totalPageNumber: pageCount(total, page.size), currentPageNumber: page.number,
          cardList: found.items.map((record) => defined({ assetId: record.id, cardNickName: record.doc.cardNickName, maskedCardNo: record.doc.maskedCardNo, cardStatus: record.status, cardBrand: record.doc.cardBrand, createdTime: record.doc.createdTime, updatedTime: record.doc.updatedTime })),
        };
      },
    }),
    'aba/cards/inquireCardDetail': endpointModule({
      path: 'aba/cards/inquireCardDetail',
      handle: async (context, request) => ({ result: { ...SUCCESS_RESULT }, ...cardView(await engine.get(cardKind, context.clientId, request.assetId)) }),
    }),
    'aba/cards/inquireCardSensitiveInfo': endpointModule({
      path: 'aba/cards/inquireCardSensitiveInfo',
      handle: async (context, request) => {
        await engine.get(cardKind, context.clientId, request.assetId);
        const secret = await engine.get(cardSecretKind, context.clientId, cardSecretIdOf(request.assetId), 'assetId');
        return { result: { ...SUCCESS_RESULT }, assetId: request.assetId, ...secret.doc };
      },
    }),
    'aba/cards/updateCard': keyedEndpointModule({
      path: 'aba/cards/updateCard',
      idempotency: { scope: 'aba.cardUpdate', fingerprint: (request) => requestFingerprint(request, 'requestId') },
      handle: async (context, request) => {
        await engine.changeKeyed(context, cardKind, request.assetId, (record, _tx, now) => {
          requireCardStatus(record, ['ACTIVE', 'FROZEN'], 'updated');
          const changes = defined({ cardNickName: request.cardNickName, note: request.note, purpose: request.purpose, metadata: request.metadata, authorizationControl: request.authorizationControl });
          return { status: record.status, doc: { ...record.doc, ...changes, updatedTime: formatResponseTime(now) }, event: 'updated' };
        });
        return { result: { ...SUCCESS_RESULT }, status: 'SUCCESS', requestId: request.requestId };
      },
    }),
    'aba/cards/updateCardStatus': keyedEndpointModule({
      path: 'aba/cards/updateCardStatus',
      idempotency: { scope: 'aba.cardStatus', fingerprint: (request) => requestFingerprint(request, 'requestId') },
      handle: async (context, request) => {
        const transition = TRANSITIONS[request.operateType];
        await engine.changeKeyed(context, cardKind, request.assetId, (record, _tx, now) => {
          requireCardStatus(record, transition.from, transition.verb);
          return {
            status: transition.to, doc: { ...record.doc, updatedTime: formatResponseTime(now) }, event: request.operateType.toLowerCase(),
            after: (tx, saved) => notifyStatus(tx, saved, request.operateType, request.requestId, request.notifyUrl ?? null, now),
          };
        });
        return { result: { ...SUCCESS_RESULT }, status: 'SUCCESS', requestId: request.requestId };
      },
    }),
  };
}

function requireCardStatus(record: CardRecord, allowed: readonly CardStatus[], action: string): void {
  requireStatus(cardKind, record, allowed, action);
}

/** Whether a card can pay now (card transactions). */
export function assertCardUsable(record: CardRecord): void {
  if (record.status !== 'ACTIVE') throw new AmsError('NOT_ALLOW_IN_CURRENT_STATUS', `card ${record.id} is ${record.status}: only an ACTIVE card pays`);
}
