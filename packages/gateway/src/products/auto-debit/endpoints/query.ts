import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { AutoDebitService } from '../auto-debit-service.js';

export function queryTokenEndpoint(service: AutoDebitService): EndpointModule<'authorizations/query'> {
  return endpointModule({ path: 'authorizations/query', handle: (context, request) => service.query(context.clientId, request) });
}
