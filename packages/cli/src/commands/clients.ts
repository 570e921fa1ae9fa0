/**
 * `amsgate clients …`: the merchants a gateway knows, their public keys by
 * version, and ISV agent tokens. Works on the database directly, so it can
 * run while a server is up (the server picks changes up from the database).
 */
import { ClientNotFoundError, ClientsRepository, credentialsOf, isSandboxClientId, type ClientKeyRecord, type ClientRecord, type Database } from '@amsgate/gateway';
import { importPublicKey } from '@amsgate/protocol';
import { withDatabase, type DatabaseOptions } from '../database-options.js';
import { CliError, EXIT } from '../io.js';
import { loadKey } from '../message.js';
import { parseKeyVersion } from '../options.js';

type Print = (line: string) => void;

export interface JsonOption {
  json?: boolean;
}

export type ClientKind = 'sandbox' | 'gateway';

export interface CreateOptions extends DatabaseOptions, JsonOption {
  name?: string;
  publicKey?: string;
  mode: ClientKind;
}

export async function createClient(options: CreateOptions, print: Print): Promise<void> {
  // Read the key before touching the database: a bad file should change nothing.
  const merchantPublicKey = options.publicKey === undefined ? undefined : loadKey(options.publicKey, 'public key', importPublicKey);
  const created = await withDatabase(options, false, (database) =>
    new ClientsRepository(database).create({ sandbox: options.mode === 'sandbox', name: options.name, merchantPublicKey }),
  );
  const credentials = credentialsOf(created);
  if (options.json) {
    print(JSON.stringify(credentials, null, 2));
    return;
  }
  print(`Created ${options.mode} client ${credentials.clientId} ("${created.client.name}"), key version ${credentials.keyVersion}.`);
  if (credentials.merchantPrivateKey !== undefined) {
    print('# Merchant private key, base64 PKCS#8. Shown only this once: keep it secret; amsgate does not store it.');
    print(credentials.merchantPrivateKey);
  }
  print('# Merchant public key, base64 SPKI (registered as key version 1).');
  print(credentials.merchantPublicKey);
  print('# Antom public key, base64 SPKI: the SDK verifies responses and notifications with it.');
  print(credentials.antomPublicKey);
}

export async function listClients(options: DatabaseOptions & JsonOption, print: Print): Promise<void> {
  const rows = await withDatabase(options, true, async (database) => {
    const repository = new ClientsRepository(database);
    const [clients, keys] = await Promise.all([repository.list(), repository.keysByClient()]);
    return clients.map((client) => ({ client, keys: keys.get(client.clientId) ?? [] }));
  });
  if (options.json) {
    print(JSON.stringify(rows.map(({ client, keys }) => ({ ...clientSummary(client), liveKeyVersions: liveVersions(keys) })), null, 2));
    return;
  }
  if (rows.length === 0) {
    print('No clients. Create one with `amsgate clients create`.');
    return;
  }
  const table = [
    ['CLIENT ID', 'NAME', 'STATUS', 'LIVE KEYS', 'CREATED'],
    ...rows.map(({ client, keys }) => [
      client.clientId,
      client.name,
      client.status,
      liveVersions(keys).join(',') || '-',
      new Date(client.createdAt).toISOString(),
    ]),
  ];
  for (const line of formatTable(table)) print(line);
}

export async function showClient(clientId: string, options: DatabaseOptions & JsonOption, print: Print): Promise<void> {
  const { client, keys } = await withDatabase(options, true, async (database) => {
    const repository = new ClientsRepository(database);
    const found = await requireClient(repository, clientId);
    return { client: found, keys: await repository.keys(clientId) };
  });
  if (options.json) {
    print(JSON.stringify({
      ...clientSummary(client),
      antomPublicKey: client.gatewayPublicKey,
      antomKeyVersion: client.gatewayKeyVersion,
      keys: keys.map((key) => ({
        keyVersion: key.keyVersion,
        publicKey: key.publicKey,
        createdAt: new Date(key.createdAt).toISOString(),
        revoked: key.revokedAt !== null,
        revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
      })),
    }, null, 2));
    return;
  }
  print(`Client:  ${client.clientId}${isSandboxClientId(client.clientId) ? ' (sandbox)' : ''}`);
  print(`Name:    ${client.name}`);
  print(`Status:  ${client.status}`);
  print(`Created: ${new Date(client.createdAt).toISOString()}`);
  print('Merchant public keys (requests must be signed with the private half of a live one):');
  for (const key of keys) {
    const state = key.revokedAt === null ? 'live' : `revoked ${new Date(key.revokedAt).toISOString()}`;
    print(`  keyVersion ${key.keyVersion}  ${state}  added ${new Date(key.createdAt).toISOString()}`);
    print(`    ${key.publicKey}`);
  }
  print(`Antom public key (keyVersion ${client.gatewayKeyVersion}; verifies the gateway's responses and notifications):`);
  print(`  ${client.gatewayPublicKey}`);
}

