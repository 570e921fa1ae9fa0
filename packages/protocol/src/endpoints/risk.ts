/** Risk control: a decision on a transaction, reports of risky ones, and how payments and refunds ended. */
import { exampleResult } from '../schemas/examples.js';
import {
  RiskDecideRequestSchema,
  RiskDecideResponseSchema,
  RiskReportRequestSchema,
  RiskReportResponseSchema,
  SendPaymentResultRequestSchema,
  SendPaymentResultResponseSchema,
  SendRefundResultRequestSchema,
  SendRefundResultResponseSchema,
} from '../schemas/risk.js';
import { defineEndpoint } from './definition.js';

export const RISK_ENDPOINTS = [
  defineEndpoint({
    path: 'risk/payments/decide',
    version: 'v1',
    method: 'risk.decide',
    summary: 'A risk decision on a transaction, before or after its card authorisation: `ACCEPT` (with `authenticationDecision` `THREEDS` when the buyer must pass 3-D Secure) or `REJECT`; the sandbox decides by amount or order-id marker.',
    request: RiskDecideRequestSchema,
    response: RiskDecideResponseSchema,
    idempotency: { kind: 'harmless-repeat', why: 'a resend records another decision, the same one for the same request' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({ referenceTransactionId: 'TXN-1', authorizationPhase: 'PRE_AUTHORIZATION', orders: [{ referenceOrderId: 'ORDER-1', orderAmount: { currency: 'USD', value: '1000' } }], actualPaymentAmount: { currency: 'USD', value: '1000' } }),
      response: () => ({ result: exampleResult(), securityId: 'RSK-1', decision: 'ACCEPT', authenticationDecision: 'NON_THREEDS' }),
    },
  }),
  defineEndpoint({
    path: 'risk/payments/reportRisk',
    version: 'v1',
    method: 'risk.reportRisk',
    summary: 'Reports a transaction found risky afterwards (suspicious, charged back, fraud), so the engine learns from it.',
    request: RiskReportRequestSchema,
    response: RiskReportResponseSchema,
    idempotency: { kind: 'harmless-repeat', why: 'a resend stores the same report again' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({ referenceTransactionId: 'TXN-1', riskType: 'FRAUD', reportReason: 'card reported stolen', riskOccurrenceTime: '2030-01-01T00:00:00+00:00' }),
      response: () => ({ result: exampleResult(), securityId: 'RSK-2' }),
    },
  }),
  defineEndpoint({
    path: 'risk/payments/sendPaymentResult',
    version: 'v1',
    method: 'risk.sendPaymentResult',
    summary: "Tells the engine how a decided transaction's payment ended (`SUCCESS` or `FAIL`, with the authorisation error and card verification results).",
    request: SendPaymentResultRequestSchema,
    response: SendPaymentResultResponseSchema,
    idempotency: { kind: 'by-resource', why: 'one result per transaction: a resend replaces it with the same' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({ referenceTransactionId: 'TXN-1', paymentStatus: 'SUCCESS' }),
      response: () => ({ result: exampleResult(), securityId: 'RSK-3' }),
    },
  }),
  defineEndpoint({
    path: 'risk/payments/sendRefundResult',
    version: 'v1',
    method: 'risk.sendRefundResult',
    summary: 'Tells the engine about a refund of a transaction (`referenceRefundId`, the amount refunded and its records).',
    request: SendRefundResultRequestSchema,
    response: SendRefundResultResponseSchema,
    idempotency: { kind: 'by-resource', why: 'one result per refund: a resend replaces it with the same' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({ referenceTransactionId: 'TXN-1', referenceRefundId: 'RFD-1', actualRefundAmount: { currency: 'USD', value: '500' } }),
      response: () => ({ result: exampleResult(), securityId: 'RSK-4' }),
    },
  }),
] as const;
