/**
 * Where `pay` (and `authorizations/consult`) send a buyer on a phone:
 * `schemeUrl`, `applinkUrl` and `appIdentifier` beside `normalUrl`, by the
 * merchant's terminal.
 *
 * - WEB (or no terminal): `normalUrl` only (the docs' "Best practices for
 *   configuring the redirection URL": web pages get normalUrl).
 * - WAP and APP: also `applinkUrl` and `schemeUrl`, which open the
 *   payment method's app, and `appIdentifier` (the SDK's note: returned for
 *   APP and WAP terminals), whatever `osType` says.
 * - MINI_APP: `normalUrl` only (mini programs pay through the wallet's JS API).
 *
 * The sandbox has no wallet app, so the links lead to the same page as
 * `normalUrl`:
 * - `applinkUrl`: an App Link / Universal Link is an https URL that opens
 *   the app when installed and the page otherwise; with no app, it is the
 *   page (marked `?link=applink`, which the page ignores).
 * - `schemeUrl`: `amsgate://open?url=<the page, URL-encoded>`. A custom
 *   scheme only an app answers; ours names the project, and carries the
 *   page as Antom's wallets' scheme URLs carry their code value, so a test
 *   app (or a merchant's test double) can open it.
 * - `appIdentifier`: `test.amsgate.wallet`, an Android package name under
 *   the reserved `.test` domain the sandbox's other made-up names use.
 */
export const SANDBOX_APP_SCHEME = 'amsgate';
export const SANDBOX_APP_IDENTIFIER = 'test.amsgate.wallet';

export interface AppLinks {
  schemeUrl: string;
  applinkUrl: string;
  appIdentifier: string;
}

/** The app links of a page for a terminal; undefined where the terminal gets `normalUrl` only. */
export function appLinksOf(pageUrl: string, terminalType: string | undefined): AppLinks | undefined {
  if (terminalType !== 'WAP' && terminalType !== 'APP') return undefined;
  const separator = pageUrl.includes('?') ? '&' : '?';
  return {
    schemeUrl: `${SANDBOX_APP_SCHEME}://open?url=${encodeURIComponent(pageUrl)}`,
    applinkUrl: `${pageUrl}${separator}link=applink`,
    appIdentifier: SANDBOX_APP_IDENTIFIER,
  };
}
