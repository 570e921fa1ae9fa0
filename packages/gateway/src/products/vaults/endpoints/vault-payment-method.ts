import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';

/**
 * The card as a key field: its BIN, last four and expiry, or the nonce that
 * stands for it. Never the number, nor a digest of it: with the BIN and last
 * four beside it, a digest of a card number is a short search away from it.
 */
function cardKey(card: { cardNo?: string; cardToken?: string; expiryMonth?: string; expiryYear?: string }): string {
  if (card.cardNo === undefined) return `nonce:${card.cardToken ?? ''}`;
  const digits = card.cardNo.replace(/\D/g, '');
  return `${digits.slice(0, 6)}…${digits.slice(-4)}|${card.expiryMonth ?? ''}|${card.expiryYear ?? ''}`;
}

export function vaultPaymentMethodEndpoint(vaults: VaultService): EndpointModule<'vaults/vaultPaymentMethod'> {
  return keyedEndpointModule({
    path: 'vaults/vaultPaymentMethod',
    // Sessions and direct vaultings share one key space: a vaultingRequestId names one vaulting.
    idempotency: {
      scope: 'vaulting',
      fingerprint: (request) => ({
        paymentMethodType: 'CARD',
        vaultingNotificationUrl: request.vaultingNotificationUrl,
        redirectUrl: request.redirectUrl,
        'paymentMethodDetail.card': cardKey(request.paymentMethodDetail.card),
        is3DSAuthentication: request.paymentMethodDetail.card.is3DSAuthentication === true ? 'true' : 'false',
      }),
    },
    handle: (context, request) => vaults.vaultPaymentMethod(context, request),
  });
}
