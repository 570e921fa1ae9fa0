/**
 * Outcomes scheduled for pending payments (migration 0006): what a payment
 * becomes at a time on the gateway clock unless the buyer, the control API
 * or a cancel gets there first. Scheduled by the sandbox triggers
 * (`succeed-after`, `fail-after`, `unknown-then-success=…`; sandbox mode)
 * and by in-store payment codes the simulated wallet settles later (`U`
 * codes, `in-store-rules.ts`; either mode).
 *
 * No timer of its own: the payment's `expires_at` is the due time (`due_at`
 * is written from it, once, with the row), so the path that closes expired
 * payments (the sweeper, a sandbox clock advance, inquiry, cancel, a
 * repeated pay, the checkout page) reaches it then, and
 * `scheduledOutcomeDuePolicy` turns the closing into this outcome. Settling
 * is PaymentService's conditional update from PROCESSING, so the outcome
 * applies at most once however many processes sweep, and never to a payment
 * that was completed or cancelled before it was due.
 */
import { preparedQuery, type Tx } from '../../schema.js';
import type { PaymentRecord } from './payment-record.js';
import type { DuePolicy, Outcome } from './outcome.js';

const insertRow = preparedQuery(['paymentId', 'dueAt', 'resultCode', 'resultMessage', 'now'], (db, p) =>
  db.insertInto('scheduled_outcomes').values({
    payment_id: p('paymentId'), due_at: p('dueAt'), result_code: p('resultCode'), result_message: p('resultMessage'), created_at: p('now'),
  }),
);

const selectRow = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('scheduled_outcomes').select(['result_code', 'result_message']).where('payment_id', '=', p('paymentId')),
);

/**
 * Schedules `outcome` for a pending payment just inserted, in its
 * transaction: due at the payment's `expiresAt`, which its creator set to
 * the time the outcome is due.
 */
export async function scheduleOutcome(tx: Tx, payment: PaymentRecord, outcome: Outcome, now: number): Promise<void> {
  await insertRow(tx, {
    paymentId: payment.paymentId,
    dueAt: payment.expiresAt,
    // As stored: `SUCCESS`, or the F code with its message (null: the catalogue's).
    resultCode: outcome.kind === 'success' ? 'SUCCESS' : outcome.resultCode,
    resultMessage: outcome.kind === 'fail' ? (outcome.resultMessage ?? null) : null,
    now,
  });
}

async function findScheduledOutcome(tx: Tx, paymentId: string): Promise<Outcome | undefined> {
  const row = (await selectRow(tx, { paymentId })).rows[0];
  if (!row) return undefined;
  return row.result_code === 'SUCCESS'
    ? { kind: 'success' }
    : { kind: 'fail', resultCode: row.result_code, ...(row.result_message !== null ? { resultMessage: row.result_message } : {}) };
}

const selectLegacyInStoreRow = preparedQuery(['paymentId'], (db, p) =>
  db.selectFrom('in_store_payments').select(['settle_at', 'settle_result_code', 'expires_at']).where('payment_id', '=', p('paymentId')),
);

/**
 * An in-store payment written by a gateway from before migration 0007 (still
 * running beside this one during a rolling upgrade) has its outcome only in
 * `in_store_payments`, as 0007 copied the rows that existed then: due at
 * `settle_at` when that came before the code's expiry.
 */
async function findLegacyInStoreOutcome(tx: Tx, paymentId: string): Promise<Outcome | undefined> {
  const row = (await selectLegacyInStoreRow(tx, { paymentId })).rows[0];
  if (!row || row.settle_at === null || row.settle_result_code === null || Number(row.settle_at) >= Number(row.expires_at)) return undefined;
  return row.settle_result_code === 'SUCCESS' ? { kind: 'success' } : { kind: 'fail', resultCode: row.settle_result_code };
}

async function findInStoreOutcome(tx: Tx, paymentId: string): Promise<Outcome | undefined> {
  return (await findScheduledOutcome(tx, paymentId)) ?? findLegacyInStoreOutcome(tx, paymentId);
}

/**
 * PaymentService's `duePolicy`: a pending payment past its `expiresAt` that
 * has a scheduled outcome settles to it (it is due: `due_at` is that
 * `expiresAt`); one without closes as expired. Without sandbox triggers
 * (gateway mode) only in-store payments can have one, so the others close
 * without a query.
 */
export function scheduledOutcomeDuePolicy(options: { sandboxTriggers: boolean }): DuePolicy {
  return async (tx, payment) => {
    if (payment.productCode === 'IN_STORE_PAYMENT') return findInStoreOutcome(tx, payment.paymentId);
    return options.sandboxTriggers ? findScheduledOutcome(tx, payment.paymentId) : undefined;
  };
}
