/**
 * Clients as the request pipeline needs them: keys imported into KeyObjects,
 * cached briefly so a request costs no database read and no key parsing,
 * yet a key added or revoked from the CLI (another process) takes effect
 * within `ttlMs`.
 */
import type { KeyObject } from 'node:crypto';
import { importPrivateKey, importPublicKey, type KeyVersion } from '@amsgate/protocol';
import type { Clock } from '../clock.js';
import type { ClientsRepository } from './clients-repository.js';

export interface ResolvedClient {
  clientId: string;
  status: 'ACTIVE' | 'DISABLED';
  /** The gateway's ("Antom's") key for this client, signing responses and notifications. */
  signingKey: KeyObject;
  signingKeyVersion: number;
  /** Live (not revoked) merchant public keys by version. */
  merchantKeys: ReadonlyMap<number, KeyObject>;
}

interface CacheEntry<T> {
  value: T;
  expiresAt: number;
}

const MAX_CACHED = 10_000;

export class ClientRegistry {
  private readonly clients = new Map<string, CacheEntry<ResolvedClient | undefined>>();
  private readonly agentTokens = new Map<string, CacheEntry<string | undefined>>();
  /** Imported keys by their base64 text, so a cache refresh does not parse keys again. */
  private readonly importedKeys = new Map<string, KeyObject>();

  constructor(
    private readonly repository: ClientsRepository,
    private readonly clock: Clock,
    private readonly ttlMs = 2_000,
  ) {
    // Changes made through this process's repository take effect at once; the TTL covers other processes.
    repository.onChange((change) => {
      if (change.kind === 'client') this.clients.delete(change.clientId);
      else this.agentTokens.clear();
    });
  }

  async get(clientId: string): Promise<ResolvedClient | undefined> {
    const now = this.clock.now();
    const cached = this.clients.get(clientId);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = await this.load(clientId);
    remember(this.clients, clientId, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  /** The client an agent token acts for, or undefined for an unknown or revoked token. */
  async agentTokenClient(token: string): Promise<string | undefined> {
    const now = this.clock.now();
    const cached = this.agentTokens.get(token);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = await this.repository.agentTokenClient(token);
    remember(this.agentTokens, token, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  /** Drops cached state. Changes through the repository do this themselves; for tests and tools that write rows directly. */
  invalidate(clientId?: string): void {
    if (clientId === undefined) {
      this.clients.clear();
      this.agentTokens.clear();
    } else {
      this.clients.delete(clientId);
    }
  }

  private async load(clientId: string): Promise<ResolvedClient | undefined> {
    const client = await this.repository.find(clientId);
    if (!client) return undefined;
    const keys = await this.repository.keys(clientId);
    const merchantKeys = new Map<number, KeyObject>();
    for (const key of keys) {
      if (key.revokedAt === null) merchantKeys.set(key.keyVersion, this.imported(key.publicKey, 'public'));
    }
    return {
      clientId,
      status: client.status,
      signingKey: this.imported(client.gatewayPrivateKey, 'private'),
      signingKeyVersion: client.gatewayKeyVersion,
      merchantKeys,
    };
  }

  private imported(base64: string, kind: 'public' | 'private'): KeyObject {
    let key = this.importedKeys.get(base64);
    if (!key) {
      key = kind === 'public' ? importPublicKey(base64) : importPrivateKey(base64);
      remember(this.importedKeys, base64, key);
    }
    return key;
  }
}

/** The merchant key a header's keyVersion selects: `latest` is the newest live version. */
export function selectMerchantKey(client: ResolvedClient, keyVersion: KeyVersion): { keyVersion: number; key: KeyObject } | undefined {
  if (keyVersion === 'latest') {
    let latest: number | undefined;
    for (const version of client.merchantKeys.keys()) if (latest === undefined || version > latest) latest = version;
    return latest === undefined ? undefined : { keyVersion: latest, key: client.merchantKeys.get(latest) as KeyObject };
  }
  const key = client.merchantKeys.get(keyVersion);
  return key && { keyVersion, key };
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}
