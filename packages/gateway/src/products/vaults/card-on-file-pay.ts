/**
 * `pay` with `CARD` and a `paymentMethodId`: the card a token (one-click or
 * merchant-initiated, card on file) or a nonce names is charged without the
 * checkout page. The test card decides at once (SUCCESS, or FAIL with the
 * issuer's decline), unless `paymentMethodMetaData.is3DSAuthentication`
 * asks for 3-D Secure: the payment then waits (`U` PAYMENT_IN_PROCESS) for
 * the buyer's challenge on the checkout page at `normalUrl`.
 */
import type { PayCashierRequest } from '@amsgate/protocol';
import type { KeyedHandlerContext } from '../../endpoints/contract.js';
import type { ResponseBody } from '../payments/answers.js';
import type { NewPaymentHook, PaymentService } from '../payments/payment-service.js';
import { cardOnPayment } from '../cards/card-result.js';
import { CARD_DECLINE_CODE } from '../cards/test-cards.js';
import { chargeTestCard } from '../cards/charge.js';
import { testCardOf } from './vault-records.js';
import type { VaultService } from './vault-service.js';

/** Whether a pay request names a stored card or nonce (rather than asking the buyer for one). */
export function paysWithCardOnFile(request: PayCashierRequest): boolean {
  return request.paymentMethod.paymentMethodType.toUpperCase() === 'CARD' && request.paymentMethod.paymentMethodId !== undefined;
}

/** `is3DSAuthentication` in paymentMethodMetaData, as a boolean or the string the docs' all-strings rule sends. */
export function asks3ds(request: PayCashierRequest): boolean {
  const value = request.paymentMethod.paymentMethodMetaData?.is3DSAuthentication;
  return value === true || value === 'true';
}

export function cardOnFileHook(vaults: VaultService, request: PayCashierRequest, clientId: string): NewPaymentHook {
  return async (tx, payment, now) => {
    const { token, onFile } = await vaults.cardForPayment(tx, clientId, request.paymentMethod.paymentMethodId ?? '', now);
    const testCard = testCardOf(token.card);
    // Tokens and nonces are made from test cards only; one that is not would be a bug, declined rather than paid.
    if (!testCard) return { payment, outcome: { kind: 'fail', resultCode: CARD_DECLINE_CODE, resultMessage: 'The stored card is not a sandbox test card' } };
    const base = { paymentId: payment.paymentId, cardToken: onFile ? token.cardToken : null, expiryMonth: token.card.expiryMonth, expiryYear: token.card.expiryYear };
    if (asks3ds(request) && testCard.outcome !== '3ds-exemption') {
      // The issuer answers once the buyer passed the challenge on the checkout page.
      return { payment: { ...payment, card: cardOnPayment(testCard, { ...base, decision: 'pending', authentication: 'challenge' }) }, outcome: undefined };
    }
    const outcome = chargeTestCard(testCard, { ...base, authentication: 'none' });
    return { payment: { ...payment, card: outcome.card }, outcome };
  };
}

/** The cashier `pay` of a card on file: the payment service's pay with the hook above. */
export function cardOnFilePay(vaults: VaultService, payments: PaymentService) {
  return async (context: KeyedHandlerContext, request: PayCashierRequest): Promise<ResponseBody> =>
    (await payments.payRecorded(context, request, undefined, cardOnFileHook(vaults, request, context.clientId))).answer;
}
