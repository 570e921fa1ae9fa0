/** The device certificates table (part of migration 0017): one row per client and `deviceRequestId`. */
import type { Kysely, Migration } from 'kysely';

export const deviceCertificatesTable: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('device_certificates')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('device_request_id', 'text', (c) => c.notNull())
      .addColumn('device_public_key', 'text', (c) => c.notNull())
      .addColumn('serial_number', 'text', (c) => c.notNull())
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('gateway_key_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('not_after', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_certificates_pk', ['client_id', 'device_request_id'])
      .execute();
  },
};
