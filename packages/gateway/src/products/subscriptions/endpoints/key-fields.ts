/** Key fields of an optional amount: its currency and value as sent (null when absent), so a repeat without it differs from one with it. */
import type { Fingerprint } from '../../../endpoints/idempotency.js';

export function optionalAmountKeyFields(field: string, amount: { currency: string; value: string } | undefined): Fingerprint {
  return { [`${field}.currency`]: amount?.currency ?? null, [`${field}.value`]: amount?.value ?? null };
}
