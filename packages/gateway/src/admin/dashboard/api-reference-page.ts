/**
 * /dashboard/api: the API reference, Swagger UI (swagger-ui-dist, served by
 * the gateway itself: no CDN, works offline) rendering GET /openapi.json.
 * Try it out is off: the AMS endpoints want signed requests, which the
 * browser cannot make, so every call from the page would fail the
 * signature check.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './dashboard.js';
import { html } from '../../web/html.js';

/** The only files served from swagger-ui-dist, by name, with their types. */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

/** Where swagger-ui-dist is, and its version (in the asset URLs: a browser may keep them for a year and still never run an old copy after an upgrade); looked up on first use, not when the gateway is imported. */
let dist: { directory: string; version: string } | undefined;
function swaggerDist(): { directory: string; version: string } {
  if (dist === undefined) {
    const fromHere = createRequire(import.meta.url);
    const packageFile = fromHere.resolve('swagger-ui-dist/package.json');
    dist = { directory: dirname(packageFile), version: (fromHere(packageFile) as { version: string }).version };
  }
  return dist;
}

const assetPath = (name: string) => `/dashboard/api/assets/${swaggerDist().version}/${name}`;

const BOOT_SCRIPT = `window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  presets: [window.SwaggerUIBundle.presets.apis],
  // Authorize asks for header values for Try it out to send: without it, nothing would use them.
  plugins: [() => ({ components: { authorizeBtn: () => null, authorizeOperationBtn: () => null } })],
  layout: 'BaseLayout',
  supportedSubmitMethods: [],
  validatorUrl: null,
  queryConfigEnabled: false,
  deepLinking: true,
  defaultModelsExpandDepth: 0,
});`;

// The dashboard's element rules (buttons, tables, labels, pre) would restyle Swagger UI's elements: inside it they
// fall back to the browser's defaults, which Swagger UI's stylesheet is written against. `:where` keeps this at
// the weight of an element rule, so every Swagger UI rule (all are `.swagger-ui …`) still wins.
const STYLES = `:where(#swagger-ui) :is(h1,h2,table,th,td,code,pre,label,input,select,textarea,button){all:revert}`;

export function registerApiReferencePage(scope: FastifyInstance, context: DashboardContext): void {
  scope.get('/api', async (request, reply) => {
    const body = html`<section class="card"><p>The AMS endpoints this gateway serves, rendered from its OpenAPI document, <a href="/openapi.json">/openapi.json</a> (import it into your API tools, or print it with <code>npx amsgate openapi</code>).
Requests must be signed with the client's private key, which a browser page does not have, so there is no “Try it out” here: send them with <code>npx amsgate call</code> or an SDK.</p>
<noscript><p class="error">The reference needs JavaScript; <a href="/openapi.json">the document itself</a> does not.</p></noscript></section>
<div id="swagger-ui"></div>`;
    return context.page(request, reply, {
      title: 'API reference',
      section: 'api',
      body,
      stylesheets: [assetPath('swagger-ui.css')],
      styles: STYLES,
      scriptFiles: [assetPath('swagger-ui-bundle.js')],
      scripts: [BOOT_SCRIPT],
      policy: { dataImages: true },
    });
  });

  const loaded = new Map<string, Promise<Buffer>>();
  scope.get<{ Params: { version: string; name: string } }>('/api/assets/:version/:name', async (request, reply) => {
    const { version: asked, name } = request.params;
    const type = ASSETS.get(name);
    if (type === undefined || asked !== swaggerDist().version) {
      return reply.status(404).type('text/plain; charset=utf-8').send('No such asset.');
    }
    let content = loaded.get(name);
    if (content === undefined) {
      content = readFile(join(swaggerDist().directory, name));
      loaded.set(name, content);
      content.catch(() => loaded.delete(name));
    }
    return reply
      .headers({
        'content-type': type,
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      })
      .send(await content);
  });
}
