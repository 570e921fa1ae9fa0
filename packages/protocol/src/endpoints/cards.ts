/** The card-facts endpoints: getCardInfo and inquireInstallment (Java SDK only; answered from the sandbox test cards). */
import {
  GetCardInfoRequestSchema,
  GetCardInfoResponseSchema,
  InquireInstallmentRequestSchema,
  InquireInstallmentResponseSchema,
} from '../schemas/cards.js';
import { exampleResult } from '../schemas/examples.js';
import { defineEndpoint } from './definition.js';

const examplePlan = (installmentNum: string) => ({
  interestRate: '0',
  minInstallmentAmount: { currency: 'BRL', value: '2000' },
  maxInstallmentAmount: { currency: 'BRL', value: '5000000' },
  installmentNum,
  interval: 'MONTH',
  enabled: true,
});

export const CARD_ENDPOINTS = [
  defineEndpoint({
    path: 'payments/getCardInfo',
    version: 'v1',
    method: 'getCardInfo',
    summary: "A card's brand, issuing region, funding, category and installment plans, by `cardNo` or `cardBin` (the sandbox knows its test cards).",
    request: GetCardInfoRequestSchema,
    response: GetCardInfoResponseSchema,
    idempotency: { kind: 'read-only' },
    // PROCESS_FAIL: a number or BIN of no card the sandbox knows (the docs name no code for it: amsgate's choice).
    resultCodes: ['SUCCESS', 'PROCESS_FAIL'],
    notifications: [],
    example: {
      request: () => ({ cardBin: '429409' }),
      response: () => ({
        result: exampleResult(),
        cardBrand: 'VISA',
        issuingRegion: 'BR',
        funding: 'CREDIT',
        cardCategory: 'CONSUMER',
        supportInstallment: true,
        installment: { supportCardBrands: [{ cardBrand: 'VISA', logo: { logoName: 'Visa' } }], plans: [examplePlan('3'), examplePlan('6')] },
      }),
    },
  }),
  defineEndpoint({
    path: 'payments/inquireInstallment',
    version: 'v1',
    method: 'inquireInstallment',
    summary: 'The installment issuers: the BINs that take installments and their plans (one `installmentBanks` object, as the Java SDK reads it).',
    request: InquireInstallmentRequestSchema,
    response: InquireInstallmentResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS'],
    notifications: [],
    example: {
      request: () => ({}),
      response: () => ({
        result: exampleResult(),
        installmentBanks: { bankName: 'Sandbox installment issuers', bankShortName: 'SANDBOX', bins: ['429409'], plans: [examplePlan('3')] },
      }),
    },
  }),
] as const;
