/** Small renderers the payments, request log and notifications pages share. */
import { formatMajorUnits } from '@amsgate/protocol';
import { html, type SafeHtml } from '../http/html.js';

/** A UTC instant, readable and machine-readable. */
export function timeCell(ms: number | null): SafeHtml {
  if (ms === null) return html`<span class="muted">—</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace('Z', '')}</time>`;
}

/** A status in the layout's colour (`status-S`, `status-FAILED`, …); anything unknown is shown plain. */
export function statusBadge(status: string | null): SafeHtml {
  if (status === null) return html``;
  return /^[A-Z_]{1,32}$/.test(status) ? html`<span class="status-${status}">${status}</span>` : html`${status}`;
}

export function moneyText(currency: string, minor: bigint): string {
  return `${formatMajorUnits({ currency, minor })} ${currency}`;
}

/** A body for a <pre>: pretty when it is JSON, as sent otherwise. */
export function prettyBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch {
    return text;
  }
}

/**
 * Text for a <pre> with every line feed shown as a visible `\n` before the
 * break, so the exact content to sign can be read byte for byte.
 */
export function visibleLineBreaks(text: string): SafeHtml {
  return html`${text.split('\n').map((line, i) => html`${i > 0 ? html`<span class="muted" title="line feed (0x0A)">\\n</span>\n` : ''}${line}`)}`;
}

/** `?a=1&b=2` from the values set, for links that keep the filters. */
export function queryString(values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(name, value);
  return query.size === 0 ? '' : `?${query.toString()}`;
}

/** The query of a GET request as plain strings (repeated parameters: the first). */
export function queryOf(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? (value[0] as unknown) : value;
    if (typeof first === 'string') out[name] = first;
  }
  return out;
}

/** `<option>`s with the current one selected. */
export function options(values: readonly { value: string; label?: string }[], current: string | undefined): SafeHtml {
  return html`${values.map((o) => html`<option value="${o.value}"${o.value === (current ?? '') ? html` selected` : ''}>${o.label ?? o.value}</option>`)}`;
}
