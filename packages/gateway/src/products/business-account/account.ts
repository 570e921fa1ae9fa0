/**
 * The Business Account's money, all of it in the journal: one account per
 * client (`aba:<clientId>`), a balance per currency summed from its entries.
 * Whatever moves money out of it first takes the client's account lock, so
 * concurrent debits see each other's lines and none overdraws.
 */
import { sql } from 'kysely';
import { parsePositiveAmount, type Amount } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { newResourceId } from '../../ids.js';
import { recordJournal, type Movement } from '../../ledger/journal.js';
import type { Database, Db, Tx } from '../../schema.js';
import { toBigInt } from '../../store/columns.js';

export const abaAccount = (clientId: string): string => `aba:${clientId}`;

/** The other side of each movement: outside the gateway's books. */
export const counterparty = {
  topUp: 'external:aba:top_up',
  payee: 'external:aba:payee',
  fxDesk: 'external:aba:fx_desk',
  cardNetwork: 'external:aba:card_network',
} as const;

/**
 * Statement transaction types, told apart by the id prefix of what made the
 * journal lines (the journal's `payment_id`): several share a movement until
 * the journal has ABA movements of its own.
 */
export const STATEMENT_TYPE_BY_PREFIX = { TOP: 'TOPUP', DPY: 'DIRECT_PAYMENT', DRF: 'DIRECT_REFUND', EXC: 'EXCHANGE', CLC: 'CARD_PAYMENT' } as const;
export type StatementType = (typeof STATEMENT_TYPE_BY_PREFIX)[keyof typeof STATEMENT_TYPE_BY_PREFIX];

export function statementTypeOf(referenceId: string): StatementType | undefined {
  return (STATEMENT_TYPE_BY_PREFIX as Record<string, StatementType>)[referenceId.slice(0, 3)];
}

export function prefixOfStatementType(type: string): string | undefined {
  return Object.entries(STATEMENT_TYPE_BY_PREFIX).find(([, name]) => name === type)?.[0];
}

/** The journal movement each statement type is recorded with. */
export const MOVEMENT: Readonly<Record<StatementType, Movement>> = {
  TOPUP: 'TOPUP',
  DIRECT_PAYMENT: 'DIRECT_PAYMENT',
  DIRECT_REFUND: 'DIRECT_REFUND',
  EXCHANGE: 'EXCHANGE',
  CARD_PAYMENT: 'CARD_PAYMENT',
};

/**
 * Holds the client's account lock until the transaction ends. SQLite runs
 * one write transaction at a time (BEGIN IMMEDIATE), so only PostgreSQL
 * needs one: a transaction-scoped advisory lock.
 */
export async function lockAccount(tx: Tx, dialect: Database['dialect'], clientId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`amsgate:${abaAccount(clientId)}`}))`.execute(tx);
}

export async function balanceOf(tx: Tx | Db, clientId: string, currency: string): Promise<bigint> {
  const rows = await tx.selectFrom('journal_entries').select('amount').where('client_id', '=', clientId).where('account', '=', abaAccount(clientId)).where('currency', '=', currency).execute();
  return rows.reduce((sum, row) => sum + toBigInt(row.amount), 0n);
}

/** Every currency the account has held, with its balance, alphabetically. */
export async function balancesOf(tx: Tx | Db, clientId: string): Promise<Map<string, bigint>> {
  const rows = await tx.selectFrom('journal_entries').select(['currency', 'amount']).where('client_id', '=', clientId).where('account', '=', abaAccount(clientId)).execute();
  const sums = new Map<string, bigint>();
  for (const row of rows) sums.set(row.currency, (sums.get(row.currency) ?? 0n) + toBigInt(row.amount));
  return new Map([...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Sandbox only: credits the client's Business Account from outside (a
 * TOPUP statement entry), as a real account is funded by a bank transfer.
 * Tests call it; a control-API route may expose it.
 */
export async function topUpBusinessAccount(database: Database, clock: Clock, clientId: string, amount: Amount): Promise<{ topUpId: string }> {
  const money = parsePositiveAmount(amount, 'amount');
  const now = clock.now();
  const topUpId = newResourceId('TOP', now);
  await database.transaction((tx) =>
    recordJournal(tx, {
      clientId, paymentId: topUpId, movement: MOVEMENT.TOPUP, now,
      lines: [
        { account: counterparty.topUp, currency: money.currency, amount: -money.minor },
        { account: abaAccount(clientId), currency: money.currency, amount: money.minor },
      ],
    }),
  );
  return { topUpId };
}
