/**
 * In-store payments (`IN_STORE_PAYMENT`, spec in-store.md): `pay` in its
 * three modes, on top of PaymentService's primitives. Inquiry, cancel,
 * completion (checkout page, control API), expiry, refunds and
 * notifications are the cashier ones: an in-store payment is an ordinary
 * payment row plus an `in_store_payments` row.
 *
 * - PaymentCode (user-presented): the scanned code is format-checked and
 *   consumed (single-use); the simulated wallet answers by the code's last
 *   two digits (`in-store-rules.ts`): S at once (journal PAY), F with a
 *   user-side code, or U `PAYMENT_IN_PROCESS` that settles after
 *   `settleDelayMs` on the gateway clock, when that comes before its expiry.
 *   Settling is lazy, a scheduled outcome (`scheduled-outcomes.ts`, as the
 *   sandbox triggers): the payment's `expires_at` is set to the settle time
 *   and the due policy settles it wherever PaymentService would close an
 *   expired payment (inquiry, cancel, a repeated pay, the expiry sweeper, a
 *   sandbox clock advance).
 * - OrderCode (merchant-presented): U with `orderCodeForm`; the code value
 *   is the payment's checkout URL, so scanning it opens the page where the
 *   buyer pays (or the control API completes it); closes at `expireTime`.
 * - EntryCode: U with `normalUrl` = the checkout URL (the wallet's confirm
 *   step); completed the same way.
 *
 * Every mode claims `paymentRequestId` in the shared `pay` key space.
 */
import {
  AmsError,
  buildResult,
  checkInStoreMerchant,
  inStoreScenarioOf,
  parsePositiveAmount,
  toParamIllegal,
  type InStorePaymentScenario,
  type PayInStoreRequest,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import { preparedQuery, type Database, type Tx } from '../../schema.js';
import { toNumber } from '../../store/columns.js';
import type { InStorePaymentsTable } from './tables.js';
import { payAnswer, wireTime, type ResponseBody } from '../payments/answers.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import { paymentCodeProblem, paymentCodeRule } from './in-store-rules.js';
import { pendingPaymentRecord, type PaymentRecord } from '../payments/payment-record.js';
import { checkNewExpiry, expiryTime, insertPaymentWithTransaction, type Outcome, type PaymentService } from '../payments/payment-service.js';
import { findPayment } from '../payments/payments-repository.js';
import { scheduleOutcome } from '../payments/scheduled-outcomes.js';
import { placeholdersFor } from '../../store/prepared-query.js';

export interface InStoreServiceOptions {
  /** Default expiry of a user-presented (PaymentCode) payment: 10 minutes per the UPM page. */
  paymentCodeExpiryMs: number;
  /** Default expiry of an order-code or entry-code payment: 3 minutes per the OC/EC pages. */
  orderCodeExpiryMs: number;
  /** How long a `U` payment code takes to settle (gateway clock). */
  settleDelayMs: number;
  /** Builds the checkout page URL: the order code's value and the entry code's wallet page. */
  checkoutUrl: (paymentId: string) => string;
  /** Require `order.merchant` with its store, as the PHP SDK does (`checkInStoreMerchant`). */
  requireMerchant: boolean;
}

export const DEFAULT_IN_STORE_OPTIONS = {
  paymentCodeExpiryMs: 10 * 60_000,
  orderCodeExpiryMs: 3 * 60_000,
  settleDelayMs: 10_000,
  requireMerchant: false,
} as const satisfies Omit<InStoreServiceOptions, 'checkoutUrl'>;

/** The in-store side of a payment. */
export interface InStoreRecord {
  paymentId: string;
  scenario: InStorePaymentScenario;
  paymentCode: string | null;
  /** When the payment (and an order code) stops being payable. */
  expiresAt: number;
}

export class InStoreService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: InStoreServiceOptions,
    private readonly payments: PaymentService,
  ) {}

  async pay(context: KeyedHandlerContext, request: PayInStoreRequest): Promise<ResponseBody> {
    const { clientId, requestJson } = context;
    const now = this.clock.now();
    const scenario = scenarioOf(request);
    if (this.options.requireMerchant) {
      const problem = checkInStoreMerchant(request);
      if (problem) throw toParamIllegal(problem);
    }
    const amount = parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    const code = scenario === 'PaymentCode' ? (request.paymentMethod.paymentMethodId ?? '') : null;
    if (code !== null) {
      const problem = paymentCodeProblem(code);
      if (problem) throw new AmsError('INVALID_PAYMENT_CODE', `paymentMethod.paymentMethodId ${problem}`);
    }
    const expiresAt = expiryTime(
      request.paymentExpiryTime, now, scenario === 'PaymentCode' ? this.options.paymentCodeExpiryMs : this.options.orderCodeExpiryMs,
    );
    const rule = code !== null ? paymentCodeRule(code) : { kind: 'pending' as const };
    const paymentId = newId('PAY', now);
    const conversions = this.payments.conversionsOf(request, amount);

    const { payment, inStore } = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, paymentId, now, (id) => findPayment(tx, clientId, { paymentId: id }));
      // A repeat answers the payment as it is now, however late it comes.
      if (!claim.claimed) {
        const current = await this.payments.closeIfExpired(tx, claim.recorded, now);
        return { payment: current, inStore: await findInStorePayment(tx, current.paymentId) };
      }
      // A refusal from here on rolls the payment and its key back: the request id stays free.
      checkNewExpiry(expiresAt, now);
      // A delayed code settles at its settle time if that comes first (the payment is due then), else closes at its expiry.
      const settleAt = rule.kind === 'delayed' ? now + this.options.settleDelayMs : undefined;
      const settles = settleAt !== undefined && settleAt < expiresAt;
      const record = pendingPaymentRecord(request, { paymentId, clientId }, amount, { now, expiresAt: settles ? settleAt : expiresAt }, conversions);
      await insertPaymentWithTransaction(tx, record, requestJson);
      const inStoreRecord: InStoreRecord = { paymentId, scenario, paymentCode: code, expiresAt };
      const settle = rule.kind === 'delayed' && settles ? { at: settleAt, outcome: rule.outcome } : undefined;
      if (!(await insertInStorePayment(tx, clientId, inStoreRecord, now, settle))) {
        throw new AmsError('INVALID_PAYMENT_CODE', 'paymentMethod.paymentMethodId was already used by another payment; ask the customer to refresh the payment code');
      }
      if (settle) await scheduleOutcome(tx, record, settle.outcome, now);
      if (rule.kind !== 'immediate') return { payment: record, inStore: inStoreRecord };
      const settled = await this.payments.settlePending(tx, record, rule.outcome, now);
      return { payment: settled ?? record, inStore: inStoreRecord };
    });
    return inStorePayAnswer(payment, inStore, this.options.checkoutUrl(payment.paymentId));
  }
}

