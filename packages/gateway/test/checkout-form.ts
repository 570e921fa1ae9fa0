/** Tests acting as the buyer on a checkout or authorisation page over plain HTTP: read the page's form token, post an action. */

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The CSRF token of the page's form, or undefined when the page has no form. */
export function csrfTokenOf(html: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** Loads the page, then posts its form with `fields` (redirects are not followed: see `location`). */
export async function submitCheckout(pageUrl: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  const csrf = csrfTokenOf(html);
  if (csrf === undefined) throw new Error(`${pageUrl} (HTTP ${page.status}) has no checkout form`);
  return fetch(pageUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': FORM_CONTENT_TYPE, ...headers },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
}
