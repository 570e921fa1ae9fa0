import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { DisputeService } from '../dispute-service.js';

export function supplyDefenseDocumentEndpoint(disputes: DisputeService): EndpointModule<'payments/supplyDefenseDocument'> {
  return endpointModule({ path: 'payments/supplyDefenseDocument', handle: (context, request) => disputes.supplyDefense(context.clientId, request) });
}
