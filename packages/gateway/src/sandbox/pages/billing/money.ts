/** Billing's `{currency, value}` amounts as the pages show them (`12.34 USD`). */
import { moneyText } from '../../../products/payments/money-text.js';

export function amountText(amount: { currency?: string; value?: string } | undefined, currency?: string): string {
  const code = amount?.currency ?? currency;
  if (amount?.value === undefined || code === undefined) return '';
  const minor = BigInt(amount.value);
  return minor < 0n ? `-${moneyText(code, -minor)}` : moneyText(code, minor);
}
