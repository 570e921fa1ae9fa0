import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RiskService } from '../risk-service.js';

export function sendRefundResultEndpoint(risk: RiskService): EndpointModule<'risk/payments/sendRefundResult'> {
  return endpointModule({ path: 'risk/payments/sendRefundResult', handle: (context, request) => risk.sendRefundResult(context.clientId, request) });
}
