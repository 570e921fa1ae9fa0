/**
 * The page shell every checkout page shares: one column that fits a 360 px
 * phone, inline CSS (the pages make no external request), and the headers
 * that go with it (`../page-security.ts`). Inline style and script carry the
 * response's CSP nonce.
 */
import { html, raw, type SafeHtml } from '../../../web/html.js';

export interface PageShell {
  title: string;
  /** CSP nonce of this response (style and script elements). */
  nonce: string;
  body: SafeHtml;
  /** Inline script; pages must work without it. */
  script?: string;
}

const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330;line-height:1.45}
main{max-width:30rem;margin:0 auto;padding:1rem}
.sandbox{background:#fff4d6;color:#6b4e00;font-size:.8rem;padding:.35rem 1rem;text-align:center}
.card{background:#fff;border-radius:.75rem;padding:1.1rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
h1{font-size:1.25rem;margin:.2rem 0 .6rem}
.brand{font-size:.85rem;color:#5a6275;text-transform:uppercase;letter-spacing:.04em}
.amount{font-size:1.9rem;font-weight:650;margin:.2rem 0 .8rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0;font-size:.9rem}
dt{color:#5a6275}
dd{margin:0;min-width:0;overflow-wrap:anywhere}
code{overflow-wrap:anywhere;font-size:.85em}
label{display:block;font-size:.85rem;color:#3a4152;margin:.7rem 0 .25rem}
input,select{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #c5cad6;border-radius:.45rem;background:#fff}
input[aria-invalid=true]{border-color:#c0262d}
.row{display:flex;gap:.7rem}
.row>div{flex:1;min-width:0}
button{font:inherit;border-radius:.45rem;padding:.65rem 1rem;border:1px solid #c5cad6;background:#fff;cursor:pointer;max-width:100%}
button.primary{width:100%;background:#1677ff;border-color:#1677ff;color:#fff;font-weight:600;margin-top:1rem}
button.quiet{border:0;background:none;color:#1d5bd6;text-decoration:underline;padding:.6rem 0}
fieldset{border:1px solid #e1e4ea;border-radius:.5rem;margin:1rem 0 0;padding:.3rem .8rem .8rem}
legend{font-size:.85rem;color:#5a6275;padding:0 .3rem}
.decline-row{display:flex;flex-wrap:wrap;gap:.5rem}
.decline-row select{flex:1 1 14rem;min-width:0}
.field-error{color:#c0262d;font-size:.85rem;margin:.25rem 0 0}
.notice{background:#eef4ff;border-radius:.5rem;padding:.6rem .8rem}
.status{font-weight:650}
.status-SUCCESS{color:#137333}.status-FAIL,.status-CANCELLED{color:#c0262d}.status-PROCESSING{color:#8a5a00}
.hint{font-size:.82rem;color:#5a6275}
#qr{max-width:17rem;margin:0 auto}
#qr svg{display:block;width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.82rem}
td,th{text-align:left;padding:.2rem .3rem;border-bottom:1px solid #eceef2}
a{color:#1d5bd6}
`;

export function renderPage(page: PageShell): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style nonce="${page.nonce}">${raw(CSS)}</style>
</head><body>
<div class="sandbox">amsgate sandbox: no real money moves</div>
<main>
${page.body}
</main>
${page.script === undefined ? '' : html`<script nonce="${page.nonce}">${raw(page.script)}</script>`}
</body></html>`.text;
}
