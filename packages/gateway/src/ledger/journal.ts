/**
 * The append-only double-entry journal. Every movement of money is one
 * journal transaction whose entries sum to zero per currency; balances are
 * derived from the entries, never stored.
 */
import { preparedQuery, type Tx } from '../schema.js';
import { toBigInt } from '../store/columns.js';
import { newId } from '../ids.js';
import { placeholdersFor } from '../store/prepared-query.js';

/**
 * Disputes: `CHARGEBACK` freezes the disputed amount (merchant balance →
 * dispute hold) when a dispute opens; `CHARGEBACK_REVERSAL` gives it back
 * (hold → balance) when the merchant wins or the buyer cancels;
 * `CHARGEBACK_LOSS` returns it to the buyer (hold → payment method) when the
 * merchant accepts or loses.
 */
export type Movement = 'PAY' | 'CANCEL' | 'AUTHORIZE' | 'CAPTURE' | 'VOID' | 'REFUND' | 'CHARGEBACK' | 'CHARGEBACK_REVERSAL' | 'CHARGEBACK_LOSS'
  /** Marketplace: `SETTLE` splits a payment (merchant balance → seller and marketplace balances); `PAYOUT` to a bank account; `TRANSFER` between balance accounts. */
  | 'SETTLE' | 'PAYOUT' | 'TRANSFER'
  /** Billing: `INVOICE_PAYMENT` marks a payment applied to an invoice. */
  | 'INVOICE_PAYMENT'
  /** Business Account: a sandbox top-up, a direct payment out and its refund back, a currency exchange, a card payment. */
  | 'TOPUP' | 'DIRECT_PAYMENT' | 'DIRECT_REFUND' | 'EXCHANGE' | 'CARD_PAYMENT';

export interface JournalLine {
  account: string;
  currency: string;
  /** Signed minor units: positive debit, negative credit. */
  amount: bigint;
}

export const accounts = {
  /** Where buyers' money comes from: the payment method, outside the gateway. */
  paymentMethod: (type: string) => `external:payment_method:${type}`,
  /** What the gateway owes the merchant. */
  merchantBalance: (clientId: string) => `merchant:${clientId}:balance`,
  /**
   * Authorised but not captured: the buyer's money is held for the merchant
   * and is not theirs yet. Capture moves it to the balance, void back to the
   * payment method.
   */
  authorizationHold: (clientId: string) => `merchant:${clientId}:authorization_hold`,
  /**
   * Disputed amounts frozen while their dispute is open or defended: taken
   * from the merchant's balance when it opens, back to the balance when the
   * merchant wins, to the buyer (the payment method) when the merchant loses.
   */
  disputeHold: (clientId: string) => `merchant:${clientId}:dispute_hold`,
  /** Marketplace: the platform's settled share of its payments (payments/settle), what its payouts and transfers draw on. */
  marketplaceBalance: (clientId: string) => `merchant:${clientId}:marketplace`,
  /** Marketplace: a sub-merchant's (seller's) settled share, by the platform's referenceMerchantId. */
  sellerBalance: (clientId: string, referenceMerchantId: string) => `merchant:${clientId}:seller:${referenceMerchantId}`,
  /** Where payouts go: bank accounts outside the gateway. */
  payoutBank: () => 'external:bank_account',
} as const;

export class UnbalancedJournalError extends Error {}

export async function recordJournal(
  tx: Tx,
  entry: { clientId: string; paymentId: string; movement: Movement; lines: JournalLine[]; now: number },
): Promise<string> {
  assertBalanced(entry.lines);
  const journalId = newId('JNL', entry.now);
  for (const line of entry.lines) {
    await insertEntry(tx, {
      entry_id: newId('ENT', entry.now),
      journal_id: journalId,
      client_id: entry.clientId,
      payment_id: entry.paymentId,
      movement: entry.movement,
      account: line.account,
      currency: line.currency,
      amount: line.amount,
      created_at: entry.now,
    });
  }
  return journalId;
}

const ENTRY_COLUMNS = ['entry_id', 'journal_id', 'client_id', 'payment_id', 'movement', 'account', 'currency', 'amount', 'created_at'] as const;
const insertEntry = preparedQuery(ENTRY_COLUMNS, (db, p) =>
  db.insertInto('journal_entries').values(placeholdersFor(ENTRY_COLUMNS, p)),
);

export function assertBalanced(lines: readonly JournalLine[]): void {
  if (lines.length < 2) throw new UnbalancedJournalError('a journal transaction needs at least two lines');
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.amount);
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new UnbalancedJournalError(`journal lines in ${currency} sum to ${sum}, not 0`);
  }
}

/** A balance derived from the journal: the sum of an account's entries in one currency. */
export async function accountBalance(tx: Tx, account: string, currency: string): Promise<bigint> {
  const rows = await tx.selectFrom('journal_entries').select('amount').where('account', '=', account).where('currency', '=', currency).execute();
  return rows.reduce((sum, row) => sum + toBigInt(row.amount), 0n);
}
