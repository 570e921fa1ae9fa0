/**
 * The sandbox request log (registered in sandbox mode only):
 * /dashboard/requests lists the newest requests and follows new ones by
 * polling `?fragment=1` (just the table rows) every two seconds;
 * /dashboard/requests/{id} shows one request, its answer and, for a
 * signature failure, the signature debugger: the exact content the gateway
 * verified, its SHA-256, and what the signature itself proves went wrong
 * (`signature-causes.ts`).
 */
import { ENDPOINTS } from '@amsgate/protocol';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';
import { options, prettyBody, queryOf, queryString, statusBadge, summaryRow, timeCell, visibleLineBreaks } from './format.js';
import { sendNotFound } from './not-found.js';
import type { BodyView, Diagnosis, RequestDetail, RequestSummary } from '../../sandbox/request-log/request-log.js';
import { parseRequestLogQuery, RESULT_STATUSES } from '../../sandbox/request-log/request-log-query.js';
import type { SignatureCauseCode } from '../../sandbox/request-log/signature-causes.js';

const LIST_LIMIT = 100;
const POLL_INTERVAL_MS = 2000;

export function registerRequestLogPages(scope: FastifyInstance, context: DashboardContext): void {
  const log = context.services.requestLog;
  if (!context.sandbox || !log) return;

  scope.get('/requests', async (request, reply) => {
    const query = queryOf(request.query);
    const parsed = parseRequestLogQuery(query, { default: LIST_LIMIT, max: log.capacity });
    // The filters as the form shows them and the Refresh link keeps them.
    const filters = {
      clientId: query.clientId?.trim() || undefined,
      endpoint: query.endpoint?.trim() || undefined,
      status: query.status?.trim().toUpperCase() || undefined,
      failures: parsed.ok ? (parsed.filter.failuresOnly ? '1' : undefined) : query.failures,
      limit: query.limit?.trim() || undefined,
    };
    if (query.fragment === '1') {
      // Rows only, for the page's own polling script (never rendered as a page of its own).
      void reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'").header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
      if (!parsed.ok) return reply.status(400).type('text/plain; charset=utf-8').send(parsed.error);
      return reply.type('text/html; charset=utf-8').send(rows(log.list(parsed.filter)).text);
    }
    const clients = await context.services.clients.list();
    const form = html`<section class="card"><form class="filters" method="get" action="/dashboard/requests" id="request-filters">
<div><label for="r-client">Client id</label><input id="r-client" name="clientId" list="client-ids" value="${filters.clientId ?? ''}"><datalist id="client-ids">${clients.map((c) => html`<option value="${c.clientId}">`)}</datalist></div>
<div><label for="r-endpoint">Endpoint</label><input id="r-endpoint" name="endpoint" list="endpoints" value="${filters.endpoint ?? ''}" placeholder="payments/pay"><datalist id="endpoints">${Object.keys(ENDPOINTS).map((e) => html`<option value="${e}">`)}</datalist></div>
<div><label for="r-status">Result status</label><select id="r-status" name="status">${options([{ value: '', label: 'Any' }, ...RESULT_STATUSES.map((s) => ({ value: s }))], filters.status)}</select></div>
<div><label for="r-failures"><input type="checkbox" id="r-failures" name="failures" value="1"${filters.failures === '1' ? html` checked` : ''}> Only header and signature failures</label></div>
<div><button id="apply-filters">Filter</button> <a href="/dashboard/requests">Clear</a></div></form></section>`;
    if (!parsed.ok) return context.page(request, reply, { title: 'Request log', section: 'requests', error: parsed.error, body: form }, 400);
    const body = html`${form}<section class="card">
<p><a href="/dashboard/requests${queryString(filters)}" id="refresh">Refresh</a>
<span id="live-controls" hidden> · <label><input type="checkbox" id="live" checked> Follow new requests</label> <span class="muted" id="live-status" role="status"></span></span></p>
<div class="table-wrap"><table id="requests-table">
<thead><tr><th>Time (UTC)</th><th>Id</th><th>Client</th><th>Request</th><th>Result</th><th>Duration</th><th>Failure</th></tr></thead>
<tbody>${rows(log.list(parsed.filter))}</tbody></table></div>
<p class="muted">The newest ${parsed.filter.limit} matching requests; the log keeps the last ${log.capacity} AMS requests of every client, in this process only.</p></section>`;
    return context.page(request, reply, { title: 'Request log', section: 'requests', body, scripts: [FOLLOW_SCRIPT] });
  });

  scope.get<{ Params: { id: string } }>('/requests/:id', async (request, reply) => {
    const entry = log.get(request.params.id);
    if (!entry) {
      return sendNotFound(context, request, reply, {
        title: 'Request not found',
        section: 'requests',
        message: html`No request <code>${request.params.id}</code> in the log (it keeps the last ${log.capacity}).`,
        back: { href: '/dashboard/requests', label: 'Request log' },
      });
    }
    return context.page(request, reply, { title: `Request ${entry.id}`, section: 'requests', body: detail(entry) });
  });
}

