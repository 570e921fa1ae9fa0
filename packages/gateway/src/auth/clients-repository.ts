/** Clients, their public keys by version, and their agent tokens, in the database. */
import { createHash } from 'node:crypto';
import { exportPublicKeyBase64, generateKeyPair, importPublicKey, type GeneratedKeyPair, type KeyInput } from '@amsgate/protocol';
import { sql, type Selectable } from 'kysely';
import type { Database, Tx } from '../schema.js';
import { toNullableNumber, toNumber } from '../store/columns.js';
import type { ClientKeysTable, ClientsTable } from './tables.js';
import { newAgentToken, newClientId, SANDBOX_CLIENT_PREFIX } from '../ids.js';

/** A client as lists and pages show it: nothing secret. */
export interface ClientRecord {
  clientId: string;
  name: string;
  status: 'ACTIVE' | 'DISABLED';
  gatewayPublicKey: string;
  gatewayKeyVersion: number;
  createdAt: number;
}

/** A client with the gateway's private key for it (what signs its responses and notifications). */
export interface ClientWithSigningKey extends ClientRecord {
  gatewayPrivateKey: string;
}

export interface ClientKeyRecord {
  clientId: string;
  keyVersion: number;
  publicKey: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface CreatedClient {
  client: ClientWithSigningKey;
  keyVersion: number;
  /** Only when the gateway generated the merchant pair: the one time the private key is seen. */
  merchantPrivateKey?: string;
  merchantPublicKey: string;
}

export interface AgentTokenRecord {
  /** SHA-256 hex of the token: names it in lists (the token itself is never stored). */
  tokenHash: string;
  clientId: string;
  createdAt: number;
  revokedAt: number | null;
}

/** Revoking this key would leave the client unable to sign any request. */
export class LastLiveKeyError extends Error {
  constructor(clientId: string, keyVersion: number) {
    super(lastLiveKeyMessage(clientId, keyVersion));
    this.name = 'LastLiveKeyError';
  }
}

/** Why the last live key of a client is not revoked (LastLiveKeyError's message; the dashboard says it before asking to confirm). */
export function lastLiveKeyMessage(clientId: string, keyVersion: number): string {
  return `Key version ${keyVersion} is the last live key of client ${clientId}; add or generate another key first`;
}

export class ClientNotFoundError extends Error {
  constructor(clientId: string) {
    super(`No client ${clientId}`);
    this.name = 'ClientNotFoundError';
  }
}

/** The columns of a ClientRecord: everything but the gateway's private key. */
const CLIENT_COLUMNS = ['client_id', 'name', 'status', 'gateway_public_key', 'gateway_key_version', 'created_at'] as const;

type ClientRow = Pick<Selectable<ClientsTable>, (typeof CLIENT_COLUMNS)[number]>;

function clientFromRow(row: ClientRow): ClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    status: row.status,
    gatewayPublicKey: row.gateway_public_key,
    gatewayKeyVersion: toNumber(row.gateway_key_version),
    createdAt: toNumber(row.created_at),
  };
}

