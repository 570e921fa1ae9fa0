/** The tables of clients, their keys and their agent tokens (migration 0001, `clients-migration.ts`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../store/columns.js';

export interface ClientsTable {
  client_id: string;
  name: string;
  status: 'ACTIVE' | 'DISABLED';
  /** The gateway's key for this client ("Antom's" key): base64 PKCS#8 private, base64 SPKI public. */
  gateway_private_key: string;
  gateway_public_key: string;
  gateway_key_version: IntColumn;
  created_at: IntColumn;
}

export interface ClientKeysTable {
  client_id: string;
  key_version: IntColumn;
  /** base64 SPKI */
  public_key: string;
  created_at: IntColumn;
  revoked_at: NullableIntColumn;
}

export interface AgentTokensTable {
  /** SHA-256 hex of the token: the token itself is shown once and never stored. */
  token_hash: string;
  client_id: string;
  created_at: IntColumn;
  revoked_at: NullableIntColumn;
}

export interface AuthTables {
  clients: ClientsTable;
  client_keys: ClientKeysTable;
  agent_tokens: AgentTokensTable;
}
