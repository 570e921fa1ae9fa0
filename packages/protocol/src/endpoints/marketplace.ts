/** Marketplace: sub-merchant registration and settlement accounts, splitting payments, balances, payouts and transfers, attachment upload. */
import { exampleResult } from '../schemas/examples.js';
import {
  CreatePayoutRequestSchema,
  CreatePayoutResponseSchema,
  CreateTransferRequestSchema,
  CreateTransferResponseSchema,
  InquireBalanceRequestSchema,
  InquireBalanceResponseSchema,
  RegisterRequestSchema,
  RegisterResponseSchema,
  SettleRequestSchema,
  SettleResponseSchema,
  SettlementInfoUpdateRequestSchema,
  SettlementInfoUpdateResponseSchema,
  SubmitAttachmentRequestSchema,
  SubmitAttachmentResponseSchema,
} from '../schemas/marketplace.js';
import { defineEndpoint } from './definition.js';

const bankAccount = () => ({ bankAccountNo: '1234567890', accountHolderName: 'Seller Ltd', bankRegion: 'SG', accountHolderType: 'ENTERPRISE' });
const transferExample = (toType: string) => ({
  transferRequestId: 'transfer-1',
  transferFromDetail: { transferFromMethod: { paymentMethodType: 'BALANCE_ACCOUNT' }, transferFromAmount: { currency: 'USD', value: '1000' } },
  transferToDetail: { transferToMethod: { paymentMethodType: toType, ...(toType === 'BALANCE_ACCOUNT' ? { customerId: 'seller-1' } : {}) }, transferToCurrency: 'USD', purposeCode: 'GDS' },
});

