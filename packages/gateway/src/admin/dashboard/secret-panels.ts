/**
 * Secrets the dashboard shows exactly once — a generated merchant private
 * key, a new agent token — in the response to the POST that made them.
 * They are never stored, logged, redirected through or put in a URL; the
 * frame sends every page with `Cache-Control: no-store`.
 */
import type { KeyObject } from 'node:crypto';
import { exportPrivateKeyBase64, exportPrivateKeyPkcs1Pem } from '@amsgate/protocol';
import { html, type SafeHtml } from '../../web/html.js';

/** Copy buttons (`data-copy` = the id of the textarea to copy). Run with the page's CSP nonce. */
export const COPY_BUTTONS_SCRIPT = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    try { await navigator.clipboard.writeText(field.value); } catch { document.execCommand('copy'); }
    button.textContent = 'Copied';
  });
}`;

function secretField(id: string, label: SafeHtml, value: string, rows: number): SafeHtml {
  return html`<label for="${id}">${label}</label>
<textarea id="${id}" readonly rows="${rows}" spellcheck="false" autocomplete="off">${value}</textarea>
<p><button type="button" class="secondary" data-copy="${id}">Copy</button></p>`;
}

/** The private half of a pair the gateway just generated, in the forms the Antom SDKs take. */
export function privateKeyPanel(privateKey: KeyObject, keyVersion: number): SafeHtml {
  return html`<section class="card secret" id="new-private-key">
<h2>Private key of key version <span id="key-version">${keyVersion}</span>: copy it now</h2>
<p><strong>This is the only time it is shown. amsgate does not store the private key</strong>; leaving or reloading this page loses it. If it is lost, generate a new key pair and revoke this version.</p>
<p>Sign requests with it and <code>keyVersion=${keyVersion}</code> in the signature header (or leave keyVersion out: the newest live version is used).</p>
${secretField('private-key-pkcs8', html`PKCS#8, base64 (Java, .NET, Go and PHP SDKs: <code>merchantPrivateKey</code>)`, exportPrivateKeyBase64(privateKey), 8)}
${secretField('private-key-pkcs1', html`PKCS#1 PEM (Python SDK)`, exportPrivateKeyPkcs1Pem(privateKey), 10)}
</section>`;
}

export function agentTokenPanel(token: string): SafeHtml {
  return html`<section class="card secret" id="new-agent-token">
<h2>New agent token: copy it now</h2>
<p><strong>This is the only time it is shown</strong>: amsgate stores only its SHA-256. Send it in the <code>agent-token</code> header of requests made for this client.</p>
${secretField('agent-token', html`Agent token`, token, 2)}
</section>`;
}
