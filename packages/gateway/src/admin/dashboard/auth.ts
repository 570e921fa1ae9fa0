/**
 * Who may use the dashboard, and CSRF protection for its forms.
 *
 * - Open (sandbox mode on a loopback bind): no login, but a session cookie
 *   is still issued on the first visit, because a web page the developer
 *   opens elsewhere could otherwise post forms to 127.0.0.1.
 * - Otherwise: the admin token, entered once on /dashboard/login, buys a
 *   session cookie.
 *
 * Sessions are stateless, `<issuedAt>.<hmac>`, keyed by a secret derived
 * from the admin token (so every gateway process behind one database and
 * one token accepts them) or, when open, a per-process random secret.
 * Every state-changing form carries `_csrf` = HMAC(session), compared in
 * constant time, and a cross-site `Sec-Fetch-Site` or foreign `Origin` is
 * refused before that (the same check as the buyer pages').
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { crossSiteProblem } from '../../web/capability-csrf.js';
import { equalSecret } from '../../web/equal-secret.js';

const SESSION_TTL_MS = 12 * 3_600_000;
/** Without an admin token: one key for every listener of this process (HTTP and HTTPS accept each other's sessions). */
const PROCESS_SESSION_KEY = randomBytes(32);

export interface DashboardAuthOptions {
  /** No admin token needed (sandbox mode on a loopback bind). */
  open: boolean;
  adminToken?: string;
  now: () => number;
  /**
   * The HTTPS listener. Its cookie is `Secure` and named `__Secure-…`: a
   * browser shares cookies across ports, and a Secure cookie of the same name
   * would shadow the HTTP listener's, which could then never set its own.
   */
  secure: boolean;
}

export class DashboardAuth {
  private readonly key: Buffer;
  private readonly cookieName: string;

  constructor(private readonly options: DashboardAuthOptions) {
    this.key = options.adminToken
      ? createHash('sha256').update('amsgate dashboard session\0').update(options.adminToken).digest()
      : PROCESS_SESSION_KEY;
    this.cookieName = options.secure ? '__Secure-amsgate_dashboard' : 'amsgate_dashboard';
  }

  get open(): boolean {
    return this.options.open;
  }

  /** Whether a token typed on the login page is the admin token (constant time). */
  tokenMatches(candidate: string): boolean {
    const token = this.options.adminToken;
    return token !== undefined && token !== '' && equalSecret(candidate, token);
  }

  newSession(): string {
    const issuedAt = String(this.options.now());
    return `${issuedAt}.${this.mac(`session\0${issuedAt}`)}`;
  }

  /** The request's valid session, if any. */
  session(request: FastifyRequest): string | undefined {
    const value = readCookie(request.headers.cookie, this.cookieName);
    if (value === undefined) return undefined;
    const dot = value.indexOf('.');
    if (dot < 1) return undefined;
    const issuedAt = Number(value.slice(0, dot));
    if (!Number.isSafeInteger(issuedAt) || this.options.now() - issuedAt > SESSION_TTL_MS) return undefined;
    return equalSecret(value.slice(dot + 1), this.mac(`session\0${value.slice(0, dot)}`)) ? value : undefined;
  }

  setSessionCookie(reply: FastifyReply, session: string): void {
    void reply.header('set-cookie', `${this.cookieName}=${session}; ${this.cookieAttributes(SESSION_TTL_MS / 1000)}`);
  }

  clearSessionCookie(reply: FastifyReply): void {
    void reply.header('set-cookie', `${this.cookieName}=; ${this.cookieAttributes(0)}`);
  }

  private cookieAttributes(maxAgeSeconds: number): string {
    return `Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${this.options.secure ? '; Secure' : ''}`;
  }

  csrfToken(session: string): string {
    return this.mac(`csrf\0${session}`);
  }

  /** Why a state-changing request must be refused, or undefined when it may go on. */
  csrfProblem(request: FastifyRequest, session: string, submittedToken: string | null): string | undefined {
    const crossSite = crossSiteProblem(request.headers);
    if (crossSite !== undefined) return `cross-site request refused (${crossSite})`;
    if (submittedToken === null || !equalSecret(submittedToken, this.csrfToken(session))) return 'missing or wrong CSRF token (reload the page and try again)';
    return undefined;
  }

  /** Notices travel in the redirect's query string; the tag stops a crafted link from putting words in the dashboard's mouth. */
  flashTag(text: string): string {
    return this.mac(`flash\0${text}`).slice(0, 16);
  }

  flashTagMatches(text: string, tag: string): boolean {
    return equalSecret(tag, this.flashTag(text));
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
