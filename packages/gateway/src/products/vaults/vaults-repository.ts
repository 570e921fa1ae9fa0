/** Queries of the vault tables; every lookup a client makes is scoped to it. */
import type { Insertable, Updateable } from 'kysely';
import type { Tx } from '../../schema.js';
import type { CardTokensTable, VaultingsTable, VaultingStatus } from './tables.js';
import { cardTokenFromRow, vaultingFromRow, type CardTokenRecord, type VaultingRecord } from './vault-records.js';

export async function insertVaulting(tx: Tx, row: Insertable<VaultingsTable>): Promise<void> {
  await tx.insertInto('vaultings').values(row).execute();
}

export async function findVaultingById(tx: Tx, vaultingId: string): Promise<VaultingRecord | undefined> {
  const row = await tx.selectFrom('vaultings').selectAll().where('vaulting_id', '=', vaultingId).executeTakeFirst();
  return row && vaultingFromRow(row);
}

export async function findVaultingByRequestId(tx: Tx, clientId: string, vaultingRequestId: string): Promise<VaultingRecord | undefined> {
  const row = await tx.selectFrom('vaultings').selectAll().where('client_id', '=', clientId).where('vaulting_request_id', '=', vaultingRequestId).executeTakeFirst();
  return row && vaultingFromRow(row);
}

/**
 * Moves a vaulting from `from` only (and, with `cardless`, only while no
 * card was entered): false when another request moved it first.
 */
export async function updateVaulting(tx: Tx, vaultingId: string, from: VaultingStatus, changes: Updateable<VaultingsTable>, options: { cardless?: boolean } = {}): Promise<boolean> {
  let query = tx.updateTable('vaultings').set(changes).where('vaulting_id', '=', vaultingId).where('status', '=', from);
  if (options.cardless) query = query.where('card_bin', 'is', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertCardToken(tx: Tx, row: Insertable<CardTokensTable>): Promise<void> {
  await tx.insertInto('card_tokens').values(row).execute();
}

/** One of the client's card tokens or nonces (another client's is not found), deleted or not. */
export async function findCardToken(tx: Tx, clientId: string, cardToken: string): Promise<CardTokenRecord | undefined> {
  const row = await tx.selectFrom('card_tokens').selectAll().where('card_token', '=', cardToken).where('client_id', '=', clientId).executeTakeFirst();
  return row && cardTokenFromRow(row);
}

export async function updateCardToken(tx: Tx, cardToken: string, changes: Updateable<CardTokensTable>): Promise<void> {
  await tx.updateTable('card_tokens').set(changes).where('card_token', '=', cardToken).execute();
}

/** Spends a nonce once: false when it was already used. */
export async function spendNonce(tx: Tx, cardToken: string, now: number): Promise<boolean> {
  const result = await tx.updateTable('card_tokens').set({ used_at: now, updated_at: now }).where('card_token', '=', cardToken).where('kind', '=', 'NONCE').where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
