/**
 * Queries of the dispute tables. A merchant's lookups are scoped to it
 * (another client's dispute is not found) and never see a SCHEDULED one;
 * the sandbox's controls look disputes up by id alone.
 */
import type { Insertable, Updateable } from 'kysely';
import type { Db, Tx } from '../../schema.js';
import { toNumber } from '../../store/columns.js';
import { disputeFromRow, disputeRow, isChargedBack, type DisputeRecord } from './dispute-record.js';
import type { DisputeEvidenceTable, DisputesTable, DisputeStatus } from './tables.js';

export async function insertDispute(tx: Tx, record: DisputeRecord): Promise<void> {
  await tx.insertInto('disputes').values(disputeRow(record)).execute();
}

export async function findDisputeById(tx: Tx | Db, disputeId: string): Promise<DisputeRecord | undefined> {
  const row = await tx.selectFrom('disputes').selectAll().where('dispute_id', '=', disputeId).executeTakeFirst();
  return row && disputeFromRow(row);
}

/** One of the client's disputes that has opened (a SCHEDULED one is not there yet). */
export async function findClientDispute(tx: Tx | Db, clientId: string, disputeId: string): Promise<DisputeRecord | undefined> {
  const row = await tx
    .selectFrom('disputes')
    .selectAll()
    .where('dispute_id', '=', disputeId)
    .where('client_id', '=', clientId)
    .where('status', '!=', 'SCHEDULED')
    .executeTakeFirst();
  return row && disputeFromRow(row);
}

/** A payment's disputes, oldest first (SCHEDULED ones included). */
export async function listDisputes(tx: Tx | Db, paymentId: string): Promise<DisputeRecord[]> {
  const rows = await tx.selectFrom('disputes').selectAll().where('payment_id', '=', paymentId).orderBy('opens_at').orderBy('dispute_id').execute();
  return rows.map(disputeFromRow);
}

/** What a payment's disputes have taken from the merchant (see `isChargedBack`), in minor units. */
export async function chargedBackAmount(tx: Tx, paymentId: string): Promise<bigint> {
  return (await listDisputes(tx, paymentId)).filter(isChargedBack).reduce((sum, d) => sum + d.amount, 0n);
}

/** Moves a dispute from `from` only: false when another request or process moved it first. */
export async function moveDispute(tx: Tx, disputeId: string, from: DisputeStatus, changes: Updateable<DisputesTable>, extra: { alertUnsent?: boolean } = {}): Promise<boolean> {
  let query = tx.updateTable('disputes').set(changes).where('dispute_id', '=', disputeId).where('status', '=', from);
  if (extra.alertUnsent) query = query.where('alert_sent_at', 'is', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Drops a SCHEDULED dispute that has nothing left to dispute: false when another process opened or dropped it first. */
export async function dropScheduledDispute(tx: Tx, disputeId: string): Promise<boolean> {
  const result = await tx.deleteFrom('disputes').where('dispute_id', '=', disputeId).where('status', '=', 'SCHEDULED').executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Ids of disputes with work due at `now`, the earliest first. */
export async function dueDisputeIds(tx: Db, step: 'open' | 'alert' | 'deadline', now: number, limit: number): Promise<string[]> {
  const base = tx.selectFrom('disputes').select('dispute_id');
  const query =
    step === 'open'
      ? base.where('status', '=', 'SCHEDULED').where('opens_at', '<=', now).orderBy('opens_at')
      : step === 'alert'
        ? base.where('status', '=', 'OPEN').where('alert_sent_at', 'is', null).where('alert_at', '<=', now).orderBy('alert_at')
        : base.where('status', '=', 'OPEN').where('defense_due_at', '<=', now).orderBy('defense_due_at');
  const rows = await query.orderBy('dispute_id').limit(limit).execute();
  return rows.map((row) => row.dispute_id);
}

export interface StoredEvidence {
  format: 'PDF' | 'WORD';
  content: string;
  sizeBytes: number;
  createdAt: number;
}

export async function insertEvidence(tx: Tx, row: Insertable<DisputeEvidenceTable>): Promise<void> {
  await tx.insertInto('dispute_evidence').values(row).execute();
}

export async function findEvidence(tx: Tx | Db, disputeId: string): Promise<StoredEvidence | undefined> {
  const row = await tx.selectFrom('dispute_evidence').selectAll().where('dispute_id', '=', disputeId).executeTakeFirst();
  return row && { format: row.format, content: row.content, sizeBytes: toNumber(row.size_bytes), createdAt: toNumber(row.created_at) };
}
