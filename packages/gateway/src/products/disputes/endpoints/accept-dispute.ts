import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { DisputeService } from '../dispute-service.js';

export function acceptDisputeEndpoint(disputes: DisputeService): EndpointModule<'payments/acceptDispute'> {
  return endpointModule({ path: 'payments/acceptDispute', handle: (context, request) => disputes.accept(context.clientId, request) });
}
