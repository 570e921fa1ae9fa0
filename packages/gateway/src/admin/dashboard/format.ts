/** Small renderers the dashboard's pages share. */
import { html, type SafeHtml } from '../../web/html.js';
import { isoTime } from '../../iso-time.js';

/** A UTC instant, readable and machine-readable. */
export function timeCell(ms: number | null): SafeHtml {
  if (ms === null) return html`<span class="muted">—</span>`;
  const iso = isoTime(ms);
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace('Z', '')}</time>`;
}

/** A `<tr>` of a label and its value in a summary table; a missing value shows as `absent` (muted). */
export function summaryRow(label: string, value: SafeHtml | string | null, absent = '—'): SafeHtml {
  return html`<tr><th>${label}</th><td>${value ?? html`<span class="muted">${absent}</span>`}</td></tr>`;
}

/** A status in the layout's colour (`status-S`, `status-FAILED`, …); anything unknown is shown plain. */
export function statusBadge(status: string | null): SafeHtml {
  if (status === null) return html``;
  return /^[A-Z_]{1,32}$/.test(status) ? html`<span class="status-${status}">${status}</span>` : html`${status}`;
}

/** `5400000` → `1h 30m`; below a second, milliseconds; otherwise whole seconds. */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.join(' ');
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

/** The query of a GET request as plain strings: the server's parser (`firstValueQuery`) keeps one value per name, the first. */
export function queryOf(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) if (typeof value === 'string') out[name] = value;
  return out;
}

/** `<option>`s with the current one selected. */
export function options(values: readonly { value: string; label?: string }[], current: string | undefined): SafeHtml {
  return html`${values.map((o) => html`<option value="${o.value}"${o.value === (current ?? '') ? html` selected` : ''}>${o.label ?? o.value}</option>`)}`;
}
