/** The dashboard's 404 page: what was not found, and the way back to its list. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import type { DashboardSection } from './layout.js';
import { html, type SafeHtml } from '../../web/html.js';

interface NotFoundPage {
  title: string;
  section: DashboardSection;
  /** One sentence naming what is missing (ids in `<code>`). */
  message: SafeHtml;
  /** The list to go back to. */
  back: { href: string; label: string };
}

export function sendNotFound(context: DashboardContext, request: FastifyRequest, reply: FastifyReply, page: NotFoundPage): FastifyReply {
  const body = html`<section class="card" id="not-found"><p>${page.message}</p><p><a href="${page.back.href}">${page.back.label}</a></p></section>`;
  return context.page(request, reply, { title: page.title, section: page.section, body }, 404);
}
