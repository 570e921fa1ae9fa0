import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RiskService } from '../risk-service.js';

export function sendPaymentResultEndpoint(risk: RiskService): EndpointModule<'risk/payments/sendPaymentResult'> {
  return endpointModule({ path: 'risk/payments/sendPaymentResult', handle: (context, request) => risk.sendPaymentResult(context.clientId, request) });
}
