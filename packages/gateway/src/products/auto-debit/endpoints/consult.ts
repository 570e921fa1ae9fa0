import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { AutoDebitService } from '../auto-debit-service.js';

export function authConsultEndpoint(service: AutoDebitService): EndpointModule<'authorizations/consult'> {
  return endpointModule({ path: 'authorizations/consult', handle: (context, request) => service.consult(context.clientId, request) });
}
