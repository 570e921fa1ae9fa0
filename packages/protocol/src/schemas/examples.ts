/**
 * Example bodies: a minimal valid request and a typical response per
 * endpoint, and a notification. For the OpenAPI document's examples and for
 * tests; each function returns a fresh object.
 */
import type { EndpointPath } from './registry.js';

export const exampleAmount = (value: string | number = '100') => ({ currency: 'USD', value });

export const exampleOrder = () => ({
  referenceOrderId: 'order-1',
  orderDescription: 'Coffee beans',
  orderAmount: exampleAmount(),
});

export const exampleCashierPay = () => ({
  productCode: 'CASHIER_PAYMENT',
  paymentRequestId: 'pay-0001',
  order: exampleOrder(),
  paymentAmount: exampleAmount(),
  paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
  paymentRedirectUrl: 'https://merchant.example/result?o=1',
  env: { terminalType: 'WEB' },
});

export const exampleAgreementPay = () => ({
  productCode: 'AGREEMENT_PAYMENT',
  paymentRequestId: 'pay-0002',
  order: exampleOrder(),
  paymentAmount: exampleAmount(),
  paymentMethod: { paymentMethodType: 'GCASH', paymentMethodId: 'access-token-1' },
});

export const exampleInStorePay = () => ({
  productCode: 'IN_STORE_PAYMENT',
  paymentRequestId: 'pay-0003',
  order: exampleOrder(),
  paymentAmount: exampleAmount(),
  paymentMethod: { paymentMethodType: 'CONNECT_WALLET', paymentMethodId: '281006020000000000125733' },
  paymentFactor: { inStorePaymentScenario: 'PaymentCode' },
  paymentNotifyUrl: 'https://merchant.example/notify',
});

export const exampleResult = (code = 'SUCCESS', status = 'S') => ({ resultCode: code, resultStatus: status, resultMessage: 'success' });

/** Endpoint → minimal valid request. */
export const EXAMPLE_REQUESTS: Record<EndpointPath, () => Record<string, unknown>> = {
  'payments/pay': exampleCashierPay,
  'payments/inquiryPayment': () => ({ paymentId: 'p-1' }),
  'payments/cancel': () => ({ paymentRequestId: 'pay-0001' }),
  'payments/refund': () => ({ refundRequestId: 'r-1', paymentId: 'p-1', refundAmount: exampleAmount('50') }),
  'payments/inquiryRefund': () => ({ refundRequestId: 'r-1' }),
  'payments/capture': () => ({ captureRequestId: 'c-1', paymentId: 'p-1', captureAmount: exampleAmount('100') }),
  'payments/consult': () => ({ productCode: 'CASHIER_PAYMENT', paymentAmount: exampleAmount(), env: { terminalType: 'WEB' } }),
  'payments/createPaymentSession': () => ({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: 'pay-0004',
    order: exampleOrder(),
    paymentAmount: exampleAmount(),
    paymentRedirectUrl: 'https://merchant.example/result',
  }),
  'authorizations/consult': () => ({
    customerBelongsTo: 'GCASH',
    authRedirectUrl: 'https://merchant.example/auth',
    scopes: ['AGREEMENT_PAY'],
    authState: 'state-1',
    terminalType: 'WEB',
  }),
  'authorizations/applyToken': () => ({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode: 'code-1' }),
  'authorizations/revoke': () => ({ accessToken: 'token-1' }),
};

/** Endpoint → a typical response. */
export const EXAMPLE_RESPONSES: Record<EndpointPath, () => Record<string, unknown>> = {
  'payments/pay': () => ({
    result: exampleResult('PAYMENT_IN_PROCESS', 'U'),
    paymentRequestId: 'pay-0001',
    paymentId: 'p-1',
    paymentAmount: exampleAmount(),
    paymentCreateTime: '2019-11-27T12:01:01+08:00',
    normalUrl: 'https://checkout.example/p-1',
    orderCodeForm: { expireTime: '2019-11-27T12:04:01+08:00', codeDetails: [{ codeValue: 'https://qr.example/281', displayType: 'TEXT' }] },
  }),
  'payments/inquiryPayment': () => ({
    result: exampleResult(),
    paymentStatus: 'SUCCESS',
    paymentId: 'p-1',
    paymentAmount: exampleAmount(),
    transactions: [{ transactionType: 'REFUND', transactionAmount: exampleAmount('10'), transactionResult: exampleResult() }],
  }),
  'payments/cancel': () => ({ result: exampleResult(), paymentId: 'p-1', cancelTime: '2019-11-27T12:01:01Z' }),
  'payments/refund': () => ({ result: exampleResult(), refundId: 'rf-1', refundAmount: exampleAmount('50'), refundTime: '2019-11-27T12:01:01+08:00' }),
  'payments/inquiryRefund': () => ({ result: exampleResult(), refundStatus: 'PROCESSING', refundId: 'rf-1' }),
  'payments/capture': () => ({ result: exampleResult(), captureId: 'cp-1', captureAmount: exampleAmount() }),
  'payments/consult': () => ({ result: exampleResult(), paymentOptions: [{ paymentMethodType: 'GCASH', enabled: true, logo: { logoUrl: 'x' } }] }),
  'payments/createPaymentSession': () => ({ result: exampleResult(), paymentSessionId: 's-1', paymentSessionData: 'abc' }),
  'authorizations/consult': () => ({ result: exampleResult(), normalUrl: 'https://wallet.example/auth' }),
  'authorizations/applyToken': () => ({ result: exampleResult(), accessToken: 'at-1', accessTokenExpiryTime: '2030-01-01T00:00:00+00:00' }),
  'authorizations/revoke': () => ({ result: exampleResult() }),
};

export const exampleNotifyPayment = () => ({
  notifyType: 'PAYMENT_RESULT',
  result: exampleResult(),
  paymentRequestId: 'pay-0001',
  paymentId: 'p-1',
  paymentAmount: exampleAmount(),
  paymentCreateTime: '2019-11-27T12:01:01+08:00',
  paymentTime: '2019-11-27T12:01:05+08:00',
});
