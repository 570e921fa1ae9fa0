/** Queries of the marketplace tables; every lookup is scoped to the client (another platform's records are not found). */
import type { Insertable, Selectable } from 'kysely';
import type { Db, Tx } from '../../schema.js';
import type { MarketplaceAttachmentsTable, MarketplaceSettlementsTable, MarketplaceTransfersTable, SubMerchantsTable, SubMerchantStatus, TransferKind } from './tables.js';

export type SubMerchantRow = Selectable<SubMerchantsTable>;
export type TransferRow = Selectable<MarketplaceTransfersTable>;

export async function findSubMerchant(tx: Tx | Db, clientId: string, referenceMerchantId: string): Promise<SubMerchantRow | undefined> {
  return tx.selectFrom('sub_merchants').selectAll().where('client_id', '=', clientId).where('reference_merchant_id', '=', referenceMerchantId).executeTakeFirst();
}

/** False when the sub-merchant exists already (a concurrent registration of the same referenceMerchantId won). */
export async function insertSubMerchant(tx: Tx, row: Insertable<SubMerchantsTable>): Promise<boolean> {
  const inserted = await tx.insertInto('sub_merchants').values(row).onConflict((oc) => oc.doNothing()).returning('reference_merchant_id').execute();
  return inserted.length === 1;
}

/** A new registration of a sub-merchant whose last one FAILED: the row starts again (conditional, so only from FAILED). */
export async function restartSubMerchant(tx: Tx, row: Insertable<SubMerchantsTable>): Promise<boolean> {
  const result = await tx
    .updateTable('sub_merchants')
    .set({
      registration_request_id: row.registration_request_id, status: 'PROCESSING', fail_reason: null, request_json: row.request_json,
      settlement_accounts: row.settlement_accounts, decides_at: row.decides_at, decided_at: null, created_at: row.created_at, updated_at: row.updated_at,
    })
    .where('client_id', '=', row.client_id)
    .where('reference_merchant_id', '=', row.reference_merchant_id)
    .where('status', '=', 'FAILED')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Decides a PROCESSING registration; false when another request or process decided it first. */
export async function decideSubMerchant(tx: Tx, clientId: string, referenceMerchantId: string, to: { status: Exclude<SubMerchantStatus, 'PROCESSING'>; failReason: string | null }, now: number): Promise<boolean> {
  const result = await tx
    .updateTable('sub_merchants')
    .set({ status: to.status, fail_reason: to.failReason, decided_at: now, updated_at: now })
    .where('client_id', '=', clientId)
    .where('reference_merchant_id', '=', referenceMerchantId)
    .where('status', '=', 'PROCESSING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function dueRegistrations(tx: Tx | Db, now: number, limit: number): Promise<Array<Pick<SubMerchantRow, 'client_id' | 'reference_merchant_id'>>> {
  return tx.selectFrom('sub_merchants').select(['client_id', 'reference_merchant_id']).where('status', '=', 'PROCESSING').where('decides_at', '<=', now).orderBy('decides_at').limit(limit).execute();
}

export async function updateSettlementAccounts(tx: Tx, clientId: string, referenceMerchantId: string, settlementAccounts: string, now: number): Promise<void> {
  await tx.updateTable('sub_merchants').set({ settlement_accounts: settlementAccounts, updated_at: now }).where('client_id', '=', clientId).where('reference_merchant_id', '=', referenceMerchantId).execute();
}

export async function insertAttachment(tx: Tx, row: Insertable<MarketplaceAttachmentsTable>): Promise<void> {
  await tx.insertInto('marketplace_attachments').values(row).execute();
}

export async function findAttachment(tx: Tx | Db, clientId: string, attachmentKey: string): Promise<Selectable<MarketplaceAttachmentsTable> | undefined> {
  return tx.selectFrom('marketplace_attachments').selectAll().where('client_id', '=', clientId).where('attachment_key', '=', attachmentKey).executeTakeFirst();
}

export async function insertSettlement(tx: Tx, row: Insertable<MarketplaceSettlementsTable>): Promise<void> {
  await tx.insertInto('marketplace_settlements').values(row).execute();
}

export async function findSettlement(tx: Tx | Db, clientId: string, settlementId: string): Promise<Selectable<MarketplaceSettlementsTable> | undefined> {
  return tx.selectFrom('marketplace_settlements').selectAll().where('client_id', '=', clientId).where('settlement_id', '=', settlementId).executeTakeFirst();
}

export async function insertTransfer(tx: Tx, row: Insertable<MarketplaceTransfersTable>): Promise<void> {
  await tx.insertInto('marketplace_transfers').values(row).execute();
}

export async function findTransfer(tx: Tx | Db, clientId: string, kind: TransferKind, transferId: string): Promise<TransferRow | undefined> {
  return tx.selectFrom('marketplace_transfers').selectAll().where('client_id', '=', clientId).where('kind', '=', kind).where('transfer_id', '=', transferId).executeTakeFirst();
}
