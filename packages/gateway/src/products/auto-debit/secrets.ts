/**
 * Auth codes, access and refresh tokens: random, unguessable, shown once and
 * stored only as their SHA-256 digest; user login ids shown masked.
 */
import { createHash, randomBytes } from 'node:crypto';

export type SecretKind = 'authCode' | 'accessToken' | 'refreshToken';

const PREFIX: Record<SecretKind, string> = { authCode: 'ac_', accessToken: 'at_', refreshToken: 'rt_' };

/** 32 random bytes, base64url (43 characters) behind a kind prefix: well under the spec's 128. */
export function newSecret(kind: SecretKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `sandbox_user@amsgate.test` → `san***@amsgate.test`; `+639171234567` → `+63******4567`. */
export function maskLoginId(loginId: string): string {
  const at = loginId.indexOf('@');
  if (at > 0) return `${loginId.slice(0, Math.min(3, at))}***${loginId.slice(at)}`;
  if (loginId.length > 7) return `${loginId.slice(0, 3)}${'*'.repeat(loginId.length - 7)}${loginId.slice(-4)}`;
  return `${loginId.slice(0, 1)}***`;
}

/** A wallet user id derived from the wallet and login id, so the same (simulated) user keeps the same id. */
export function walletUserId(customerBelongsTo: string, loginId: string): string {
  const digits = (BigInt(`0x${hashSecret(`${customerBelongsTo}\n${loginId}`).slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, '0');
  return `2188${digits}`;
}

/** How an access token used as `paymentMethodId` is kept (with the payment, in its idempotency key): its digest, never the token. */
export function storedPaymentMethodId(tokenHash: string): string {
  return `sha256:${tokenHash}`;
}
