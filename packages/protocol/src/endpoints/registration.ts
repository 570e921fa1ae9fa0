/** Merchant registration (acquirers, ISVs): register a secondary merchant, follow its review, read back what was registered. */
import { exampleResult } from '../schemas/examples.js';
import {
  InquiryRegistrationInfoRequestSchema,
  InquiryRegistrationInfoResponseSchema,
  InquiryRegistrationStatusRequestSchema,
  InquiryRegistrationStatusResponseSchema,
  MerchantRegistrationRequestSchema,
  MerchantRegistrationResponseSchema,
} from '../schemas/registration.js';
import { defineEndpoint } from './definition.js';

const merchantInfo = () => ({
  referenceMerchantId: 'SUB-MERCHANT-1',
  merchantDisplayName: 'Sub Merchant Store',
  merchantMCC: '5411',
  websites: [{ url: 'https://sub-merchant.example' }],
  merchantAddress: { region: 'SG', city: 'Singapore', address1: '1 Example Road' },
  registrationDetail: { legalName: 'Sub Merchant Pte. Ltd.', registrationType: 'ENTERPRISE_REGISTRATION_NO', registrationNo: '201912345K' },
});

export const REGISTRATION_ENDPOINTS = [
  defineEndpoint({
    path: 'merchants/registration',
    version: 'v1',
    method: 'merchants.registration',
    summary: 'Registers a secondary merchant for review (`S`: accepted); the result comes by notifyRegistrationStatus and inquiryRegistrationStatus.',
    request: MerchantRegistrationRequestSchema,
    response: MerchantRegistrationResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'registrationRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'REPEAT_REGISTRATION'],
    notifications: [{ kind: 'notifyRegistrationStatus' }],
    example: {
      request: () => ({ registrationRequestId: 'REG-1', productCodes: ['CASHIER_PAYMENT'], merchantInfo: merchantInfo() }),
      response: () => ({ result: exampleResult() }),
    },
  }),
  defineEndpoint({
    path: 'merchants/inquiryRegistrationStatus',
    version: 'v1',
    method: 'merchants.inquiryRegistrationStatus',
    summary: 'The review of a registration (by `registrationRequestId`) or of a merchant\'s latest one (by `referenceMerchantId`): PENDING, COMPLETED or REJECTED, with each payment method\'s verdict.',
    request: InquiryRegistrationStatusRequestSchema,
    response: InquiryRegistrationStatusResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'RECORD_NOT_FOUND'],
    notifications: [],
    example: {
      request: () => ({ registrationRequestId: 'REG-1' }),
      response: () => ({
        result: exampleResult(),
        registrationResult: { registrationStatus: 'COMPLETED' },
        pspRegistrationResultList: [{ pspName: 'ALIPAY_CN', registrationResult: { registrationStatus: 'APPROVED' } }],
      }),
    },
  }),
  defineEndpoint({
    path: 'merchants/inquiryRegistrationInfo',
    version: 'v1',
    method: 'merchants.inquiryRegistrationInfo',
    summary: 'What a secondary merchant\'s latest successful registration holds (merchant, store, products); only `result` while none has succeeded.',
    request: InquiryRegistrationInfoRequestSchema,
    response: InquiryRegistrationInfoResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'RECORD_NOT_FOUND'],
    notifications: [],
    example: {
      request: () => ({ referenceMerchantId: 'SUB-MERCHANT-1' }),
      response: () => ({ result: exampleResult(), merchantInfo: merchantInfo(), productCodes: ['CASHIER_PAYMENT'] }),
    },
  }),
] as const;
