/**
 * The gateway's database as Kysely sees it: the tables of every room, each
 * declared beside the code that owns it (`<room>/tables.ts`), and the store's
 * types and helpers bound to them. Rooms import `Database`, `Tx` and
 * `preparedQuery` from here; `store/` knows no room.
 */
import type { AuthTables } from './auth/tables.js';
import type { EndpointTables } from './endpoints/tables.js';
import type { LedgerTables } from './ledger/tables.js';
import type { NotifyTables } from './notify/tables.js';
import type { AutoDebitTables } from './products/auto-debit/tables.js';
import type { InStoreTables } from './products/in-store/tables.js';
import type { PaymentsTables } from './products/payments/tables.js';
import type { PaymentToolsTables } from './products/payments/payment-tools-tables.js';
import type { DevicesTables } from './products/devices/tables.js';
import type { VaultTables } from './products/vaults/tables.js';
import type { SubscriptionTables } from './products/subscriptions/tables.js';
import type { DisputeTables } from './products/disputes/tables.js';
import type { CustomsTables } from './products/customs/tables.js';
import type { RiskTables } from './products/risk/tables.js';
import type { RegistrationTables } from './products/registration/tables.js';
import type { UserTables } from './products/users/tables.js';
import type { MarketplaceTables } from './products/marketplace/tables.js';
import type { ResourceTables } from './resources/tables.js';
import type { Database as StoreDatabase, Db as StoreDb, Tx as StoreTx } from './store/database.js';
import { preparedQuery as storePreparedQuery, type PreparedQueryOf } from './store/prepared-query.js';

export interface DatabaseSchema extends AuthTables, EndpointTables, LedgerTables, NotifyTables, PaymentsTables, InStoreTables, AutoDebitTables, VaultTables, PaymentToolsTables, DevicesTables, DisputeTables, SubscriptionTables, RegistrationTables, UserTables, MarketplaceTables, CustomsTables, RiskTables, ResourceTables {}

export type Database = StoreDatabase<DatabaseSchema>;
export type Db = StoreDb<DatabaseSchema>;
export type Tx = StoreTx<DatabaseSchema>;

export const preparedQuery: PreparedQueryOf<DatabaseSchema> = storePreparedQuery;
