/**
 * /dashboard/scenarios (sandbox mode only): Antom's error-scenario tool.
 * Rules in force, a form to add one (for 30–120 minutes like Antom, a
 * custom duration, or the next K calls), remove one or all.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENDPOINT_PATHS, RESULT_CODES, type ResultCode } from '@amsgate/protocol';
import { ScenarioRuleError, type SandboxScenarios, type ScenarioView } from '../../sandbox/scenarios.js';
import { clientPath } from './client-views.js';
import { options } from './format.js';
import type { DashboardContext } from './dashboard.js';
import { html, type SafeHtml } from '../../web/html.js';

/** The "how long" choices: Antom's four durations, a custom duration, or a number of calls. */
const LIMITS = [
  { value: '30m', label: 'for 30 minutes' },
  { value: '60m', label: 'for 60 minutes' },
  { value: '90m', label: 'for 90 minutes' },
  { value: '120m', label: 'for 120 minutes' },
  { value: 'custom', label: 'for a custom duration' },
  { value: 'calls', label: 'for the next K calls' },
] as const;

/** The form as submitted (or its defaults), so a refused rule is shown again as typed. */
interface RuleForm {
  clientId: string;
  endpoint: string;
  resultCode: string;
  limit: string;
  customFor: string;
  times: string;
  match: string;
}

const EMPTY_FORM: RuleForm = { clientId: '', endpoint: 'payments/pay', resultCode: 'USER_BALANCE_NOT_ENOUGH', limit: '30m', customFor: '', times: '1', match: '' };

const SIMULATABLE_CODES = (Object.keys(RESULT_CODES) as ResultCode[]).filter((code) => RESULT_CODES[code].status !== 'S').sort();

export function registerScenarioPages(scope: FastifyInstance, context: DashboardContext): void {
  const scenarios = context.services.scenarios;
  if (!context.sandbox || !scenarios) return;

  scope.get('/scenarios', async (request, reply) => sendScenariosPage(context, scenarios, request, reply, EMPTY_FORM));

  scope.post('/scenarios', async (request, reply) => {
    const form = context.form(request);
    const submitted: RuleForm = {
      clientId: form.get('clientId') ?? '',
      endpoint: form.get('endpoint') ?? '',
      resultCode: form.get('resultCode') ?? '',
      limit: form.get('limit') ?? '',
      customFor: form.get('customFor') ?? '',
      times: form.get('times') ?? '',
      match: form.get('match') ?? '',
    };
    try {
      const rule = await scenarios.add(ruleInput(submitted));
      return context.redirect(reply, '/dashboard/scenarios', { notice: `Added scenario ${rule.id}: ${rule.endpoint} answers ${rule.resultCode} for ${rule.clientId}.` });
    } catch (error) {
      if (!(error instanceof ScenarioRuleError)) throw error;
      return sendScenariosPage(context, scenarios, request, reply, submitted, `Rule not added: ${error.message}.`, 400);
    }
  });

  scope.post<{ Params: { id: string } }>('/scenarios/:id/remove', async (request, reply) => {
    const removed = scenarios.remove(request.params.id);
    return context.redirect(reply, '/dashboard/scenarios', removed ? { notice: `Removed scenario ${request.params.id}.` } : { error: `No scenario ${request.params.id} (it may have run out).` });
  });

  scope.post('/scenarios/clear', async (_request, reply) => {
    const removed = scenarios.clear();
    return context.redirect(reply, '/dashboard/scenarios', { notice: `Removed ${removed} scenario rule${removed === 1 ? '' : 's'}.` });
  });
}

/** The control API's rule input from the form; the scenarios service validates it. */
function ruleInput(form: RuleForm): Record<string, unknown> {
  const input: Record<string, unknown> = { clientId: form.clientId, endpoint: form.endpoint, resultCode: form.resultCode, match: matchOf(form.match) };
  if (form.limit === 'calls') input.times = /^\d+$/.test(form.times.trim()) ? Number(form.times.trim()) : Number.NaN;
  else if (form.limit === 'custom') input.for = form.customFor;
  else if (LIMITS.some((limit) => limit.value === form.limit)) input.for = form.limit;
  else throw new ScenarioRuleError(`how long: choose one of ${LIMITS.map((limit) => limit.label).join(', ')}`);
  return input;
}

/** `field=value` lines → the rule's match object. */
function matchOf(text: string): Record<string, string> {
  const match: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 1) throw new ScenarioRuleError(`match: "${line.trim()}" is not field=value (one per line, e.g. paymentMethod.paymentMethodType=ALIPAY_CN)`);
    match[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return match;
}

