/** The risk endpoints (`risk/payments/decide`, `reportRisk`, `sendPaymentResult`, `sendRefundResult`), bound to the risk service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { RiskService } from '../risk-service.js';
import { decideEndpoint } from './decide.js';
import { reportRiskEndpoint } from './report-risk.js';
import { sendPaymentResultEndpoint } from './send-payment-result.js';
import { sendRefundResultEndpoint } from './send-refund-result.js';

export function riskEndpoints(risk: RiskService) {
  return {
    'risk/payments/decide': decideEndpoint(risk),
    'risk/payments/reportRisk': reportRiskEndpoint(risk),
    'risk/payments/sendPaymentResult': sendPaymentResultEndpoint(risk),
    'risk/payments/sendRefundResult': sendRefundResultEndpoint(risk),
  } satisfies Partial<EndpointModules>;
}
