import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RiskService } from '../risk-service.js';

export function reportRiskEndpoint(risk: RiskService): EndpointModule<'risk/payments/reportRisk'> {
  return endpointModule({ path: 'risk/payments/reportRisk', handle: (context, request) => risk.reportRisk(context.clientId, request) });
}
