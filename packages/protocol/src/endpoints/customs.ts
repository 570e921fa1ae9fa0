/** Customs declarations of paid payments: declare (and correct) one, inquire up to ten. */
import { exampleResult } from '../schemas/examples.js';
import {
  DeclareRequestSchema,
  DeclareResponseSchema,
  InquiryDeclarationRequestsRequestSchema,
  InquiryDeclarationRequestsResponseSchema,
} from '../schemas/customs.js';
import { defineEndpoint } from './definition.js';

export const CUSTOMS_ENDPOINTS = [
  defineEndpoint({
    path: 'customs/declare',
    version: 'v1',
    method: 'customs.declare',
    summary: "Declares (part of) a successful payment's amount to customs; the same `declarationRequestId` with a changed amount, customs, merchant registration, sub-order or buyer certificate corrects it (a retransmission, 5 minutes after the last one at the earliest).",
    request: DeclareRequestSchema,
    response: DeclareResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'declarationRequestId', why: 'the same declarationRequestId with the same fields answers the recorded declaration' },
    resultCodes: ['SUCCESS', 'ORDER_NOT_EXIST', 'ORDER_STATUS_INVALID', 'TOTAL_DECLARATION_AMOUNT_EXCEED', 'CONTEXT_INCONSISTENT'],
    notifications: [],
    example: {
      request: () => ({
        declarationRequestId: 'DCL-1',
        paymentId: 'PAY-1',
        declarationAmount: { currency: 'CNY', value: '100' },
        customs: { customsCode: 'ZONGSHU', region: 'CN' },
        merchantCustomsInfo: { merchantCustomsCode: 'MCC-1', merchantCustomsName: 'demo merchant' },
        splitOrder: false,
      }),
      response: () => ({ result: exampleResult(), customsPaymentId: 'PAY-1', customsOrderId: 'ORDER-1', clearingChannel: 'NUCC', customsProviderRegistrationId: '31222699S7' }),
    },
  }),
  defineEndpoint({
    path: 'customs/inquiryDeclarationRequests',
    version: 'v1',
    method: 'customs.inquiryDeclarationRequests',
    summary: 'The declarations named by up to ten `declarationRequestIds` (status, amount, customs receipt); ids that name none are listed in `declarationRequestsNotFound`.',
    request: InquiryDeclarationRequestsRequestSchema,
    response: InquiryDeclarationRequestsResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({ declarationRequestIds: ['DCL-1'] }),
      response: () => ({
        result: exampleResult(),
        declarationRecords: [{ declarationRequestId: 'DCL-1', customsPaymentId: 'PAY-1', customsOrderId: 'ORDER-1', declarationAmount: { currency: 'CNY', value: '100' }, splitOrder: false, declarationRequestStatus: 'SUCCESS' }],
      }),
    },
  }),
] as const;
