/** The dashboard's page frame: navigation, notices, inline CSS (nothing from another host: the API reference's Swagger UI files come from the gateway), narrow-screen friendly. */
import { html, raw, type SafeHtml } from '../../web/html.js';
import type { PagePolicy } from '../../web/page-security.js';

export type DashboardSection = 'overview' | 'clients' | 'payments' | 'requests' | 'notifications' | 'scenarios' | 'clock' | 'api' | 'risk' | 'resources';

const SECTIONS: ReadonlyArray<{ id: DashboardSection; label: string; path: string; sandboxOnly: boolean }> = [
  { id: 'overview', label: 'Overview', path: '/dashboard', sandboxOnly: false },
  { id: 'clients', label: 'Clients', path: '/dashboard/clients', sandboxOnly: false },
  { id: 'payments', label: 'Payments', path: '/dashboard/payments', sandboxOnly: false },
  { id: 'requests', label: 'Request log', path: '/dashboard/requests', sandboxOnly: true },
  { id: 'notifications', label: 'Notifications', path: '/dashboard/notifications', sandboxOnly: false },
  { id: 'risk', label: 'Risk', path: '/dashboard/risk', sandboxOnly: false },
  { id: 'resources', label: 'Resources', path: '/dashboard/resources', sandboxOnly: false },
  { id: 'scenarios', label: 'Scenarios', path: '/dashboard/scenarios', sandboxOnly: true },
  { id: 'clock', label: 'Clock', path: '/dashboard/clock', sandboxOnly: true },
  { id: 'api', label: 'API reference', path: '/dashboard/api', sandboxOnly: false },
];

const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8;line-height:1.45}
header{background:#14213d;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
header .brand{font-weight:700;margin-right:.5rem}
header .mode{font-size:.8rem;background:#fca311;color:#14213d;border-radius:.3rem;padding:.05rem .4rem}
nav{display:flex;flex-wrap:wrap;gap:.2rem .8rem}
nav a{color:#dfe6f3;text-decoration:none}
nav a[aria-current=page]{color:#fff;font-weight:600;border-bottom:2px solid #fca311}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.4rem 0 1rem}
h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
section.card{background:#fff;border:1px solid #dde1e7;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e6e9ee;vertical-align:top}
th{font-weight:600;color:#4a5568;white-space:nowrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
pre{background:#f0f2f5;padding:.6rem;border-radius:.3rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.notice{background:#e8f4ea;border:1px solid #9fd0a9;padding:.5rem .8rem;border-radius:.3rem;margin-bottom:1rem}
.error{background:#fdecea;border:1px solid #f1a9a0;padding:.5rem .8rem;border-radius:.3rem;margin-bottom:1rem}
.status-S,.status-SUCCESS,.status-DELIVERED{color:#1e7b34;font-weight:600}
.status-F,.status-FAIL,.status-FAILED{color:#b42318;font-weight:600}
.status-U,.status-PROCESSING,.status-PENDING{color:#9a6700;font-weight:600}
form.inline{display:inline}
label{display:block;margin:.4rem 0 .15rem;font-weight:600;font-size:.9rem}
input,select,textarea{font:inherit;padding:.35rem .45rem;border:1px solid #c5ccd6;border-radius:.3rem;max-width:100%}
textarea{width:100%;min-height:6rem;font-family:ui-monospace,monospace;font-size:.85rem}
button{font:inherit;padding:.35rem .8rem;border-radius:.3rem;border:1px solid #14213d;background:#14213d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#14213d}
button.danger{background:#b42318;border-color:#b42318}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.filters label{margin:0}
.muted{color:#6b7280;font-size:.85rem}
.secret{background:#fff8e1;border:1px solid #f2c94c;padding:.6rem;border-radius:.3rem}
`;

export interface PageContent {
  title: string;
  section: DashboardSection;
  body: SafeHtml;
  notice?: string;
  error?: string;
  /** Code written by the dashboard itself, run with the response's CSP nonce. */
  scripts?: readonly string[];
  /** Same-origin script files the dashboard serves, loaded with the response's nonce before `scripts` run. */
  scriptFiles?: readonly string[];
  /** Same-origin stylesheets the dashboard serves, loaded with the response's nonce after the frame's own CSS. */
  stylesheets?: readonly string[];
  /** CSS of this page alone, after `stylesheets` (the dashboard's own, like `scripts`). */
  styles?: string;
  /** What this page needs beyond the dashboard's content security policy. */
  policy?: Pick<PagePolicy, 'dataImages'>;
}

export interface PageFrame {
  sandbox: boolean;
  /** Shown with a logout button when the dashboard needs the admin token. */
  loggedIn: boolean;
  csrfToken: string;
  nonce: string;
}

export function renderPage(content: PageContent, frame: PageFrame): string {
  const nav = SECTIONS.filter((s) => frame.sandbox || !s.sandboxOnly).map(
    (s) => html`<a href="${s.path}"${s.id === content.section ? html` aria-current="page"` : ''}>${s.label}</a>`,
  );
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${content.title} · amsgate dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${frame.nonce}">${raw(CSS)}</style>
${(content.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${href}" nonce="${frame.nonce}">`)}
${content.styles ? html`<style nonce="${frame.nonce}">${rawStyle(content.styles)}</style>` : ''}
</head><body>
<header><span class="brand">amsgate</span><span class="mode">${frame.sandbox ? 'sandbox' : 'gateway'}</span><nav>${nav}</nav>
${frame.loggedIn ? html`<form class="inline" method="post" action="/dashboard/logout">${csrfField(frame.csrfToken)}<button class="secondary" id="logout">Log out</button></form>` : ''}
</header>
<main>
<h1>${content.title}</h1>
${content.notice ? html`<p class="notice" id="notice" role="status">${content.notice}</p>` : ''}
${content.error ? html`<p class="error" id="error" role="alert">${content.error}</p>` : ''}
${content.body}
</main>
${(content.scriptFiles ?? []).map((src) => html`<script src="${src}" nonce="${frame.nonce}"></script>`)}
${(content.scripts ?? []).map((code) => html`<script nonce="${frame.nonce}">${rawScript(code)}</script>`)}
</body></html>`;
  return page.text;
}

/** Scripts are the dashboard's own code; only `</` is neutralised so one cannot close the element early. */
function rawScript(code: string): SafeHtml {
  return raw(code.replace(/<\//g, '<\\/'));
}

/** Styles are the dashboard's own too; likewise only `</` is neutralised. */
function rawStyle(css: string): SafeHtml {
  return raw(css.replace(/<\//g, '<\\/'));
}

/** A hidden CSRF field for a form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
