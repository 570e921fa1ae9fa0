/** An amount as people read it: the dashboard, the payment timeline and the checkout pages all show money this way. */
import { formatMajorUnits } from '@amsgate/protocol';

/** `1234n` minor units of USD → `12.34 USD`. */
export function moneyText(currency: string, minor: bigint): string {
  return `${formatMajorUnits({ currency, minor })} ${currency}`;
}
