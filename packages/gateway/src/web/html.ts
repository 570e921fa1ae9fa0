/**
 * The one way the gateway's pages (checkout, wallet, dashboard) build HTML,
 * escaping by default: `html\`<p>${value}</p>\`` escapes every
 * interpolated value unless it is already `SafeHtml` (another `html`
 * fragment, or `raw()` for markup the code itself wrote). Arrays are joined.
 * Pages are built only from these, so a forgotten escape cannot happen by
 * string concatenation.
 */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Interpolated = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup written by the code itself (never user data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
