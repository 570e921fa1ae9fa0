import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { AutoDebitService } from '../auto-debit-service.js';

export function revokeEndpoint(service: AutoDebitService): EndpointModule<'authorizations/revoke'> {
  return endpointModule({ path: 'authorizations/revoke', handle: (context, request) => service.revoke(context.clientId, request) });
}
