/**
 * `payments/consult`: the payment methods available for an amount,
 * currency, terminal and region, from the configured offers. Unavailable
 * methods are listed disabled with Antom's reason codes, as Antom does, so a
 * merchant's checkout can show why.
 *
 * Every option carries its `logo` (named by its paymentMethodType), and a
 * card option its `paymentOptionDetail`: the card brands it takes, each
 * with its logo (`supportCardBrands`), and the card funding types
 * (`funding`). Those are the brands and fundings of the test cards that pay
 * here; the SDK describes `funding` as a given card's, which a consult
 * without a card number cannot have, so it lists what is accepted. The
 * logos are the gateway's own (`logoUrl`, served offline), never a third
 * party's.
 */
import { parsePositiveAmount, SUCCESS_RESULT, type ConsultRequest } from '@amsgate/protocol';
import type { ResponseBody } from './answers.js';
import type { PaymentMethodOffer } from './payment-method-offers.js';
import { cardFactsOf, TEST_CARDS } from '../cards/test-cards.js';

export interface ConsultOptions {
  /** The URL of the gateway's logo of a payment method or card brand, by its name. */
  logoUrl: (logoName: string) => string;
}

/** The brands and fundings of the cards that pay here, in the order the test cards list them. */
const CARD_FACTS = TEST_CARDS.map(cardFactsOf);
export const ACCEPTED_CARD_BRANDS: readonly string[] = [...new Set(CARD_FACTS.map((facts) => facts.cardBrand))];
export const ACCEPTED_CARD_FUNDING: readonly string[] = [...new Set(CARD_FACTS.map((facts) => facts.funding))];

export class ConsultService {
  constructor(
    private readonly offers: readonly PaymentMethodOffer[],
    private readonly options: ConsultOptions,
  ) {}

  private logo(logoName: string): { logoName: string; logoUrl: string } {
    return { logoName, logoUrl: this.options.logoUrl(logoName) };
  }

  consult(request: ConsultRequest): ResponseBody {
    const amount = parsePositiveAmount(request.paymentAmount, 'paymentAmount');
    const allowed = request.allowedPaymentMethods && new Set(request.allowedPaymentMethods);
    const blocked = new Set(request.blockedPaymentMethods ?? []);
    const regions = request.allowedPaymentMethodRegions;
    const terminal = request.env.terminalType;

    const paymentOptions = this.offers
      .filter((offer) => !blocked.has(offer.paymentMethodType) && (allowed === undefined || allowed.has(offer.paymentMethodType)))
      .filter((offer) => request.productCode !== 'AGREEMENT_PAYMENT' || offer.autoDebit)
      .filter((offer) => regions === undefined || regions.includes('GLOBAL') || offer.regions.includes('GLOBAL') || offer.regions.some((r) => regions.includes(r)))
      .map((offer) => {
        const disableReason = disableReasonOf(offer, amount.currency, amount.minor, terminal);
        const limit = offer.limits?.[amount.currency];
        return {
          paymentMethodType: offer.paymentMethodType,
          paymentMethodCategory: offer.category,
          paymentMethodRegion: [...offer.regions],
          enabled: disableReason === undefined,
          ...(disableReason !== undefined ? { disableReason } : {}),
          // The user's region first: Antom sorts by it.
          preferred: request.userRegion !== undefined && offer.regions.includes(request.userRegion),
          supportedCurrencies: [...offer.currencies],
          logo: this.logo(offer.paymentMethodType),
          ...(offer.category === 'CARD' ? {
            paymentOptionDetail: {
              supportCardBrands: ACCEPTED_CARD_BRANDS.map((cardBrand) => ({ cardBrand, logo: this.logo(cardBrand) })),
              funding: [...ACCEPTED_CARD_FUNDING],
            },
          } : {}),
          // Antom's AmountLimitInfo: singleLimit (per payment), dayLimit, monthLimit; the offers know per-payment limits only.
          ...(limit ? {
            amountLimitInfoMap: {
              [amount.currency]: {
                singleLimit: {
                  ...(limit.min !== undefined ? { minAmount: { currency: amount.currency, value: limit.min.toString() } } : {}),
                  ...(limit.max !== undefined ? { maxAmount: { currency: amount.currency, value: limit.max.toString() } } : {}),
                },
              },
            },
          } : {}),
        };
      })
      .sort((a, b) => Number(b.preferred) - Number(a.preferred) || Number(b.enabled) - Number(a.enabled));
    return { result: { ...SUCCESS_RESULT }, paymentOptions };
  }
}

function disableReasonOf(offer: PaymentMethodOffer, currency: string, minor: bigint, terminal: string | undefined): string | undefined {
  if (!offer.currencies.includes(currency)) return 'CHANNEL_NOT_SUPPORT_CURRENCY';
  if (terminal !== undefined && !offer.terminals.includes(terminal as PaymentMethodOffer['terminals'][number])) return 'CHANNEL_DISABLE';
  const limit = offer.limits?.[currency];
  if (limit && ((limit.min !== undefined && minor < limit.min) || (limit.max !== undefined && minor > limit.max))) return 'EXCEED_CHANNEL_LIMIT_RULE';
  return undefined;
}
