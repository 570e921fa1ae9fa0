/**
 * What a buyer can do on a checkout page, read from the posted form:
 * pay, decline with a user-side failure code, or cancel (leave the
 * cashier; see checkout-routes.ts for what that does to the payment).
 */
import { RESULT_CODES, type PaymentOutcomeCode } from '@amsgate/protocol';

/** User-side failures a wallet can answer, offered in the Decline menu (codes a payment can fail with, which `complete` accepts). */
export const WALLET_DECLINE_CODES = [
  'USER_BALANCE_NOT_ENOUGH',
  'USER_AMOUNT_EXCEED_LIMIT',
  'USER_PAYMENT_VERIFICATION_FAILED',
  'RISK_REJECT',
  'USER_STATUS_ABNORMAL',
  'USER_KYC_NOT_QUALIFIED',
  'USER_NOT_EXIST',
] as const satisfies readonly PaymentOutcomeCode[];

export type WalletDeclineCode = (typeof WALLET_DECLINE_CODES)[number];

export type BuyerAction =
  | { kind: 'pay' }
  | { kind: 'decline'; resultCode: WalletDeclineCode }
  | { kind: 'cancel' }
  | { kind: 'invalid'; problem: string };

export function declineCodeLabel(code: WalletDeclineCode): string {
  return `${code}: ${RESULT_CODES[code].message}`;
}

export function parseBuyerAction(form: URLSearchParams): BuyerAction {
  const action = form.get('action');
  switch (action) {
    case 'pay':
    case 'cancel':
      return { kind: action };
    case 'decline': {
      const code = form.get('declineCode') ?? WALLET_DECLINE_CODES[0];
      const known = WALLET_DECLINE_CODES.find((candidate) => candidate === code);
      return known ? { kind: 'decline', resultCode: known } : { kind: 'invalid', problem: `Unknown decline code; choose one of ${WALLET_DECLINE_CODES.join(', ')}.` };
    }
    default:
      return { kind: 'invalid', problem: 'Unknown action; use the page\'s buttons (pay, decline or cancel).' };
  }
}
