/**
 * Marketplace balance accounts in the journal: the platform's (holder '')
 * and each seller's (holder = its referenceMerchantId). A balance is the sum
 * of its account's journal entries, never stored; a payout or transfer
 * locks its paying holder first, so concurrent ones see each other's
 * draws and none overdraws.
 */
import type { Db, Tx } from '../../schema.js';
import type { Dialect } from '../../store/database.js';
import { toBigInt } from '../../store/columns.js';
import { accounts } from '../../ledger/journal.js';

/** The platform's own balance holder. */
export const PLATFORM = '';

export function balanceAccountOf(clientId: string, holder: string): string {
  return holder === PLATFORM ? accounts.marketplaceBalance(clientId) : accounts.sellerBalance(clientId, holder);
}

/** An account's balance per currency, currencies in alphabetical order. */
export async function balancesOf(tx: Tx | Db, account: string): Promise<Map<string, bigint>> {
  const rows = await tx.selectFrom('journal_entries').select(['currency', 'amount']).where('account', '=', account).execute();
  const sums = new Map<string, bigint>();
  for (const row of rows) sums.set(row.currency, (sums.get(row.currency) ?? 0n) + toBigInt(row.amount));
  return new Map([...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Holds the holder's lock until the transaction ends. PostgreSQL: the row,
 * made once, then `SELECT … FOR UPDATE` (a second payout waits for the first
 * to commit and then reads its journal lines); SQLite runs one write
 * transaction at a time, so the insert alone is enough.
 */
export async function lockHolder(tx: Tx, dialect: Dialect, clientId: string, holder: string): Promise<void> {
  await tx.insertInto('marketplace_balance_locks').values({ client_id: clientId, holder }).onConflict((oc) => oc.columns(['client_id', 'holder']).doNothing()).execute();
  if (dialect === 'postgres') {
    await tx.selectFrom('marketplace_balance_locks').select('holder').where('client_id', '=', clientId).where('holder', '=', holder).forUpdate().executeTakeFirst();
  }
}
