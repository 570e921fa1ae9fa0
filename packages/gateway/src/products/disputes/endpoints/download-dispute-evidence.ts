import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { DisputeService } from '../dispute-service.js';

export function downloadDisputeEvidenceEndpoint(disputes: DisputeService): EndpointModule<'payments/downloadDisputeEvidence'> {
  return endpointModule({ path: 'payments/downloadDisputeEvidence', handle: (context, request) => disputes.downloadEvidence(context.clientId, request) });
}
