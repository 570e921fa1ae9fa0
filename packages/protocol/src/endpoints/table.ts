/**
 * The README's endpoint table, rendered from the definitions
 * (`npm run docs:endpoints` writes it; a test fails when it is stale).
 */
import { idempotencyWhy, isIdempotent, type EndpointDefinition, type NotificationCause } from './definition.js';
import { ENDPOINT_DEFINITIONS } from './index.js';

export const ENDPOINT_TABLE_START = '<!-- endpoints:start -->';
export const ENDPOINT_TABLE_END = '<!-- endpoints:end -->';

/** A markdown table: path, client method, idempotency, notifications, summary; one row per endpoint. */
export function endpointTableMarkdown(): string {
  const rows = Object.values(ENDPOINT_DEFINITIONS).map((definition) => [
    pathCell(definition),
    `\`${definition.method}\``,
    idempotencyCell(definition),
    definition.notifications.map(notificationCell).join(', ') || '—',
    definition.summary,
  ]);
  return [
    '| path (`/ams/api/v1/…`) | client method | idempotent | notifications | what it does |',
    '|---|---|---|---|---|',
    ...rows.map((cells) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`),
  ].join('\n');
}

/** `markdown` with the text between the endpoint-table markers replaced by the current table. */
export function withEndpointTable(markdown: string): string {
  const start = markdown.indexOf(ENDPOINT_TABLE_START);
  const end = markdown.indexOf(ENDPOINT_TABLE_END);
  if (start < 0 || end < start) throw new Error(`No ${ENDPOINT_TABLE_START} … ${ENDPOINT_TABLE_END} section`);
  return `${markdown.slice(0, start + ENDPOINT_TABLE_START.length)}\n${endpointTableMarkdown()}\n${markdown.slice(end)}`;
}

function pathCell(definition: EndpointDefinition): string {
  if (definition.requestPath !== undefined) return `\`${definition.requestPath}\``;
  const sent = definition.sdkRequestPaths ?? [];
  return sent.length === 0 ? `\`${definition.path}\`` : `\`${definition.path}\` (also ${sent.map((path) => `\`${path}\``).join(', ')}, as the SDKs send it)`;
}

function idempotencyCell(definition: EndpointDefinition): string {
  const { idempotency } = definition;
  const how = idempotency.kind === 'keyed' ? `keyed by \`${idempotency.requestIdField}\`` : idempotencyWhy(idempotency);
  return `${isIdempotent(definition) ? 'yes' : 'no'}: ${how}`;
}

function notificationCell(cause: NotificationCause): string {
  return cause.types === undefined ? cause.kind : `${cause.kind} (${cause.types.map((type) => `\`${type}\``).join(', ')})`;
}
