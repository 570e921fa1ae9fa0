/**
 * The money invariants, checked from the database: every journal
 * transaction balances per currency; per payment, captured ≤ authorised,
 * refunded ≤ captured or paid, no balance below zero; the refunds and
 * captures tables agree with the journal; the payment's state agrees with
 * its balances; balances derived by `accountBalance` equal the sum of the
 * entries; disputes: what they took from the merchant (CHARGEBACK less
 * CHARGEBACK_REVERSAL) counts against what was paid beside the refunds,
 * and the dispute hold and the disputes table agree with it. Returns the violations (empty when all hold) and, per payment,
 * what its entries add up to.
 */
import type { Database } from '../src/schema.js';
import { toBigInt } from '../src/store/columns.js';
import { accountBalance } from '../src/ledger/journal.js';

export interface PaymentMoney {
  currency: string;
  paid: bigint;
  authorised: bigint;
  captured: bigint;
  voided: bigint;
  refunded: bigint;
  cancelled: bigint;
  /** The merchant's balance from this payment. */
  merchant: bigint;
  /** The authorisation hold of this payment. */
  hold: bigint;
  /** Taken from the merchant by disputes: CHARGEBACK less CHARGEBACK_REVERSAL. */
  chargedBack: bigint;
  /** Frozen by open or defended disputes (the dispute hold). */
  disputeHold: bigint;
}

export interface LedgerReport {
  violations: string[];
  payments: Map<string, PaymentMoney>;
}

const zero = (currency: string): PaymentMoney => ({
  currency, paid: 0n, authorised: 0n, captured: 0n, voided: 0n, refunded: 0n, cancelled: 0n, merchant: 0n, hold: 0n, chargedBack: 0n, disputeHold: 0n,
});