async function sendScenariosPage(
  context: DashboardContext,
  scenarios: SandboxScenarios,
  request: FastifyRequest,
  reply: FastifyReply,
  form: RuleForm,
  error?: string,
  status = 200,
): Promise<FastifyReply> {
  const rules = scenarios.list();
  const clients = await context.services.clients.list();
  const csrf = context.csrf(request);
  const body = html`<section class="card"><h2>Rules in force</h2>
<p class="muted">While a rule is in force, the endpoint answers the chosen result for that client before doing anything (nothing is recorded). Durations run on the sandbox clock. The oldest matching rule answers.</p>
${rules.length === 0 ? html`<p class="muted" id="no-scenarios">No rules: every request is processed normally.</p>` : html`<div class="table-wrap"><table id="scenario-list">
<thead><tr><th>Rule</th><th>Client</th><th>Endpoint</th><th>Result</th><th>Match</th><th>Until</th><th>Answered</th><th></th></tr></thead>
<tbody>${rules.map((rule) => ruleRow(rule, csrf))}</tbody></table></div>
<form method="post" action="/dashboard/scenarios/clear">${csrf}<p><button class="danger" id="clear-scenarios">Remove all rules</button></p></form>`}
</section>
${addRuleForm(form, clients.map((client) => ({ clientId: client.clientId, name: client.name })), csrf)}`;
  return context.page(request, reply, { title: 'Scenarios', section: 'scenarios', body, error }, status);
}

function ruleRow(rule: ScenarioView, csrf: SafeHtml): SafeHtml {
  const match = Object.entries(rule.match).map(([field, value]) => html`<code>${field}=${value}</code> `);
  const until = rule.remainingCalls !== null ? `${rule.remainingCalls} more call${rule.remainingCalls === 1 ? '' : 's'}` : rule.expiresAt ?? '';
  return html`<tr id="scenario-${rule.id}"><td><code>${rule.id}</code></td><td><a href="${clientPath(rule.clientId)}"><code>${rule.clientId}</code></a></td>
<td><code>${rule.endpoint}</code></td><td><span class="status-${rule.resultStatus}">${rule.resultStatus}</span> ${rule.resultCode}</td>
<td>${match.length > 0 ? match : html`<span class="muted">any request</span>`}</td><td>${until}</td><td>${rule.answered}</td>
<td><form class="inline" method="post" action="/dashboard/scenarios/${encodeURIComponent(rule.id)}/remove">${csrf}<button class="secondary" id="remove-${rule.id}">Remove</button></form></td></tr>`;
}

function addRuleForm(form: RuleForm, clients: Array<{ clientId: string; name: string }>, csrf: SafeHtml): SafeHtml {
  const codesOf = (status: 'F' | 'U') => options(SIMULATABLE_CODES.filter((code) => RESULT_CODES[code].status === status).map((code) => ({ value: code })), form.resultCode);
  return html`<section class="card" id="add-scenario"><h2>Add a rule</h2>
<form method="post" action="/dashboard/scenarios">${csrf}
<label for="scenario-client">Client</label>
<select id="scenario-client" name="clientId">${options(clients.map((client) => ({ value: client.clientId, label: `${client.clientId} (${client.name})` })), form.clientId)}</select>
<label for="scenario-endpoint">Endpoint</label>
<select id="scenario-endpoint" name="endpoint">${options(ENDPOINT_PATHS.map((path) => ({ value: path })), form.endpoint)}</select>
<label for="scenario-result-code">Result code</label>
<select id="scenario-result-code" name="resultCode"><optgroup label="F: failed">${codesOf('F')}</optgroup><optgroup label="U: unknown, retry or inquire">${codesOf('U')}</optgroup></select>
<label for="scenario-limit">How long</label>
<select id="scenario-limit" name="limit">${options(LIMITS, form.limit)}</select>
<div class="filters">
<div><label for="scenario-custom-for">Custom duration</label><input id="scenario-custom-for" name="customFor" placeholder="e.g. 10m, 1h30m" value="${form.customFor}"></div>
<div><label for="scenario-times">K calls</label><input id="scenario-times" name="times" inputmode="numeric" size="6" value="${form.times}"></div>
</div>
<label for="scenario-match">Only requests with (optional, one <code>field=value</code> per line; a dotted path, or a bare name found at any depth)</label>
<textarea id="scenario-match" name="match" spellcheck="false" placeholder="paymentMethod.paymentMethodType=ALIPAY_CN">${form.match}</textarea>
<p><button id="add-scenario-button">Add rule</button></p></form></section>`;
}
