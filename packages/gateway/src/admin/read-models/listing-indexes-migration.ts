/**
 * Migration 0008: indexes for what people look up in the dashboard and the
 * control API, which had none and read every row:
 * - a payment by `paymentRequestId` across clients (`q` search);
 * - one client's payments, newest first (`clientId` filter, the CLI);
 * - notifications of a payment, refund or capture (`resourceId`: the
 *   payment timeline, `GET /admin/notifications?resourceId=`), and one
 *   client's notifications, newest first (`clientId`).
 * Adding an index changes no row, so a gateway still on 0007 keeps working
 * beside one that applied it.
 */
import type { Kysely, Migration } from 'kysely';

export const listingIndexesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('payments_request_id').ifNotExists().on('payments').column('payment_request_id').execute();
    await db.schema.createIndex('payments_client_listing').ifNotExists().on('payments').columns(['client_id', 'payment_id']).execute();
    await db.schema.createIndex('notifications_resource').ifNotExists().on('notifications').columns(['resource_id', 'client_id']).execute();
    await db.schema.createIndex('notifications_client_listing').ifNotExists().on('notifications').columns(['client_id', 'created_at']).execute();
  },
};
