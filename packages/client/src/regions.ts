/**
 * Antom's documented API domains (spec endpoints.md §0). Production and
 * sandbox share the domains; sandbox clients differ only in the path.
 */
export const ANTOM_REGIONS = {
  /** North America (recommended domain; the official SDKs' "US" constant). */
  'north-america': 'https://open-na-global.alipay.com',
  /** Merchants contracted with Antom's US entity (current `api_fund` page). */
  'united-states': 'https://open.antglobal-us.com',
  /** Asia (recommended domain; the official SDKs' "SG" constant). */
  asia: 'https://open-sea-global.alipay.com',
  /** Europe (recommended domain; the official SDKs' "DE" constant). */
  europe: 'https://open-de-global.alipay.com',
} as const;

export type AntomRegion = keyof typeof ANTOM_REGIONS;

export function isAntomRegion(value: string): value is AntomRegion {
  return Object.prototype.hasOwnProperty.call(ANTOM_REGIONS, value);
}
