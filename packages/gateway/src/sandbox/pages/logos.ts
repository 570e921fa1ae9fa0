/**
 * The logos `payments/consult` names (`logo.logoUrl` of a payment option,
 * of a card brand): small SVG badges the gateway draws itself, so they work
 * offline and never load a third party's image. `GET /logos/{NAME}.svg`,
 * NAME a payment method type or card brand (upper case, digits, `_`): the
 * known ones have their label and colour, any other such name a neutral
 * badge with its name, so a deployment's own offers get logos too.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

interface Badge {
  label: string;
  background: string;
  foreground: string;
}

const WHITE = '#FFFFFF';

/** Labels and colours of the default offers' methods and the accepted card brands (text badges, not the brands' artwork). */
const BADGES: Readonly<Record<string, Badge>> = {
  ALIPAY_CN: { label: 'Alipay', background: '#1677FF', foreground: WHITE },
  ALIPAY_HK: { label: 'AlipayHK', background: '#1677FF', foreground: WHITE },
  GCASH: { label: 'GCash', background: '#007DFE', foreground: WHITE },
  DANA: { label: 'DANA', background: '#118EEA', foreground: WHITE },
  KAKAOPAY: { label: 'kakaopay', background: '#FFEB00', foreground: '#191919' },
  TRUEMONEY: { label: 'TrueMoney', background: '#FF8200', foreground: WHITE },
  TNG: { label: 'TNG eWallet', background: '#005ABB', foreground: WHITE },
  CARD: { label: 'Card', background: '#4A5568', foreground: WHITE },
  BANKTRANSFER_PIX: { label: 'Pix', background: '#32BCAD', foreground: WHITE },
  VISA: { label: 'VISA', background: '#1A1F71', foreground: WHITE },
  MASTERCARD: { label: 'Mastercard', background: '#EB001B', foreground: WHITE },
  HYUNDAI: { label: 'Hyundai Card', background: '#002C5F', foreground: WHITE },
};

const NEUTRAL_BACKGROUNDS = ['#4A5568', '#2B6CB0', '#2F855A', '#9C4221', '#6B46C1', '#B83280'];

const LOGO_NAME = /^[A-Z0-9_]{1,32}$/;

/** Where a logo is served, relative to the gateway's base URL. */
export function logoPath(logoName: string): string {
  return `/logos/${encodeURIComponent(logoName)}.svg`;
}

function badgeOf(name: string): Badge {
  const known = BADGES[name];
  if (known) return known;
  const index = createHash('sha256').update(name).digest()[0]! % NEUTRAL_BACKGROUNDS.length;
  return { label: name.replace(/_/g, ' '), background: NEUTRAL_BACKGROUNDS[index]!, foreground: WHITE };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A 120×48 badge with the name's label; undefined for a name that is not a logo name. */
export function logoSvg(name: string): string | undefined {
  if (!LOGO_NAME.test(name)) return undefined;
  const badge = badgeOf(name);
  const label = escapeXml(badge.label);
  const fontSize = badge.label.length > 12 ? 10 : badge.label.length > 8 ? 13 : 17;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="48" viewBox="0 0 120 48" role="img" aria-label="${label}">`
    + `<rect width="120" height="48" rx="8" fill="${badge.background}"/>`
    + `<text x="60" y="24" dominant-baseline="central" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="${fontSize}" font-weight="700" fill="${badge.foreground}">${label}</text>`
    + '</svg>\n';
}

export function registerLogoRoutes(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>('/logos/:file', (request, reply) => {
    const match = /^(.+)\.svg$/.exec(request.params.file);
    const svg = match ? logoSvg(match[1]!) : undefined;
    if (svg === undefined) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('No such logo\n');
    return reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('content-security-policy', "default-src 'none'")
      .header('x-content-type-options', 'nosniff')
      .send(svg);
  });
}
