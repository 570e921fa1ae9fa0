import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { VaultService } from '../vault-service.js';

export function inquireVaultingEndpoint(vaults: VaultService): EndpointModule<'vaults/inquireVaulting'> {
  return endpointModule({ path: 'vaults/inquireVaulting', handle: (context, request) => vaults.inquire(context.clientId, request) });
}
