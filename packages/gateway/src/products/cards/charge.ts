/**
 * The sandbox issuer: what charging a test card answers, in one place for
 * every way a card is charged (typed on the checkout page, on file, after a
 * 3-D Secure challenge). A success or exemption card is approved, a failure
 * card declined with DO_NOT_HONOR and the issuer's raw refusal; the card and
 * its authorisation are recorded with the outcome either way.
 */
import { cardOnPayment, type CardAuthentication, type CardOnPayment } from './card-result.js';
import { CARD_DECLINE_CODE, maskedCard, type TestCard } from './test-cards.js';

/** A payment outcome with its card (structurally the payments product's `Outcome`). */
export type CardCharge =
  | { kind: 'success'; card: CardOnPayment }
  | { kind: 'fail'; resultCode: typeof CARD_DECLINE_CODE; resultMessage: string; card: CardOnPayment };

export function chargeTestCard(
  testCard: TestCard,
  options: { paymentId: string; authentication: CardAuthentication; cardToken?: string | null; expiryMonth?: string | null; expiryYear?: string | null },
): CardCharge {
  const declined = testCard.outcome === 'failure';
  const card = cardOnPayment(testCard, { ...options, decision: declined ? 'declined' : 'approved' });
  return declined
    ? { kind: 'fail', resultCode: CARD_DECLINE_CODE, resultMessage: `The issuing bank declined the card (${maskedCard(testCard)})`, card }
    : { kind: 'success', card };
}
