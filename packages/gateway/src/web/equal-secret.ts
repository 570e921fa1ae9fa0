/** Comparing a presented secret (token, MAC) with the expected one without leaking, through timing, how much of it matched. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Hashing first makes both sides one length, so even the length does not leak. */
export function equalSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
