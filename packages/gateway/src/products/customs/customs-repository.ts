/** Queries of the declaration table; a merchant's lookups are scoped to it (another client's declaration is not found). */
import type { Db, Tx } from '../../schema.js';
import { toBigInt } from '../../store/columns.js';
import { declarationFromRow, declarationRow, type CorrectableFields, type DeclarationRecord } from './declaration-record.js';

export async function insertDeclaration(tx: Tx, record: DeclarationRecord): Promise<void> {
  await tx.insertInto('customs_declarations').values(declarationRow(record)).execute();
}

export async function findDeclarationById(tx: Tx | Db, declarationId: string): Promise<DeclarationRecord | undefined> {
  const row = await tx.selectFrom('customs_declarations').selectAll().where('declaration_id', '=', declarationId).executeTakeFirst();
  return row && declarationFromRow(row);
}

/** The client's declarations among `requestIds` (in no particular order). */
export async function findClientDeclarations(tx: Tx | Db, clientId: string, requestIds: readonly string[]): Promise<DeclarationRecord[]> {
  if (requestIds.length === 0) return [];
  const rows = await tx.selectFrom('customs_declarations').selectAll().where('client_id', '=', clientId).where('declaration_request_id', 'in', [...requestIds]).execute();
  return rows.map(declarationFromRow);
}

/** A payment's declarations, oldest first. */
export async function listPaymentDeclarations(tx: Tx | Db, paymentId: string): Promise<DeclarationRecord[]> {
  const rows = await tx.selectFrom('customs_declarations').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').orderBy('declaration_id').execute();
  return rows.map(declarationFromRow);
}

/** What a payment's declarations declare together, but `excluding` one (minor units). */
export async function declaredTotal(tx: Tx, paymentId: string, excluding?: string): Promise<bigint> {
  let query = tx.selectFrom('customs_declarations').select('amount').where('payment_id', '=', paymentId);
  if (excluding !== undefined) query = query.where('declaration_id', '!=', excluding);
  return (await query.execute()).reduce((sum, row) => sum + toBigInt(row.amount), 0n);
}

/** A retransmission: the corrected fields, sent once more at `now`. */
export async function retransmitDeclaration(tx: Tx, record: DeclarationRecord, fields: CorrectableFields, now: number): Promise<DeclarationRecord> {
  await tx
    .updateTable('customs_declarations')
    .set({
      amount: fields.amount,
      customs_code: fields.customsCode,
      customs_region: fields.customsRegion,
      merchant_customs_code: fields.merchantCustomsCode,
      merchant_customs_name: fields.merchantCustomsName,
      sub_order_id: fields.subOrderId,
      buyer_digest: fields.buyerDigest,
      transmissions: record.transmissions + 1,
      last_transmitted_at: now,
      updated_at: now,
    })
    .where('declaration_id', '=', record.declarationId)
    .execute();
  return { ...record, ...fields, transmissions: record.transmissions + 1, lastTransmittedAt: now, updatedAt: now };
}
