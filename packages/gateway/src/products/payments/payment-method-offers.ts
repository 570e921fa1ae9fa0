/**
 * Which payment methods `payments/consult` offers: a configurable list of
 * methods with their category, regions, currencies, terminals and amount
 * limits. The defaults are a small, plausible sandbox set (a few wallets
 * and cards); a deployment replaces them with `GatewayConfig.paymentMethodOffers`.
 * What a method allows after the payment (refunds, captures) is
 * `payment-method-capabilities.ts`.
 */

export interface PaymentMethodOffer {
  paymentMethodType: string;
  /** WALLET, CARD, ONLINE_BANKING, MOBILE_BANKING_APP, BANK_TRANSFER, OTC, VA, ALIPAY_PLUS */
  category: string;
  /** 2-letter regions where the method's users are; `GLOBAL` for everywhere. */
  regions: readonly string[];
  currencies: readonly string[];
  terminals: ReadonlyArray<'WEB' | 'WAP' | 'APP' | 'MINI_APP'>;
  /** Usable for Auto Debit (`AGREEMENT_PAYMENT`). */
  autoDebit: boolean;
  /**
   * The currency the buyer's account holds (a wallet's own): a payment in
   * another currency is converted to it at the sandbox rate, answered as
   * `actualPaymentAmount` and `paymentQuote`. Absent (cards): the buyer pays
   * in the payment's currency.
   */
  buyerCurrency?: string;
  /** Per currency, inclusive minor-unit limits. A currency without an entry has no limit. */
  limits?: Readonly<Record<string, { min?: bigint; max?: bigint }>>;
  /**
   * The buyer pays outside the checkout (a bank transfer, cash at a
   * counter): submitting on the checkout page leaves the payment PROCESSING
   * and notifies PAYMENT_PENDING; the sandbox confirms it (SUCCESS) this
   * long after on its clock, unless the control API settles it first
   * (`submission-service.ts`). Absent: the buyer pays on the page.
   */
  confirmationDelayMs?: number;
}

/** How long after a bank transfer is submitted the sandbox confirms it. */
export const DEFAULT_TRANSFER_CONFIRMATION_MS = 5 * 60_000;

const ALL_TERMINALS = ['WEB', 'WAP', 'APP', 'MINI_APP'] as const;

export const DEFAULT_PAYMENT_METHOD_OFFERS: readonly PaymentMethodOffer[] = Object.freeze<PaymentMethodOffer[]>([
  { paymentMethodType: 'ALIPAY_CN', category: 'WALLET', buyerCurrency: 'CNY', regions: ['CN'], currencies: ['CNY', 'USD', 'EUR', 'GBP', 'HKD', 'SGD', 'JPY'], terminals: ALL_TERMINALS, autoDebit: true, limits: { USD: { min: 1n, max: 5_000_000n }, CNY: { min: 1n, max: 30_000_000n } } },
  { paymentMethodType: 'ALIPAY_HK', category: 'WALLET', buyerCurrency: 'HKD', regions: ['HK'], currencies: ['HKD', 'USD'], terminals: ALL_TERMINALS, autoDebit: true },
  { paymentMethodType: 'GCASH', category: 'WALLET', buyerCurrency: 'PHP', regions: ['PH'], currencies: ['PHP', 'USD'], terminals: ALL_TERMINALS, autoDebit: true, limits: { PHP: { min: 100n, max: 10_000_000n } } },
  { paymentMethodType: 'DANA', category: 'WALLET', buyerCurrency: 'IDR', regions: ['ID'], currencies: ['IDR', 'USD'], terminals: ALL_TERMINALS, autoDebit: true },
  { paymentMethodType: 'KAKAOPAY', category: 'WALLET', buyerCurrency: 'KRW', regions: ['KR'], currencies: ['KRW', 'USD'], terminals: ALL_TERMINALS, autoDebit: true },
  { paymentMethodType: 'TRUEMONEY', category: 'WALLET', buyerCurrency: 'THB', regions: ['TH'], currencies: ['THB', 'USD'], terminals: ['WAP', 'APP'], autoDebit: true },
  { paymentMethodType: 'TNG', category: 'WALLET', buyerCurrency: 'MYR', regions: ['MY'], currencies: ['MYR', 'USD'], terminals: ALL_TERMINALS, autoDebit: true },
  { paymentMethodType: 'CARD', category: 'CARD', regions: ['GLOBAL'], currencies: ['USD', 'EUR', 'GBP', 'JPY', 'SGD', 'HKD', 'AUD', 'BRL', 'MXN', 'KRW'], terminals: ALL_TERMINALS, autoDebit: false, limits: { USD: { min: 1n, max: 100_000_000n } } },
  { paymentMethodType: 'BANKTRANSFER_PIX', category: 'BANK_TRANSFER', regions: ['BR'], currencies: ['BRL'], terminals: ['WEB', 'WAP'], autoDebit: false, confirmationDelayMs: DEFAULT_TRANSFER_CONFIRMATION_MS },
]);
