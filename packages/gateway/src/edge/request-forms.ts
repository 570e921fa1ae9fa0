/**
 * The request forms the gateway accepts beyond what `@amsgate/protocol`'s
 * tolerant parsers read: only what an official SDK sends or an Antom page
 * shows (the table in test/leniency.test.ts names who needs each). The
 * protocol parsers stay tolerant because clients also use them to read
 * Antom's own answers; these checks run on requests only, after the tolerant
 * parse succeeded, and return what is wrong (undefined: acceptable).
 */

/**
 * `algorithm=RSA256,keyVersion=N,signature=V` in that order (every SDK), one
 * optional space after each comma (the docs' example), keyVersion optional
 * (the docs: the latest key applies).
 */
export function signatureHeaderFormProblem(value: string): string | undefined {
  const parts = value.split(',').map((part, i) => (i > 0 && part.startsWith(' ') ? part.slice(1) : part));
  const names: string[] = [];
  for (const part of parts) {
    if (part === '') return 'it has an empty part (a stray comma)';
    if (/\s/.test(part)) return `whitespace is allowed only as one space after a comma, not in "${clip(part)}"`;
    const eq = part.indexOf('=');
    const name = part.slice(0, eq);
    if (!KNOWN_PARTS.includes(name)) {
      const spelled = KNOWN_PARTS.find((known) => known.toLowerCase() === name.toLowerCase());
      return spelled ? `the part "${clip(name)}" must be spelled ${spelled}` : `the part "${clip(name)}" is not one of algorithm, keyVersion, signature`;
    }
    names.push(name);
    const partValue = part.slice(eq + 1);
    if (name === 'algorithm' && partValue !== 'RSA256') return `algorithm "${clip(partValue)}" must be spelled RSA256`;
    if (name === 'keyVersion' && !/^[1-9][0-9]*$/.test(partValue)) {
      return partValue === '' ? 'keyVersion is empty (leave the part out to use the latest key)' : `keyVersion "${clip(partValue)}" must be written without leading zeros`;
    }
  }
  const order = names.join(',');
  if (order !== 'algorithm,keyVersion,signature' && order !== 'algorithm,signature') {
    return 'its parts must come in the order algorithm, keyVersion, signature';
  }
  return undefined;
}

const KNOWN_PARTS = ['algorithm', 'keyVersion', 'signature'];

/**
 * A signature value with a raw "+", "/" or "=": sent without URL-encoding.
 * Antom form-decodes the value, so a raw "+" becomes a space and the
 * signature fails. "/" and "=" decode as themselves, but every SDK encodes
 * them (Java URLEncoder, Python quote_plus, Go QueryEscape, PHP urlencode,
 * .NET HttpUtility.UrlEncode), and a 2048-bit signature always ends in "=":
 * refusing them shows a sender that forgot to encode on its first request,
 * not only on the ones whose base64 happens to hold a "+".
 */
export function unencodedSignatureProblem(value: string): string | undefined {
  const part = value.split(',').find((p) => p.trimStart().startsWith('signature='));
  const encoded = part?.trimStart().slice('signature='.length) ?? '';
  const raw = ['+', '/', '='].filter((character) => encoded.includes(character));
  if (raw.length === 0) return undefined;
  const plus = raw.includes('+') ? ' (form decoding reads a "+" as a space, as Antom does)' : '';
  return `the value has a raw ${raw.map((c) => `"${c}"`).join(' and ')}${plus}: URL-encode the base64 ("+" as %2B, "/" as %2F, "=" as %3D)`;
}

/**
 * Epoch milliseconds (Java, Go, the docs) or ISO 8601 to the second with an
 * optional `.fraction` and an offset `Z`, `±hh:mm` or `±hhmm` (Python, PHP,
 * .NET, the older docs). The value has already parsed as a time.
 */
export function requestTimeFormProblem(value: string): string | undefined {
  if (/^[0-9]+$/.test(value)) {
    if (/^[1-9][0-9]{12}$/.test(value)) return undefined;
    return `"${clip(value)}" is not 13-digit epoch milliseconds${value.length === 10 ? ' (it looks like seconds)' : ''}`;
  }
  if (value.trim() !== value) return 'the value has whitespace around it';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)$/.test(value)) return undefined;
  if (value.includes(',')) return `"${clip(value)}" separates the fraction of a second with ",": use "."`;
  return `"${clip(value)}" needs an offset with minutes (Z, +08:00 or +0800)`;
}

function clip(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}
