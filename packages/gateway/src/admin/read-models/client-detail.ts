/**
 * One client as an administrator sees it — key versions, agent tokens (by
 * hash), default notification URLs — loaded once for the dashboard page and
 * the control API's JSON, so the two cannot disagree. Nothing secret: the
 * gateway's private key and agent tokens themselves never leave here.
 */
import { createHash } from 'node:crypto';
import { isoTime } from '../../iso-time.js';
import type { NotificationService } from '../../notify/notification-service.js';
import type { NotifyType } from '../../notify/tables.js';
import type { AgentTokenRecord, ClientKeyRecord, ClientRecord, ClientsRepository } from '../../auth/clients-repository.js';

export interface ClientDetail {
  client: ClientRecord;
  keys: ClientKeyRecord[];
  agentTokens: AgentTokenRecord[];
  notifyUrls: Partial<Record<NotifyType, string>>;
}

export async function loadClientDetail(clients: ClientsRepository, notifications: NotificationService, clientId: string): Promise<ClientDetail | undefined> {
  const client = await clients.findPublic(clientId);
  if (!client) return undefined;
  const [keys, agentTokens, notifyUrls] = await Promise.all([clients.keys(clientId), clients.agentTokens(clientId), notifications.defaultUrls(clientId)]);
  return { client, keys, agentTokens, notifyUrls };
}

/**
 * SHA-256 of the public key's DER (SPKI), hex: what
 * `openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256` prints.
 */
export function keyFingerprint(spkiBase64: string): string {
  return createHash('sha256').update(Buffer.from(spkiBase64, 'base64')).digest('hex');
}

/** The control API's shape of a client in a list. */
export function clientSummaryView(client: ClientRecord, keys: readonly ClientKeyRecord[]): Record<string, unknown> {
  return {
    clientId: client.clientId,
    name: client.name,
    status: client.status,
    createdAt: isoTime(client.createdAt),
    liveKeyVersions: keys.filter((k) => k.revokedAt === null).map((k) => k.keyVersion),
    revokedKeyVersions: keys.filter((k) => k.revokedAt !== null).map((k) => k.keyVersion),
  };
}

/** The control API's shape of one client. */
export function clientDetailView(detail: ClientDetail): Record<string, unknown> {
  const { client } = detail;
  return {
    ...clientSummaryView(client, detail.keys),
    antomPublicKey: client.gatewayPublicKey,
    keys: detail.keys.map((key) => ({
      keyVersion: key.keyVersion,
      publicKey: key.publicKey,
      fingerprint: keyFingerprint(key.publicKey),
      createdAt: isoTime(key.createdAt),
      revokedAt: isoTime(key.revokedAt),
    })),
    agentTokens: detail.agentTokens.map((token) => ({ tokenSha256Prefix: token.tokenHash.slice(0, 16), createdAt: isoTime(token.createdAt), revokedAt: isoTime(token.revokedAt) })),
    notifyUrls: detail.notifyUrls,
  };
}
