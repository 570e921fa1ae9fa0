/**
 * Tax registrations as of a time: the status the clock gives them, which
 * jurisdictions they cover, and the client's registrations in a country.
 */
import { toNumber } from '../../store/columns.js';
import type { Db, Tx } from '../../schema.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { TAX_REGISTRATION, type TaxRegistrationDoc, type TaxRegistrationStatus } from './kinds.js';

export type RegistrationRecord = ResourceRecord<TaxRegistrationDoc, TaxRegistrationStatus>;

/** CANCELLED stays; otherwise SCHEDULED before activeFrom, EXPIRED from expireAt, ACTIVE between. */
export function registrationStatusAt(record: Pick<RegistrationRecord, 'status' | 'doc'>, at: number): TaxRegistrationStatus {
  if (record.status === 'CANCELLED') return 'CANCELLED';
  if (record.doc.expireAt !== undefined && at >= record.doc.expireAt) return 'EXPIRED';
  return at < record.doc.activeFrom ? 'SCHEDULED' : 'ACTIVE';
}

/** Still to collect or collecting: what a second registration for the same tax and place would duplicate. */
export function registrationIsLive(record: RegistrationRecord, at: number): boolean {
  const status = registrationStatusAt(record, at);
  return status === 'SCHEDULED' || status === 'ACTIVE';
}

/** A country-wide registration covers the whole country; one for a region covers only that region. */
export function registrationCovers(doc: TaxRegistrationDoc, jurisdiction: { country: string; state?: string }): boolean {
  if (doc.jurisdiction.country?.toUpperCase() !== jurisdiction.country.toUpperCase()) return false;
  const region = doc.jurisdiction.region?.toUpperCase();
  return region === undefined || region === jurisdiction.state?.toUpperCase();
}

/** The client's registrations, oldest first; in one country when `country` is given. */
export async function findRegistrations(db: Tx | Db, clientId: string, country?: string): Promise<RegistrationRecord[]> {
  let query = db.selectFrom('resources as r').selectAll('r').where('r.client_id', '=', clientId).where('r.kind', '=', TAX_REGISTRATION.kind);
  if (country !== undefined) {
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('resource_tags as t').select('t.id').whereRef('t.id', '=', 'r.id').where('t.name', '=', 'country').where('t.value', '=', country)),
    );
  }
  const rows = await query.orderBy('r.id', 'asc').execute();
  return rows.map((row) => ({
    id: row.id,
    clientId: row.client_id,
    requestId: row.request_id,
    status: row.status as TaxRegistrationStatus,
    version: toNumber(row.version as number),
    createdAt: toNumber(row.created_at as number),
    updatedAt: toNumber(row.updated_at as number),
    doc: JSON.parse(row.document) as TaxRegistrationDoc,
  }));
}
