/** Migration `0024_resources`: the resource engine's tables (see tables.ts). */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely';

export const resourcesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('resources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('status', 'text')
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .execute();
    // Lists of one client's resources of a kind, newest first, page by id.
    await db.schema.createIndex('resources_client_kind_id_idx').on('resources').columns(['client_id', 'kind', 'id']).execute();

    await db.schema
      .createTable('resource_tags')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_tags_pk', ['id', 'name'])
      .execute();
    await db.schema.createIndex('resource_tags_lookup_idx').on('resource_tags').columns(['client_id', 'kind', 'name', 'value', 'id']).execute();
    // A bearer link names no client (the customer portal's token): found by its value alone.
    await db.schema.createIndex('resource_tags_value_idx').on('resource_tags').columns(['kind', 'name', 'value']).execute();

    await db.schema
      .createTable('resource_unique_values')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_unique_values_pk', ['client_id', 'kind', 'name', 'value'])
      .execute();

    await db.schema
      .createTable('resource_events')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('resource_events_pk', ['id', 'seq'])
      .execute();
  },
};
