import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { ConsultService } from '../consult-service.js';

export function consultEndpoint(consult: ConsultService): EndpointModule<'payments/consult'> {
  return endpointModule({ path: 'payments/consult', handle: (_context, request) => Promise.resolve(consult.consult(request)) });
}