function keyFromRow(row: Selectable<ClientKeysTable>): ClientKeyRecord {
  return {
    clientId: row.client_id,
    keyVersion: toNumber(row.key_version),
    publicKey: row.public_key,
    createdAt: toNumber(row.created_at),
    revokedAt: toNullableNumber(row.revoked_at),
  };
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What a committed change made stale: one client's keys and status, or the agent tokens (cached by their text, which is not stored). */
export type ClientChange = { kind: 'client'; clientId: string } | { kind: 'agent-tokens' };

export interface NewClientOptions {
  sandbox: boolean;
  name?: string;
  merchantPublicKey?: KeyInput;
  now?: number;
  /** Key pairs generated ahead of the call (startSandbox makes them while the gateway starts); a merchant pair given counts as generated here. */
  pairs?: { gateway: GeneratedKeyPair; merchant?: GeneratedKeyPair };
}

export class ClientsRepository {
  private readonly listeners = new Set<(change: ClientChange) => void>();

  constructor(private readonly database: Database) {}

  /**
   * Calls `listener` after each change this repository commits, so caches in
   * this process (the client registry) never depend on every caller
   * remembering to drop them. Other processes (the CLI) are caught by the
   * cache's TTL. Returns the unsubscribe function.
   */
  onChange(listener: (change: ClientChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: ClientChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /**
   * Registers a client. With no public key given, a merchant key pair is
   * generated and its private half returned once (for sandbox use and tests).
   */
  async create(options: NewClientOptions): Promise<CreatedClient> {
    return (await this.insertNew(options, false)) as CreatedClient;
  }

  /**
   * Creates a sandbox client unless one exists, deciding under a lock:
   * gateways started at once on one database make one between them (the
   * others get undefined).
   */
  async createFirstSandboxClient(options: Omit<NewClientOptions, 'sandbox'>): Promise<CreatedClient | undefined> {
    return this.insertNew({ ...options, sandbox: true }, true);
  }

  private async insertNew(options: NewClientOptions, onlyIfFirstSandboxClient: boolean): Promise<CreatedClient | undefined> {
    const now = options.now ?? Date.now();
    const given = options.merchantPublicKey;
    const generated = (pair: GeneratedKeyPair) => ({ privateKey: pair.privateKeyBase64 as string | undefined, publicKey: pair.publicKeyBase64 });
    // Both pairs at once: generation runs on libuv's pool, so two cores halve the wait.
    const [gatewayPair, merchant] = await Promise.all([
      options.pairs?.gateway ?? generateKeyPair(),
      given !== undefined
        ? Promise.resolve({ privateKey: undefined, publicKey: exportPublicKeyBase64(importPublicKey(given)) })
        : options.pairs?.merchant !== undefined
          ? generated(options.pairs.merchant)
          : generateKeyPair().then(generated),
    ]);
    const merchantPrivateKey = merchant.privateKey;
    const merchantPublicKey = merchant.publicKey;
    const client: ClientWithSigningKey = {
      clientId: newClientId(options.sandbox),
      name: options.name ?? (options.sandbox ? 'Sandbox client' : 'Client'),
      status: 'ACTIVE',
      gatewayPrivateKey: gatewayPair.privateKeyBase64,
      gatewayPublicKey: gatewayPair.publicKeyBase64,
      gatewayKeyVersion: 1,
      createdAt: now,
    };
    const inserted = await this.database.transaction(async (tx) => {
      if (onlyIfFirstSandboxClient) {
        // PostgreSQL: concurrent starts queue here until the first commits; SQLite's write transactions are serial already.
        if (this.database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('amsgate:first-sandbox-client'))`.execute(tx);
        const existing = await tx.selectFrom('clients').select('client_id').where(sql<string>`substr(client_id, 1, ${SANDBOX_CLIENT_PREFIX.length})`, '=', SANDBOX_CLIENT_PREFIX).limit(1).executeTakeFirst();
        if (existing !== undefined) return false;
      }
      await tx
        .insertInto('clients')
        .values({
          client_id: client.clientId,
          name: client.name,
          status: client.status,
          gateway_private_key: client.gatewayPrivateKey,
          gateway_public_key: client.gatewayPublicKey,
          gateway_key_version: client.gatewayKeyVersion,
          created_at: now,
        })
        .execute();
      await tx.insertInto('client_keys').values({ client_id: client.clientId, key_version: 1, public_key: merchantPublicKey, created_at: now, revoked_at: null }).execute();
      return true;
    });
    if (!inserted) return undefined;
    // A lookup of this id before it existed may be cached as "no such client".
    this.changed({ kind: 'client', clientId: client.clientId });
    return { client, keyVersion: 1, merchantPrivateKey, merchantPublicKey };
  }

  async find(clientId: string, tx: Tx = this.database.db): Promise<ClientWithSigningKey | undefined> {
    const row = await tx.selectFrom('clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && { ...clientFromRow(row), gatewayPrivateKey: row.gateway_private_key };
  }

  /** A client as pages and tools show it (or test that it exists): the gateway's private key is not read. */
  async findPublic(clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.database.db.selectFrom('clients').select(CLIENT_COLUMNS).where('client_id', '=', clientId).executeTakeFirst();
    return row && clientFromRow(row);
  }

  /** Every client, oldest first, in one query (the gateway's private keys are not read). */
  async list(): Promise<ClientRecord[]> {
    const rows = await this.database.db
      .selectFrom('clients')
      .select(CLIENT_COLUMNS)
      .orderBy('created_at')
      .orderBy('client_id')
      .execute();
    return rows.map(clientFromRow);
  }

  async keys(clientId: string, tx: Tx = this.database.db): Promise<ClientKeyRecord[]> {
    const rows = await tx.selectFrom('client_keys').selectAll().where('client_id', '=', clientId).orderBy('key_version').execute();
    return rows.map(keyFromRow);
  }

  /** Every client's keys by client id (oldest version first), in one query; a client without keys is absent. */
  async keysByClient(): Promise<Map<string, ClientKeyRecord[]>> {
    const rows = await this.database.db.selectFrom('client_keys').selectAll().orderBy('client_id').orderBy('key_version').execute();
    const byClient = new Map<string, ClientKeyRecord[]>();
    for (const row of rows) {
      const keys = byClient.get(row.client_id);
      if (keys) keys.push(keyFromRow(row));
      else byClient.set(row.client_id, [keyFromRow(row)]);
    }
    return byClient;
  }

  /** Adds the next key version; older versions stay valid until revoked. */
  async addKey(clientId: string, publicKey: KeyInput, now = Date.now()): Promise<ClientKeyRecord> {
    const spki = exportPublicKeyBase64(importPublicKey(publicKey));
    const added = await this.database.transaction(async (tx): Promise<ClientKeyRecord> => {
      if (!(await this.find(clientId, tx))) throw new ClientNotFoundError(clientId);
      const last = await tx
        .selectFrom('client_keys')
        .select((eb) => eb.fn.max('key_version').as('max_version'))
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      const keyVersion = toNumber(last?.max_version ?? 0) + 1;
      await tx.insertInto('client_keys').values({ client_id: clientId, key_version: keyVersion, public_key: spki, created_at: now, revoked_at: null }).execute();
      return { clientId, keyVersion, publicKey: spki, createdAt: now, revokedAt: null };
    });
    this.changed({ kind: 'client', clientId });
    return added;
  }

  /**
   * Returns false when there is no such live key version. With
   * `keepOneLive`, throws LastLiveKeyError instead of revoking the client's
   * only live key (checked under a lock of the client's row on PostgreSQL,
   * so two concurrent revocations cannot each leave the other key as the
   * "remaining" one). `now` defaults to the system time.
   */
  async revokeKey(clientId: string, keyVersion: number, options: { keepOneLive?: boolean; now?: number } = {}): Promise<boolean> {
    const now = options.now ?? Date.now();
    const result = await this.database.transaction(async (tx) => {
      if (options.keepOneLive) {
        if (this.database.dialect === 'postgres') await tx.selectFrom('clients').select('client_id').where('client_id', '=', clientId).forUpdate().execute();
        const live = await tx.selectFrom('client_keys').select('key_version').where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
        if (live.length === 1 && toNumber(live[0]?.key_version ?? 0) === keyVersion) throw new LastLiveKeyError(clientId, keyVersion);
      }
      return tx
        .updateTable('client_keys')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('key_version', '=', keyVersion)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    });
    const revoked = Number(result.numUpdatedRows) === 1;
    if (revoked) this.changed({ kind: 'client', clientId });
    return revoked;
  }

  /** Issues an ISV agent token acting for the client; the token is returned once and stored only hashed. */
  async issueAgentToken(clientId: string, now = Date.now()): Promise<string> {
    const token = newAgentToken();
    await this.database.transaction(async (tx) => {
      if (!(await this.find(clientId, tx))) throw new ClientNotFoundError(clientId);
      await tx.insertInto('agent_tokens').values({ token_hash: hashAgentToken(token), client_id: clientId, created_at: now, revoked_at: null }).execute();
    });
    return token;
  }

  /** The client an agent token acts for, when the token exists and is not revoked. */
  async agentTokenClient(token: string): Promise<string | undefined> {
    const row = await this.database.db
      .selectFrom('agent_tokens')
      .select('client_id')
      .where('token_hash', '=', hashAgentToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row?.client_id;
  }

  /** The client's agent tokens (hashes only), oldest first. */
  async agentTokens(clientId: string): Promise<AgentTokenRecord[]> {
    const rows = await this.database.db.selectFrom('agent_tokens').selectAll().where('client_id', '=', clientId).orderBy('created_at').orderBy('token_hash').execute();
    return rows.map((row) => ({ tokenHash: row.token_hash, clientId: row.client_id, createdAt: toNumber(row.created_at), revokedAt: toNullableNumber(row.revoked_at) }));
  }

  /** Returns false when the client has no such live token. */
  async revokeAgentToken(clientId: string, tokenHash: string, now = Date.now()): Promise<boolean> {
    const result = await this.database.transaction((tx) =>
      tx
        .updateTable('agent_tokens')
        .set({ revoked_at: now })
        .where('client_id', '=', clientId)
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    const revoked = Number(result.numUpdatedRows) === 1;
    if (revoked) this.changed({ kind: 'agent-tokens' });
    return revoked;
  }
}