export const MARKETPLACE_ENDPOINTS = [
  defineEndpoint({
    path: 'business/attachment/submitAttachment',
    version: 'v1',
    requestPath: '/ams/api/open/openapiv2_file/v1/business/attachment/submitAttachment',
    method: 'marketplace.submitAttachment',
    summary: 'Records a document (its type and SHA-256) for a sub-merchant registration and answers the `attachmentKey` a registration names it by.',
    request: SubmitAttachmentRequestSchema,
    response: SubmitAttachmentResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'submitAttachmentRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT'],
    notifications: [],
    example: {
      request: () => ({ submitAttachmentRequestId: 'attachment-1', attachmentType: 'ENTERPRISE_REGISTRATION', fileSha256: 'a'.repeat(64) }),
      response: () => ({ result: exampleResult(), submitAttachmentRequestId: 'attachment-1', attachmentType: 'ENTERPRISE_REGISTRATION', attachmentKey: 'ATT-1' }),
    },
  }),
  defineEndpoint({
    path: 'merchants/register',
    version: 'v1',
    method: 'marketplace.register',
    summary: 'Registers a sub-merchant (seller) of the marketplace: `PROCESSING` until the sandbox decides (after a delay, or the control API), then notifyRegistration `REGISTRATION_RESULT`.',
    request: RegisterRequestSchema,
    response: RegisterResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'registrationRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT'],
    notifications: [{ kind: 'notifyRegistration', types: ['REGISTRATION_RESULT'] }],
    example: {
      request: () => ({
        registrationRequestId: 'registration-1',
        settlementInfos: [{ settlementCurrency: 'USD', settlementBankAccount: bankAccount() }],
        merchantInfo: { referenceMerchantId: 'seller-1', loginId: 'seller@example.com', legalEntityType: 'COMPANY', businessInfo: { doingBusinessAs: 'Seller' } },
        paymentMethods: [{ paymentMethodType: 'CARD' }],
      }),
      response: () => ({ result: exampleResult(), registrationStatus: 'PROCESSING' }),
    },
  }),
  defineEndpoint({
    path: 'merchants/settlementInfo/update',
    version: 'v1',
    method: 'marketplace.updateSettlementInfo',
    summary: 'Sets a registered sub-merchant\'s settlement bank account for one currency.',
    request: SettlementInfoUpdateRequestSchema,
    response: SettlementInfoUpdateResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'updateRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'MERCHANT_NOT_REGISTERED'],
    notifications: [],
    example: {
      request: () => ({ updateRequestId: 'update-1', referenceMerchantId: 'seller-1', settlementCurrency: 'USD', settlementBankAccount: bankAccount() }),
      response: () => ({ result: exampleResult(), updateStatus: 'SUCCESS' }),
    },
  }),
  defineEndpoint({
    path: 'accounts/inquireBalance',
    version: 'v1',
    method: 'marketplace.inquireBalance',
    summary: 'The balances, per currency, of the marketplace or (with `referenceMerchantId`) one of its sub-merchants, as the journal holds them.',
    request: InquireBalanceRequestSchema,
    response: InquireBalanceResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'MERCHANT_NOT_REGISTERED'],
    notifications: [],
    example: {
      request: () => ({}),
      response: () => ({
        result: exampleResult(),
        accountBalances: [{ currency: 'USD', availableBalance: { currency: 'USD', value: '1000' }, frozenBalance: { currency: 'USD', value: '0' }, totalBalance: { currency: 'USD', value: '1000' } }],
      }),
    },
  }),
  defineEndpoint({
    path: 'payments/settle',
    version: 'v1',
    method: 'marketplace.settle',
    summary: 'Splits a successful payment that names a registered sub-merchant between the seller and the marketplace balance accounts.',
    request: SettleRequestSchema,
    response: SettleResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'settlementRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'ORDER_NOT_EXIST', 'ORDER_STATUS_INVALID', 'MERCHANT_NOT_REGISTERED', 'CURRENCY_NOT_SUPPORT'],
    notifications: [],
    example: {
      request: () => ({
        settlementRequestId: 'settlement-1',
        paymentId: 'PAY-1',
        settlementDetails: [{ settleTo: 'SELLER', settlementAmount: { currency: 'USD', value: '900' } }, { settleTo: 'MARKETPLACE', settlementAmount: { currency: 'USD', value: '100' } }],
      }),
      response: () => ({ result: exampleResult(), settlementRequestId: 'settlement-1', settlementId: 'STL-1' }),
    },
  }),
  defineEndpoint({
    path: 'funds/createPayout',
    version: 'v1',
    method: 'marketplace.createPayout',
    summary: 'Pays out from the marketplace\'s (or a sub-merchant\'s, `transferFromMethod.customerId`) balance to a bank account; refused `BALANCE_NOT_ENOUGH` when the balance is short.',
    request: CreatePayoutRequestSchema,
    response: CreatePayoutResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'transferRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'BALANCE_NOT_ENOUGH', 'MERCHANT_NOT_REGISTERED', 'CURRENCY_NOT_SUPPORT'],
    notifications: [],
    example: {
      request: () => transferExample('BANK_ACCOUNT'),
      response: () => ({ result: exampleResult(), transferId: 'TRF-1', transferRequestId: 'transfer-1' }),
    },
  }),
  defineEndpoint({
    path: 'funds/createTransfer',
    version: 'v1',
    method: 'marketplace.createTransfer',
    summary: 'Moves money between the marketplace\'s and its sub-merchants\' balance accounts (`customerId` names a sub-merchant, absent the marketplace); refused `BALANCE_NOT_ENOUGH` when the paying balance is short.',
    request: CreateTransferRequestSchema,
    response: CreateTransferResponseSchema,
    idempotency: { kind: 'keyed', requestIdField: 'transferRequestId' },
    resultCodes: ['SUCCESS', 'REPEAT_REQ_INCONSISTENT', 'BALANCE_NOT_ENOUGH', 'MERCHANT_NOT_REGISTERED', 'CURRENCY_NOT_SUPPORT'],
    notifications: [],
    example: {
      request: () => transferExample('BALANCE_ACCOUNT'),
      response: () => ({ result: exampleResult(), transferId: 'TRF-1', transferRequestId: 'transfer-1' }),
    },
  }),
] as const;
