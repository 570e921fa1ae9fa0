/**
 * An in-store order code (merchant-presented QR) as the merchant's screen
 * shows it: the QR image of the code value, the amount, when the code
 * expires (with a countdown; without script the server-rendered time left
 * stays), and a link that "scans" it with the test wallet.
 */
import { renderSVG } from 'uqr';
import { html, raw } from '../../../web/html.js';
import { renderPage } from './layout.js';
import { clockTime, formattedAmount, merchantLabel, noticeBlock, orderSummary, type CheckoutContext } from './payment-parts.js';

export interface OrderCodeView {
  /** `orderCodeForm.codeDetails[].codeValue`, the text the QR encodes. */
  codeValue: string;
  /** `orderCodeForm.expireTime` (ms). */
  expiresAt: number;
  /** The test wallet's page for this code. */
  walletUrl: string;
}

// Counts down from the server's "time left" (the sandbox clock may be ahead of the browser's).
const COUNTDOWN_SCRIPT = `(function(){var el=document.getElementById('countdown');if(!el)return;
var end=Date.now()+Number(el.getAttribute('data-remaining-ms'));
function show(){var left=Math.max(0,end-Date.now()),s=Math.ceil(left/1000);
el.textContent=left>0?Math.floor(s/60)+':'+String(s%60).padStart(2,'0')+' left':'expired (reload to see the status)';
if(left<=0)clearInterval(timer);}
var timer=setInterval(show,1000);show();})();`;

function timeLeft(ms: number): string {
  if (ms <= 0) return 'expired (reload to see the status)';
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} left`;
}

export function renderOrderCodePage(context: CheckoutContext, view: OrderCodeView): string {
  const remaining = view.expiresAt - context.now;
  // uqr's SVG is rects and path data only: the code value is not in it as text.
  const qr = raw(renderSVG(view.codeValue, { ecc: 'M', border: 2 }));
  return renderPage({
    title: `Order code: ${merchantLabel(context)}`,
    nonce: context.nonce,
    script: COUNTDOWN_SCRIPT,
    body: html`<section class="card">
<div class="brand">${merchantLabel(context)}: order code</div>
<h1>Scan to pay</h1>
<p class="amount">${formattedAmount(context.payment)}</p>
${noticeBlock(context.notice)}
<div id="qr" role="img" aria-label="QR code of the order code">${qr}</div>
<p>Expires at <time id="expires-at" datetime="${new Date(view.expiresAt).toISOString()}">${clockTime(view.expiresAt)}</time>:
<span id="countdown" data-remaining-ms="${Math.max(0, remaining)}">${timeLeft(remaining)}</span></p>
<p><a id="scan-with-test-wallet" href="${view.walletUrl}">Scan with the test wallet</a></p>
<p class="hint">Code value (<code>orderCodeForm.codeDetails[0].codeValue</code>): <code id="code-value">${view.codeValue}</code></p>
</section>
<section class="card">
${orderSummary(context)}
</section>`,
  });
}
