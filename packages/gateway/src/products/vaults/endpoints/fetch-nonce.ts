import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';

/** `vaults/fetchNonce` and `payments/fetchNonce`: the same nonce, from the two paths the SDKs call. */
export function vaultsFetchNonceEndpoint(vaults: VaultService): EndpointModule<'vaults/fetchNonce'> {
  return endpointModule({ path: 'vaults/fetchNonce', handle: (context, request) => vaults.fetchNonce(context.clientId, request.card, 'card') });
}

export function paymentsFetchNonceEndpoint(vaults: VaultService): EndpointModule<'payments/fetchNonce'> {
  return endpointModule({ path: 'payments/fetchNonce', handle: (context, request) => vaults.fetchNonce(context.clientId, request.card, 'card') });
}
