/**
 * `pspCustomerInfo`: the wallet account that paid a wallet payment or gave
 * an Auto Debit authorisation (the SDK's note: returned when the wallet
 * provides it). The simulated wallets always do, once the buyer paid.
 *
 * - `pspName`: the wallet's `paymentMethodType` (`customerBelongsTo` for
 *   Auto Debit).
 * - Auto Debit: the user who agreed on the authorisation page; the same
 *   `userId` notifyAuthorization carries and the masked `userLoginId`
 *   applyToken answers.
 * - Cashier: the sandbox's test wallet account of the client's buyer: one
 *   per client, wallet and `order.buyer.referenceBuyerId` (without one, the
 *   client's default test buyer), its id in the same form as the Auto Debit
 *   users' (`2188` and 12 digits), shown as `buyer_****` and 4 digits.
 *
 * Which methods are wallets is the offers' business (`category` WALLET):
 * decided when the payment is made and kept with it, as is the account.
 */
import { createHash } from 'node:crypto';
import type { PspCustomerInfo } from '@amsgate/protocol';
import type { PaymentMethodOffer } from './payment-method-offers.js';

/** The wallet account a payment is paid from. */
export interface WalletCustomer {
  pspCustomerId: string;
  displayCustomerId: string;
}

/** Which payment method types the offers list as wallets. */
export function walletsOf(offers: readonly PaymentMethodOffer[]): (paymentMethodType: string) => boolean {
  const wallets = new Set(offers.filter((offer) => offer.category === 'WALLET').map((offer) => offer.paymentMethodType));
  return (paymentMethodType) => wallets.has(paymentMethodType);
}

/** The test wallet account that pays the cashier payments of one client's buyer in one wallet. */
export function cashierWalletCustomer(clientId: string, wallet: string, referenceBuyerId: string | undefined): WalletCustomer {
  const seed = `wallet-customer\n${wallet}\n${clientId}\n${referenceBuyerId ?? ''}`;
  let customer = recentCustomers.get(seed);
  if (customer === undefined) {
    const hex = createHash('sha256').update(seed, 'utf8').digest('hex');
    const digits = (BigInt(`0x${hex.slice(0, 32)}`) % 10n ** 16n).toString().padStart(16, '0');
    customer = { pspCustomerId: `2188${digits.slice(0, 12)}`, displayCustomerId: `buyer_****${digits.slice(12)}` };
    if (recentCustomers.size >= MAX_RECENT_CUSTOMERS) recentCustomers.clear();
    recentCustomers.set(seed, customer);
  }
  return { ...customer };
}

// Every pay of a wallet payment derives its account; most come from a few buyers. Bounded: cleared when full.
const MAX_RECENT_CUSTOMERS = 1_000;
const recentCustomers = new Map<string, WalletCustomer>();

export function pspCustomerInfoOf(pspName: string, customer: WalletCustomer): PspCustomerInfo {
  return { pspName, pspCustomerId: customer.pspCustomerId, displayCustomerId: customer.displayCustomerId };
}

/** `pspCustomerInfo` of a wallet payment the buyer has paid; nothing otherwise. */
export function pspCustomerFields(payment: { paymentMethodType: string; paidAt: number | null; walletCustomer: WalletCustomer | null }): Record<string, unknown> {
  if (payment.walletCustomer === null || payment.paidAt === null) return {};
  return { pspCustomerInfo: pspCustomerInfoOf(payment.paymentMethodType, payment.walletCustomer) };
}
