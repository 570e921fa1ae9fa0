/** The dispute endpoints (`payments/acceptDispute`, `payments/supplyDefenseDocument`, `payments/downloadDisputeEvidence`), bound to the dispute service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { DisputeService } from '../dispute-service.js';
import { acceptDisputeEndpoint } from './accept-dispute.js';
import { downloadDisputeEvidenceEndpoint } from './download-dispute-evidence.js';
import { supplyDefenseDocumentEndpoint } from './supply-defense-document.js';

export function disputeEndpoints(disputes: DisputeService) {
  return {
    'payments/acceptDispute': acceptDisputeEndpoint(disputes),
    'payments/supplyDefenseDocument': supplyDefenseDocumentEndpoint(disputes),
    'payments/downloadDisputeEvidence': downloadDisputeEvidenceEndpoint(disputes),
  } satisfies Partial<EndpointModules>;
}
