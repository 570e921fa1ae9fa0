import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RiskService } from '../risk-service.js';

export function decideEndpoint(risk: RiskService): EndpointModule<'risk/payments/decide'> {
  return endpointModule({ path: 'risk/payments/decide', handle: (context, request) => risk.decide(context.clientId, request) });
}
