/**
 * Queries of the registration table. A merchant's lookups are scoped to its
 * client (another client's registration is not found); the sandbox's
 * controls look a registration up by its id alone.
 */
import type { Db, Tx } from '../../schema.js';
import { registrationFromRow, registrationRow, type PspResult, type RegistrationRecord } from './registration-record.js';

/** Inserts a PENDING registration; false when the merchant already has a live one (the partial unique index). */
export async function insertRegistration(tx: Tx, record: RegistrationRecord): Promise<boolean> {
  const result = await tx.insertInto('merchant_registrations').values(registrationRow(record)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findRegistrationById(tx: Tx | Db, registrationId: string): Promise<RegistrationRecord | undefined> {
  const row = await tx.selectFrom('merchant_registrations').selectAll().where('registration_id', '=', registrationId).executeTakeFirst();
  return row && registrationFromRow(row);
}

export async function findByRequestId(tx: Tx | Db, clientId: string, registrationRequestId: string): Promise<RegistrationRecord | undefined> {
  const row = await tx
    .selectFrom('merchant_registrations')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('registration_request_id', '=', registrationRequestId)
    .executeTakeFirst();
  return row && registrationFromRow(row);
}

/** A merchant's registrations, oldest first. */
export async function listForMerchant(tx: Tx | Db, clientId: string, referenceMerchantId: string): Promise<RegistrationRecord[]> {
  const rows = await tx
    .selectFrom('merchant_registrations')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('reference_merchant_id', '=', referenceMerchantId)
    .orderBy('created_at')
    .orderBy('registration_id')
    .execute();
  return rows.map(registrationFromRow);
}

/** Decides a PENDING registration: false when it was decided first (another request or process). */
export async function decideRegistration(
  tx: Tx,
  registrationId: string,
  decision: { status: 'COMPLETED' | 'REJECTED'; rejectReasons: string | null; pspResults: PspResult[] },
  at: number,
): Promise<boolean> {
  const result = await tx
    .updateTable('merchant_registrations')
    .set({ status: decision.status, reject_reasons: decision.rejectReasons, psp_results: JSON.stringify(decision.pspResults), decided_at: at })
    .where('registration_id', '=', registrationId)
    .where('status', '=', 'PENDING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ids of PENDING registrations whose review ends at or before `now`, the earliest first. */
export async function dueRegistrationIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('merchant_registrations')
    .select('registration_id')
    .where('status', '=', 'PENDING')
    .where('decide_at', '<=', now)
    .orderBy('decide_at')
    .orderBy('registration_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.registration_id);
}

/** Every client's registration with this request id (the sandbox's controls, when no client is named). */
export async function findAnyByRequestId(db: Db, registrationRequestId: string): Promise<RegistrationRecord[]> {
  const rows = await db.selectFrom('merchant_registrations').selectAll().where('registration_request_id', '=', registrationRequestId).limit(2).execute();
  return rows.map(registrationFromRow);
}
