import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';

export function inquireTokenEndpoint(vaults: VaultService): EndpointModule<'vaults/inquireToken'> {
  return endpointModule({ path: 'vaults/inquireToken', handle: (context, request) => vaults.inquireToken(context.clientId, request) });
}

export function updateTokenEndpoint(vaults: VaultService): EndpointModule<'vaults/updateToken'> {
  return endpointModule({ path: 'vaults/updateToken', handle: (context, request) => vaults.updateToken(context.clientId, request) });
}

export function deleteTokenEndpoint(vaults: VaultService): EndpointModule<'vaults/deleteToken'> {
  return endpointModule({ path: 'vaults/deleteToken', handle: (context, request) => vaults.deleteToken(context.clientId, request) });
}
