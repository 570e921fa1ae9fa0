/**
 * Example bodies the endpoint definitions' examples are built from, and a
 * notification. For the OpenAPI document's examples and for tests; each
 * function returns a fresh object.
 */

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

export const exampleNotifyPayment = () => ({
  notifyType: 'PAYMENT_RESULT',
  result: exampleResult(),
  paymentRequestId: 'pay-0001',
  paymentId: 'p-1',
  paymentAmount: exampleAmount(),
  paymentCreateTime: '2019-11-27T12:01:01+08:00',
  paymentTime: '2019-11-27T12:01:05+08:00',
});
