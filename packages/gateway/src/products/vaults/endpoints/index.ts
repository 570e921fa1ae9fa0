/** The vaulting endpoints (`vaults/*`, and `payments/fetchNonce`, which makes the same nonces), bound to the vault service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';
import { createVaultingSessionEndpoint } from './create-vaulting-session.js';
import { paymentsFetchNonceEndpoint, vaultsFetchNonceEndpoint } from './fetch-nonce.js';
import { inquireVaultingEndpoint } from './inquire-vaulting.js';
import { deleteTokenEndpoint, inquireTokenEndpoint, updateTokenEndpoint } from './tokens.js';
import { vaultPaymentMethodEndpoint } from './vault-payment-method.js';

export function vaultEndpoints(vaults: VaultService) {
  return {
    'vaults/createVaultingSession': createVaultingSessionEndpoint(vaults),
    'vaults/vaultPaymentMethod': vaultPaymentMethodEndpoint(vaults),
    'vaults/inquireVaulting': inquireVaultingEndpoint(vaults),
    'vaults/fetchNonce': vaultsFetchNonceEndpoint(vaults),
    'payments/fetchNonce': paymentsFetchNonceEndpoint(vaults),
    'vaults/inquireToken': inquireTokenEndpoint(vaults),
    'vaults/updateToken': updateTokenEndpoint(vaults),
    'vaults/deleteToken': deleteTokenEndpoint(vaults),
  } satisfies Partial<EndpointModules>;
}
