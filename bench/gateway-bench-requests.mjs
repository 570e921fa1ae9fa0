// Request bodies shared by bench/gateway-pay-inquiry.mjs and its signer threads.

/** A cashier pay body (answered PAYMENT_IN_PROCESS / U). */
export function payBody(paymentRequestId) {
  return JSON.stringify({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId,
    paymentAmount: { currency: 'USD', value: '1000' },
    order: { referenceOrderId: 'o1', orderDescription: 'Bench order', orderAmount: { currency: 'USD', value: '1000' } },
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    env: { terminalType: 'WEB' },
  });
}