export async function checkLedger(database: Database, options: { derivedBalances?: boolean } = {}): Promise<LedgerReport> {
  const db = database.db;
  const violations: string[] = [];
  const [entries, payments, refunds, captures, authorizations, disputes] = await Promise.all([
    db.selectFrom('journal_entries').selectAll().execute(),
    db.selectFrom('payments').select(['payment_id', 'status', 'currency', 'amount']).execute(),
    db.selectFrom('refunds').select(['payment_id', 'status', 'amount']).execute(),
    db.selectFrom('captures').select(['payment_id', 'status', 'amount']).execute(),
    db.selectFrom('authorizations').select(['payment_id', 'amount', 'closed_at']).execute(),
    db.selectFrom('disputes').select(['payment_id', 'status', 'judged_result', 'amount']).execute(),
  ]);

  // 1. Every journal transaction sums to zero per currency.
  const perJournal = new Map<string, bigint>();
  for (const e of entries) {
    const key = `${e.journal_id}/${e.currency}`;
    perJournal.set(key, (perJournal.get(key) ?? 0n) + toBigInt(e.amount));
  }
  for (const [key, sum] of perJournal) if (sum !== 0n) violations.push(`journal ${key} sums to ${sum}`);

  // 2. Per payment, from its entries.
  const money = new Map<string, PaymentMoney>();
  for (const e of entries) {
    const m = money.get(e.payment_id) ?? zero(e.currency);
    money.set(e.payment_id, m);
    if (m.currency !== e.currency) violations.push(`payment ${e.payment_id} has entries in ${m.currency} and ${e.currency}`);
    const amount = toBigInt(e.amount);
    const isMerchant = e.account.endsWith(':balance');
    const isHold = e.account.endsWith(':authorization_hold');
    if (isMerchant) m.merchant += amount;
    if (isHold) m.hold += amount;
    if (e.account.endsWith(':dispute_hold')) m.disputeHold += amount;
    switch (e.movement) {
      case 'PAY': if (isMerchant) m.paid += amount; break;
      case 'AUTHORIZE': if (isHold) m.authorised += amount; break;
      case 'CAPTURE': if (isMerchant) m.captured += amount; break;
      case 'VOID': if (isHold) m.voided -= amount; break;
      case 'REFUND': if (isMerchant) m.refunded -= amount; break;
      case 'CANCEL': if (isMerchant) m.cancelled -= amount; break;
      case 'CHARGEBACK': case 'CHARGEBACK_REVERSAL': if (isMerchant) m.chargedBack -= amount; break;
      case 'CHARGEBACK_LOSS': if (isMerchant) violations.push(`entry ${e.entry_id}: CHARGEBACK_LOSS moves the dispute hold, not the merchant balance`); break;
      default: violations.push(`entry ${e.entry_id} has an unknown movement ${e.movement}`);
    }
  }
  for (const [id, m] of money) {
    if (m.captured + m.voided > m.authorised) violations.push(`payment ${id}: captured ${m.captured} + voided ${m.voided} > authorised ${m.authorised}`);
    if (m.hold !== m.authorised - m.captured - m.voided) violations.push(`payment ${id}: hold ${m.hold} ≠ authorised − captured − voided`);
    if (m.hold < 0n) violations.push(`payment ${id}: hold ${m.hold} < 0`);
    if (m.refunded + m.chargedBack > m.paid + m.captured) violations.push(`payment ${id}: refunded ${m.refunded} + charged back ${m.chargedBack} > paid ${m.paid} + captured ${m.captured}`);
    if (m.merchant !== m.paid + m.captured - m.refunded - m.cancelled - m.chargedBack) violations.push(`payment ${id}: merchant balance ${m.merchant} ≠ paid + captured − refunded − cancelled − charged back`);
    if (m.disputeHold < 0n || m.disputeHold > m.chargedBack) violations.push(`payment ${id}: dispute hold ${m.disputeHold} outside 0 … charged back ${m.chargedBack}`);
    if (m.merchant < 0n) violations.push(`payment ${id}: merchant balance ${m.merchant} < 0`);
    if (m.paid > 0n && m.authorised > 0n) violations.push(`payment ${id} was both paid and authorised`);
  }

  // 3. The operation tables agree with the journal; the payment's state with its balances.
  const successSum = (rows: readonly { payment_id: string; status: string; amount: unknown }[], id: string) =>
    rows.filter((r) => r.payment_id === id && r.status === 'SUCCESS').reduce((s, r) => s + toBigInt(r.amount as bigint), 0n);
  const authById = new Map(authorizations.map((a) => [a.payment_id, a]));
  for (const p of payments) {
    const m = money.get(p.payment_id) ?? zero(p.currency);
    const amount = toBigInt(p.amount);
    const auth = authById.get(p.payment_id);
    if (successSum(refunds, p.payment_id) !== m.refunded) violations.push(`payment ${p.payment_id}: refunds table ${successSum(refunds, p.payment_id)} ≠ journal ${m.refunded}`);
    if (successSum(captures, p.payment_id) !== m.captured) violations.push(`payment ${p.payment_id}: captures table ${successSum(captures, p.payment_id)} ≠ journal ${m.captured}`);
    switch (p.status) {
      case 'PROCESSING':
      case 'FAIL':
        if (money.has(p.payment_id)) violations.push(`payment ${p.payment_id} is ${p.status} but has journal entries`);
        break;
      case 'CANCELLED':
        if (m.merchant !== 0n || m.hold !== 0n) violations.push(`payment ${p.payment_id} is CANCELLED but holds merchant ${m.merchant}, hold ${m.hold}`);
        break;
      case 'SUCCESS':
        if (auth) {
          if (m.authorised !== amount) violations.push(`payment ${p.payment_id}: authorised ${m.authorised} ≠ amount ${amount}`);
          const open = auth.closed_at === null;
          if (!open && m.hold !== 0n) violations.push(`payment ${p.payment_id}: closed authorisation still holds ${m.hold}`);
          if (open && m.voided !== 0n) violations.push(`payment ${p.payment_id}: open authorisation has voided ${m.voided}`);
        } else if (m.paid !== amount || m.merchant !== amount - m.refunded - m.chargedBack) {
          violations.push(`payment ${p.payment_id}: paid ${m.paid}, merchant ${m.merchant}, for amount ${amount} refunded ${m.refunded} charged back ${m.chargedBack}`);
        }
        break;
    }
    // The disputes table: what its disputes took (frozen or lost) and what they hold now.
    const own = disputes.filter((d) => d.payment_id === p.payment_id);
    const sum = (rows: typeof own) => rows.reduce((s, d) => s + toBigInt(d.amount), 0n);
    const took = sum(own.filter((d) => ['OPEN', 'DEFENDED', 'ACCEPTED', 'RESOLVED'].includes(d.status) || (d.status === 'JUDGED' && d.judged_result === 'LOST')));
    const held = sum(own.filter((d) => d.status === 'OPEN' || d.status === 'DEFENDED'));
    if (took !== m.chargedBack) violations.push(`payment ${p.payment_id}: disputes table took ${took} ≠ journal ${m.chargedBack}`);
    if (held !== m.disputeHold) violations.push(`payment ${p.payment_id}: disputes table holds ${held} ≠ journal ${m.disputeHold}`);
  }

  // 4. Derived balances (the SQL sum) equal the sum of the entries.
  if (options.derivedBalances) {
    const sums = new Map<string, { account: string; currency: string; sum: bigint }>();
    for (const e of entries) {
      const key = `${e.account}/${e.currency}`;
      const s = sums.get(key) ?? { account: e.account, currency: e.currency, sum: 0n };
      s.sum += toBigInt(e.amount);
      sums.set(key, s);
    }
    for (const s of sums.values()) {
      const derived = await accountBalance(db, s.account, s.currency);
      if (derived !== s.sum) violations.push(`account ${s.account} ${s.currency}: derived ${derived} ≠ sum ${s.sum}`);
    }
  }
  return { violations, payments: money };
}