function rows(requests: readonly RequestSummary[]): SafeHtml {
  if (requests.length === 0) return html`<tr class="empty"><td colspan="7" class="muted">No request matches yet.</td></tr>`;
  return html`${requests.map((r) => html`<tr data-request-id="${r.id}">
<td>${timeCell(Date.parse(r.time))}</td><td><a href="/dashboard/requests/${r.id}">${r.id}</a></td><td><code>${r.clientId ?? '—'}</code></td>
<td>${r.method} <code>${r.path}</code></td><td>${statusBadge(r.resultStatus)} ${r.resultCode}</td><td>${r.durationMs} ms</td>
<td>${r.failure ?? ''}</td></tr>`)}`;
}

function detail(entry: RequestDetail): SafeHtml {
  // What the request did not send shows as absent.
  const row = (label: string, value: SafeHtml | string | null) => summaryRow(label, value, 'absent');
  const code = (value: string | null) => (value === null ? null : html`<code>${value}</code>`);
  return html`<section class="card"><div class="table-wrap"><table id="request-summary"><tbody>
${row('Time', timeCell(Date.parse(entry.time)))}
${row('Request', html`${entry.method} <code>${entry.path}</code>`)}
${row('Endpoint', entry.endpoint)}
${row('Result', html`${statusBadge(entry.resultStatus)} <code>${entry.resultCode}</code> ${entry.resultMessage}`)}
${row('Duration', `${entry.durationMs} ms`)}
</tbody></table></div></section>
${entry.diagnosis ? signatureDebugger(entry.diagnosis) : ''}
${entry.diagnosis ? diagnosisSection(entry.diagnosis) : ''}
<section class="card"><h2>Request headers</h2><div class="table-wrap"><table id="request-headers"><tbody>
${row('client-id', code(entry.clientId))}
${row('request-time', code(entry.requestTime))}
${row('signature', code(entry.request.signatureHeader))}
${row('content-type', code(entry.request.contentType))}
${row('agent-token', code(entry.request.agentToken))}
${row('user-agent', code(entry.request.userAgent))}
</tbody></table></div>
<p class="muted">The log keeps these headers only: the signature value cut to its first characters, the agent token masked.</p>
<h2>Request body</h2>${bodyBlock(entry.request.body, 'request-body')}</section>
<section class="card"><h2>Answer</h2><div class="table-wrap"><table id="response-headers"><tbody>
${Object.entries(entry.response.headers).map(([name, value]) => row(name, html`<code>${value}</code>`))}
</tbody></table></div>${bodyBlock(entry.response.body, 'response-body')}</section>`;
}

function bodyBlock(body: BodyView, id: string): SafeHtml {
  if (body.bytes === 0) return html`<p class="muted" id="${id}">Empty body.</p>`;
  return html`<pre id="${id}">${body.truncated ? body.text : prettyBody(body.text)}</pre>${body.truncated ? html`<p class="muted">Only the first ${Buffer.byteLength(body.text)} of ${body.bytes} bytes are kept.</p>` : ''}`;
}

function diagnosisSection(diagnosis: Diagnosis): SafeHtml {
  return html`<section class="card" id="diagnosis"><h2>Diagnosis</h2>
<p>Failed check: <strong>${diagnosis.stage}</strong> (<code>${diagnosis.reason}</code>): ${diagnosis.message}</p>
${diagnosis.checked.length > 0 ? html`<h3>Checked</h3><ul id="checked">${diagnosis.checked.map((c) => html`<li><code>${c}</code></li>`)}</ul>` : ''}
${diagnosis.hints.length > 0 ? html`<h3>Hints</h3><ul id="hints">${diagnosis.hints.map((h) => html`<li>${h}</li>`)}</ul>` : ''}</section>`;
}