/**
 * What in-store `pay` answers (also to repeats). Final states answer as
 * online; a pending payment answers `U` `PAYMENT_IN_PROCESS` with, per mode,
 * nothing more (payment code: inquire), `orderCodeForm` (order code) or
 * `normalUrl` (entry code: the wallet's confirm page).
 */
export function inStorePayAnswer(payment: PaymentRecord, inStore: InStoreRecord | undefined, checkoutUrl: string): ResponseBody {
  if (payment.status !== 'PROCESSING') return payAnswer(payment, checkoutUrl);
  const base = {
    result: buildResult('PAYMENT_IN_PROCESS', 'payment in process'),
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: { currency: payment.currency, value: payment.amount.toString() },
    paymentCreateTime: wireTime(payment.createdAt),
  };
  switch (inStore?.scenario) {
    case 'OrderCode':
      return {
        ...base,
        orderCodeForm: {
          expireTime: wireTime(inStore.expiresAt),
          codeDetails: [{ codeValue: checkoutUrl, displayType: 'TEXT', codeValueType: 'QRCODE' }],
        },
      };
    case 'EntryCode':
      return { ...base, normalUrl: checkoutUrl };
    default:
      return base;
  }
}

// ---------------------------------------------------------------------------
// in_store_payments (migration 0005). Since migration 0007 a delayed code's
// outcome lives in scheduled_outcomes; `settle_at` / `settle_result_code` are
// still written, and read when no scheduled outcome exists, so gateways from
// before 0007 and after it can share one database during a rolling upgrade.

const IN_STORE_COLUMNS = [
  'payment_id', 'client_id', 'scenario', 'payment_code', 'expires_at', 'created_at', 'settle_at', 'settle_result_code',
] as const satisfies ReadonlyArray<keyof InStorePaymentsTable>;

const insertRow = preparedQuery(IN_STORE_COLUMNS, (db, p) =>
  db
    .insertInto('in_store_payments')
    .values(placeholdersFor(IN_STORE_COLUMNS, p))
    // A used payment code inserts nothing (concurrent uses: the second waits for the first, then finds it).
    .onConflict((oc) => oc.column('payment_code').doNothing()),
);

const selectRow = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('in_store_payments').select(['payment_id', 'scenario', 'payment_code', 'expires_at']).where('payment_id', '=', p('paymentId')),
);

/** Inserts the in-store row (with the delayed outcome the way pre-0007 gateways read it); false when the payment code was already used. */
async function insertInStorePayment(tx: Tx, clientId: string, record: InStoreRecord, now: number, settle?: { at: number; outcome: Outcome }): Promise<boolean> {
  const result = await insertRow(tx, {
    payment_id: record.paymentId,
    client_id: clientId,
    scenario: record.scenario,
    payment_code: record.paymentCode,
    expires_at: record.expiresAt,
    created_at: now,
    settle_at: settle?.at ?? null,
    settle_result_code: settle === undefined ? null : settle.outcome.kind === 'success' ? 'SUCCESS' : settle.outcome.resultCode,
  });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

export async function findInStorePayment(tx: Tx, paymentId: string): Promise<InStoreRecord | undefined> {
  const row = (await selectRow(tx, { paymentId })).rows[0];
  if (!row) return undefined;
  return {
    paymentId: row.payment_id,
    scenario: row.scenario as InStorePaymentScenario,
    paymentCode: row.payment_code,
    expiresAt: toNumber(row.expires_at),
  };
}

/** The request's mode: the schema guarantees one (explicit, any case, normalised; or inferred from a present code). */
export function scenarioOf(request: PayInStoreRequest): InStorePaymentScenario {
  return inStoreScenarioOf(request) ?? 'PaymentCode';
}
