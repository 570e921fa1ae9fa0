/**
 * Ids we assign: a prefix, 10 characters of time (ms, Crockford base32, so
 * ids sort by creation) and 16 random characters (80 bits: unguessable).
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = Math.floor(ms);
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * Random bytes drawn from a buffer filled 4 KiB at a time: a pay makes
 * several ids, and a call into the CSPRNG per id cost more than the rest of
 * making it. Every byte is used once.
 */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function randomChars(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    if (randomOffset === randomPool.length) {
      randomFillSync(randomPool);
      randomOffset = 0;
    }
    out += ALPHABET[(randomPool[randomOffset++] as number) & 31];
  }
  return out;
}

/** `DCL`: customs declarations; `RSK`: risk-control security ids (decisions, reports, results). `ACN`: Auto Debit consults (authorisation requests); `AGR`: Auto Debit grants (agreements); `VLT`: vaultings; `CTK`: card tokens; `NCE`: card nonces; `ARR`: arrear syncs (`payments/syncArrear`); `SUB`: subscriptions. */
export type IdPrefix = 'PAY' | 'TXN' | 'JNL' | 'ENT' | 'NTF' | 'ATT' | 'ACN' | 'AGR' | 'VLT' | 'CTK' | 'NCE' | 'ARR' | 'SUB' | 'DCL' | 'RSK';

export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  return `${prefix}${encodeTime(nowMs)}${randomChars(16)}`;
}

/** A resource-engine id: the kind's own three-letter prefix (`resources/resource-kind.ts`), then time and randomness as above. */
export function newResourceId(prefix: string, nowMs: number): string {
  return `${prefix}${encodeTime(nowMs)}${randomChars(16)}`;
}

/** Client ids look like Antom's: 14 upper-case characters, `SANDBOX_`-prefixed for sandbox clients. */
export function newClientId(sandbox: boolean): string {
  return `${sandbox ? 'SANDBOX_' : ''}${randomChars(14)}`;
}

export const SANDBOX_CLIENT_PREFIX = 'SANDBOX_';

export function isSandboxClientId(clientId: string): boolean {
  return clientId.startsWith(SANDBOX_CLIENT_PREFIX);
}

/** ISV agent tokens: 48 characters, as Antom's Dashboard issues them. */
export function newAgentToken(): string {
  return randomChars(48);
}

/**
 * The smallest id made at `ms` (an id made earlier sorts below it, one made
 * at or after it does not): ids are time-ordered, so a time range over them
 * is a range of the primary key.
 */
export function idTimeBound(prefix: IdPrefix, ms: number): string {
  return `${prefix}${encodeTime(Math.min(Math.max(0, ms), 2 ** 50 - 1))}`;
}