function signatureDebugger(diagnosis: Diagnosis): SafeHtml {
  if (!diagnosis.content && diagnosis.causes.length === 0) return html``;
  const content = diagnosis.content;
  const signed = diagnosis.causes.find((c) => c.signedContent !== undefined)?.signedContent;
  const keyVersion = html`<p id="key-version">Header keyVersion: <code>${diagnosis.headerKeyVersion === undefined ? 'not read' : String(diagnosis.headerKeyVersion)}</code>;
verified with key version: <code>${diagnosis.keyVersionUsed === undefined ? 'none (no live key with that version)' : String(diagnosis.keyVersionUsed)}</code>;
live key versions of the client: <code>${diagnosis.liveKeyVersions?.join(', ') || 'none'}</code>.</p>`;
  return html`<section class="card" id="signature-debugger"><h2>Signature debugger</h2>
<h3>Likely cause</h3><div id="likely-cause">${diagnosis.causes.length > 0
    ? html`<ol>${diagnosis.causes.map((c) => html`<li data-cause="${c.code}"><p><strong>${CAUSE_TITLES[c.code]}.</strong> ${c.summary}</p><p>Fix: ${c.fix}</p></li>`)}</ol>`
    : html`<p>No single cause could be proven from the signature. ${diagnosis.hints.join(' ')}</p>`}</div>
${diagnosis.headerKeyVersion !== undefined ? keyVersion : ''}
${content ? html`<h3>What the gateway verified</h3>
<p class="muted">The exact content expected to be signed: <code>POST</code>, one space, the path as requested, a line feed (shown as <code>\\n</code>), client-id, <code>.</code>, request-time, <code>.</code>, the body byte for byte. No trailing newline.</p>
<pre id="expected-content">${visibleLineBreaks(JSON.parse(content.escaped) as string)}</pre>
${content.truncated ? html`<p class="muted">The body is cut here; the length and SHA-256 are of the whole content.</p>` : ''}
${content.sha256 !== null ? html`<p>SHA-256: <code id="expected-sha256">${content.sha256}</code> (${content.bytes} bytes)</p>` : html`<p>SHA-256: not shown: the body holds card data, shown masked (${content.bytes} bytes as signed).</p>`}
<details><summary>As a JSON string literal (copy exactly)</summary><pre id="expected-content-literal">${content.escaped}</pre></details>` : ''}
${signed ? html`<h3>What the client signed</h3><pre id="signed-content">${visibleLineBreaks(JSON.parse(signed) as string)}</pre>` : ''}
${checklist()}</section>`;
}

/** A title for every cause `signature-causes.ts` can prove: a new cause fails type-checking until it has one. */
const CAUSE_TITLES: Record<SignatureCauseCode, string> = {
  WRONG_PATH: 'Wrong URI or sandbox path',
  CLIENT_ID: 'Wrong client id',
  TIME_ALTERED: 'request-time altered',
  BODY_RESERIALISED: 'Body re-serialised after signing',
  KEY_VERSION: 'Key version mismatch',
  WRONG_KEY_PAIR: 'Public key of the wrong pair',
  DIGEST_ALGORITHM: 'Wrong digest algorithm',
  PSS_PADDING: 'RSA-PSS instead of PKCS#1 v1.5',
  SIGNATURE_ENCODING: 'Signature value not URL-encoded',
  OTHER_CONTENT: 'Other content signed',
};

function checklist(): SafeHtml {
  return html`<details id="signature-checklist"><summary>Every usual cause and its fix</summary><ul>
<li><strong>Wrong URI or sandbox path</strong>: sign <code>POST</code> and the path the request is sent to (<code>/ams/sandbox/api/…</code> or <code>/ams/api/…</code>), without scheme and host.</li>
<li><strong>Wrong client id</strong>: the client-id header, the id in the content and the key must all be of one client.</li>
<li><strong>request-time altered</strong>: read the time once; the header must carry the exact string signed.</li>
<li><strong>Body re-serialised</strong>: sign the exact bytes sent; serialise once, send that string.</li>
<li><strong>Key version mismatch</strong>: <code>keyVersion</code> must name the registered public key that pairs with your private key.</li>
<li><strong>Public key of the wrong pair</strong>: register the public half of the private key you sign with (<code>openssl pkey -in private.pem -pubout</code>).</li>
<li><strong>PKCS#1 / PKCS#8 mix-up</strong>: Java, Go, .NET and Node load a PKCS#8 private key (<code>BEGIN PRIVATE KEY</code>), the Python SDK a PKCS#1 body (<code>BEGIN RSA PRIVATE KEY</code>); convert the same key (<code>openssl pkcs8 -topk8 -nocrypt</code> or <code>openssl rsa -traditional</code>), never generate a new pair for one SDK.</li>
<li><strong>Signature scheme</strong>: SHA256withRSA with PKCS#1 v1.5 padding, not RSA-PSS, not SHA-1.</li>
<li><strong>Unencoded <code>+</code></strong>: URL-encode the base64 signature (<code>+</code> → <code>%2B</code>, <code>/</code> → <code>%2F</code>, <code>=</code> → <code>%3D</code>), or a <code>+</code> may arrive as a space.</li>
</ul></details>`;
}

/**
 * Follows new requests: fetches this page's rows (`fragment=1`, the same
 * filters) every two seconds while the tab is visible and the box is
 * ticked. Without JavaScript the Refresh link does the same by hand.
 */
const FOLLOW_SCRIPT = `(() => {
  const table = document.getElementById('requests-table');
  const body = table && table.tBodies[0];
  const live = document.getElementById('live');
  const status = document.getElementById('live-status');
  if (!body || !live || !status) return;
  document.getElementById('live-controls').hidden = false;
  const url = new URL(window.location.href);
  url.searchParams.set('fragment', '1');
  let shown = body.innerHTML;
  let busy = false;
  const poll = async () => {
    if (busy || !live.checked || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const rows = await response.text();
      if (rows !== shown) {
        body.innerHTML = rows;
        shown = rows;
      }
      status.textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      status.textContent = 'could not refresh (' + error.message + ')';
    } finally {
      busy = false;
    }
  };
  setInterval(poll, ${POLL_INTERVAL_MS});
})();`;

