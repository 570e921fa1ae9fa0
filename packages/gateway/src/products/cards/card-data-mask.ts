/**
 * Card data, account and identity numbers and one-time passwords as anything
 * amsgate keeps or shows them: a card or bank account number as its first
 * six and last four digits (`405469******0768`), a certificate (ID card,
 * passport) number as stars, a CVV or OTP as `***`. Applied to request bodies before the request log, a payment's
 * stored request or the signature debugger keep them. Keys are matched
 * after JSON decoding (an escaped `"card\u004eo"` is still `cardNo`); a body
 * that is not JSON has every run of 12 to 19 digits masked instead.
 */
const CARD_NUMBER_KEYS = new Set(['cardNo', 'cardNumber', 'bankAccountNo']);
const SECRET_KEYS = new Set(['cvv', 'cvc', 'cardCvc', 'otpValue', 'authenticationValue', 'certificateNo']);
/** What a body must contain for masking to be needed: a key name, or an escape that could spell one. */
const MAYBE_SENSITIVE = /cardNo|cardNumber|bankAccountNo|cvv|cvc|cardCvc|otpValue|authenticationValue|certificateNo|\\u/i;
const DIGIT_RUN = /\d(?:[ -]?\d){11,18}/g;

export function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 12 ? `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}` : '*'.repeat(digits.length);
}

/** A copy of a parsed JSON value with card numbers, CVVs and OTPs masked; `changed` says whether anything was. */
export function maskCardData(value: unknown): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (CARD_NUMBER_KEYS.has(key) && (typeof child === 'string' || typeof child === 'number')) {
        out[key] = maskCardNumber(String(child));
        changed = true;
      } else if (SECRET_KEYS.has(key) && child !== null && typeof child !== 'object') {
        out[key] = '***';
        changed = true;
      } else {
        out[key] = walk(child);
      }
    }
    return out;
  };
  const masked = walk(value);
  return { value: masked, changed };
}

/** JSON text with card data masked (re-serialised only when something was masked; the same string otherwise). */
export function maskCardDataInText(text: string): string {
  if (!MAYBE_SENSITIVE.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.replace(DIGIT_RUN, (run) => maskCardNumber(run)).replace(/("(?:cvv|cvc|cardCvc|otpValue|authenticationValue|certificateNo)"\s*:\s*)"[^"]*"/gi, '$1"***"');
  }
  const masked = maskCardData(parsed);
  return masked.changed ? JSON.stringify(masked.value) : text;
}

/** The same for raw bytes: the same buffer when nothing needed masking. */
export function maskCardDataInBody(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const masked = maskCardDataInText(text);
  return masked === text ? body : Buffer.from(masked, 'utf8');
}
