import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';

export function createVaultingSessionEndpoint(vaults: VaultService): EndpointModule<'vaults/createVaultingSession'> {
  return keyedEndpointModule({
    path: 'vaults/createVaultingSession',
    idempotency: {
      scope: 'vaulting',
      fingerprint: (request) => ({
        paymentMethodType: request.paymentMethodType,
        vaultingNotificationUrl: request.vaultingNotificationUrl,
        redirectUrl: request.redirectUrl ?? null,
        is3DSAuthentication: request.is3DSAuthentication === true ? 'true' : 'false',
      }),
    },
    handle: (context, request) => vaults.createSession(context, request),
  });
}