export type AddKeyOptions = DatabaseOptions & JsonOption & { publicKey: string };

export async function addKey(clientId: string, options: AddKeyOptions, print: Print): Promise<void> {
  const publicKey = loadKey(options.publicKey, 'public key', importPublicKey);
  const key = await withDatabase(options, true, (database) => clientsCall(database, clientId, (repository) => repository.addKey(clientId, publicKey)));
  if (options.json) {
    print(JSON.stringify({ clientId, keyVersion: key.keyVersion, publicKey: key.publicKey }, null, 2));
    return;
  }
  print(`Added key version ${key.keyVersion} to client ${clientId}; earlier versions stay valid until revoked.`);
  print(`Sign requests with keyVersion=${key.keyVersion} in the signature header to use it.`);
}

export type RevokeKeyOptions = DatabaseOptions & JsonOption & { keyVersion: string };

export async function revokeKey(clientId: string, options: RevokeKeyOptions, print: Print): Promise<void> {
  const keyVersion = parseKeyVersion(options.keyVersion);
  const keys = await withDatabase(options, true, async (database) => {
    const repository = new ClientsRepository(database);
    await requireClient(repository, clientId);
    if (!(await repository.revokeKey(clientId, keyVersion))) {
      const all = await repository.keys(clientId);
      const existing = all.find((key) => key.keyVersion === keyVersion);
      if (existing !== undefined && existing.revokedAt !== null) {
        throw new CliError(`Key version ${keyVersion} of client ${clientId} was already revoked at ${new Date(existing.revokedAt).toISOString()}`, EXIT.failed);
      }
      throw new CliError(`Client ${clientId} has no key version ${keyVersion} (it has ${all.map((k) => k.keyVersion).join(', ') || 'none'})`);
    }
    return repository.keys(clientId);
  });
  const live = liveVersions(keys);
  if (options.json) {
    print(JSON.stringify({ clientId, keyVersion, revoked: true, liveKeyVersions: live }, null, 2));
    return;
  }
  print(`Revoked key version ${keyVersion} of client ${clientId}; a running server refuses requests signed with it within 2 seconds.`);
  print(live.length > 0
    ? `Live key versions: ${live.join(', ')}`
    : 'Warning: the client has no live key left and cannot sign requests until you add one (amsgate clients add-key).');
}

export async function agentToken(clientId: string, options: DatabaseOptions & JsonOption, print: Print): Promise<void> {
  const token = await withDatabase(options, true, (database) => clientsCall(database, clientId, (repository) => repository.issueAgentToken(clientId)));
  if (options.json) {
    print(JSON.stringify({ clientId, agentToken: token }, null, 2));
    return;
  }
  print(`# Agent token for client ${clientId} (send it in the agent-token header). Shown only this once; amsgate stores only its hash.`);
  print(token);
}

function clientSummary(client: ClientRecord) {
  return {
    clientId: client.clientId,
    name: client.name,
    status: client.status,
    sandbox: isSandboxClientId(client.clientId),
    createdAt: new Date(client.createdAt).toISOString(),
  };
}

function liveVersions(keys: ClientKeyRecord[]): number[] {
  return keys.filter((key) => key.revokedAt === null).map((key) => key.keyVersion);
}

function unknownClient(clientId: string): CliError {
  return new CliError(`No client ${clientId} in this database (see \`amsgate clients list\`; is --data-dir or --database the server's?)`);
}

async function requireClient(repository: ClientsRepository, clientId: string): Promise<ClientRecord> {
  const client = await repository.findPublic(clientId);
  if (!client) throw unknownClient(clientId);
  return client;
}

/** Runs a repository call that throws ClientNotFoundError for an unknown client id. */
async function clientsCall<T>(database: Database, clientId: string, fn: (repository: ClientsRepository) => Promise<T>): Promise<T> {
  try {
    return await fn(new ClientsRepository(database));
  } catch (error) {
    if (error instanceof ClientNotFoundError) throw unknownClient(clientId);
    throw error;
  }
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '));
}
