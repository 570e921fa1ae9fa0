/** A cookie-keeping HTTP client for dashboard tests: GET pages, post their forms with the page's CSRF token. */
export interface PageResult {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

export class DashboardSession {
  private cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<PageResult> {
    return this.send(path, { method: 'GET' });
  }

  /** Posts a form; `_csrf` is taken from `csrfFrom` (a page path, GET first) unless given in `fields`. */
  async post(path: string, fields: Record<string, string>, options: { csrfFrom?: string; headers?: Record<string, string> } = {}): Promise<PageResult> {
    const form = new URLSearchParams(fields);
    if (!form.has('_csrf')) form.set('_csrf', csrfOf((await this.get(options.csrfFrom ?? '/dashboard')).html));
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body: form.toString(),
    });
  }

  /** Follows a 303 from a form post and returns the page it leads to. */
  async follow(result: PageResult): Promise<PageResult> {
    if (result.status !== 303 || result.location === null) throw new Error(`expected a 303, got ${result.status}`);
    return this.get(result.location);
  }

  private async send(path: string, init: RequestInit): Promise<PageResult> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    return { status: response.status, location: response.headers.get('location'), html: await response.text(), headers: response.headers };
  }
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]*)"/.exec(html) ?? /<meta name="csrf-token" content="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Text as the page shows it: the exact inverse of the escapes of src/web/html.ts (`& < > " '`), in one pass. */
export function decodeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}
