import { describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  ENDPOINT_PATHS,
  EXAMPLE_REQUESTS,
  EXAMPLE_RESPONSES,
  InquiryPaymentInStoreResponseSchema,
  NOTIFICATIONS,
  NotificationAckSchema,
  NotifyAuthorizationBodySchema,
  NotifyCaptureBodySchema,
  NotifyPaymentBodySchema,
  NotifyPaymentInStoreBodySchema,
  NotifyRefundBodySchema,
  PAY_REQUEST_SCHEMAS,
  PayAgreementRequestSchema,
  PayCashierRequestSchema,
  PayInStoreRequestSchema,
  PayRequestSchema,
  checkInStoreMerchant,
  exampleAgreementPay,
  exampleCashierPay,
  exampleInStorePay,
  exampleNotifyPayment,
  exampleOrder,
  exampleResult,
  inStoreScenarioOf,
  isEndpointPath,
  notificationKindOf,
  productCodeOf,
  selectPayRequestSchema,
  validate,
  validateRequest,
  validateResponse,
  type PayRequest,
  type ValidationFailure,
  type ValidationResult,
} from '../src/index.js';

function expectFailure(result: { readonly ok: true } | ValidationFailure, field: string, problem?: string | RegExp): void {
  if (result.ok) throw new Error(`expected a failure at ${field}, got ok: ${JSON.stringify(result)}`);
  expect(result.field).toBe(field);
  if (typeof problem === 'string') expect(result.problem).toBe(problem);
  else if (problem !== undefined) expect(result.problem).toMatch(problem);
}

function expectOk<T>(result: ValidationResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.message}`);
  return result.value;
}

describe('registry', () => {
  it('looks endpoints up by path (which endpoints exist: sdk-surface.test.ts)', () => {
    expect(isEndpointPath('payments/pay')).toBe(true);
    expect(isEndpointPath('payments/notAnEndpoint')).toBe(false);
    expect(isEndpointPath('toString')).toBe(false);
    expect(ENDPOINTS['payments/pay'].request).toBe(PayRequestSchema);
  });

  it.each(ENDPOINT_PATHS)('%s: a minimal request passes and comes back as a new object', (path) => {
    const input = EXAMPLE_REQUESTS[path]();
    const snapshot = structuredClone(input);
    const value = expectOk(validateRequest(path, input));
    expect(value).toEqual(input); // minimal examples are already canonical
    expect(value).not.toBe(input);
    expect(input).toEqual(snapshot);
  });

  it.each(ENDPOINT_PATHS)('%s: a typical response passes; a response needs result', (path) => {
    const response = EXAMPLE_RESPONSES[path]();
    expect(expectOk(validateResponse(path, response))).toEqual(response);
    expectFailure(validateResponse(path, { ...response, result: undefined }), 'result', /^is required/);
    // F/U answers carry only result
    expect(expectOk(validateResponse(path, { result: exampleResult('PROCESS_FAIL', 'F') }))).toEqual({ result: exampleResult('PROCESS_FAIL', 'F') });
    expectFailure(validateResponse(path, { result: { resultCode: 'X', resultStatus: 'Z' } }), 'result.resultStatus', 'must be one of S, F, U, got "Z"');
  });

  it.each(ENDPOINT_PATHS)('%s: a body that is not an object is refused', (path) => {
    expectFailure(validateRequest(path, ['x']), '(body)', 'must be a JSON object, got an array');
    expectFailure(validateRequest(path, 'x'), '(body)', 'must be a JSON object, got "x"');
  });
});

describe('payments/pay dispatch by productCode', () => {
  it('picks the schema in any letter case and normalises the code', () => {
    for (const [spelling, code] of [
      ['cashier_payment', 'CASHIER_PAYMENT'],
      ['Agreement_Payment', 'AGREEMENT_PAYMENT'],
      ['IN_STORE_PAYMENT', 'IN_STORE_PAYMENT'],
    ] as const) {
      const selection = selectPayRequestSchema({ productCode: spelling });
      expect(selection).toEqual({ ok: true, productCode: code, schema: PAY_REQUEST_SCHEMAS[code] });
      expect(productCodeOf(spelling)).toBe(code);
    }
    const value = expectOk(validate(PayRequestSchema, { ...exampleCashierPay(), productCode: 'Cashier_Payment' }));
    expect(value.productCode).toBe('CASHIER_PAYMENT');
  });

  it('reports a missing or unknown productCode', () => {
    const missing = { ...exampleCashierPay(), productCode: undefined };
    expectFailure(selectPayRequestSchema(missing), 'productCode', /^is required \(one of CASHIER_PAYMENT, AGREEMENT_PAYMENT, IN_STORE_PAYMENT/);
    expectFailure(validate(PayRequestSchema, missing), 'productCode', /^is required \(one of CASHIER_PAYMENT, AGREEMENT_PAYMENT, IN_STORE_PAYMENT/);
    expectFailure(validate(PayRequestSchema, { ...exampleCashierPay(), productCode: null }), 'productCode', /^is required/);
    expectFailure(selectPayRequestSchema({ productCode: 'SUBSCRIPTION' }), 'productCode', /^must be one of .*, got "SUBSCRIPTION"$/);
    expectFailure(validate(PayRequestSchema, { ...exampleCashierPay(), productCode: 'SUBSCRIPTION' }), 'productCode', /got "SUBSCRIPTION"$/);
    expectFailure(selectPayRequestSchema({ productCode: 7 }), 'productCode', /got 7$/);
    expectFailure(selectPayRequestSchema(null), '(body)', 'must be a JSON object, got null');
    expectFailure(validate(PayRequestSchema, 5), '(body)', 'must be a JSON object, got 5');
  });

  it('validates against the chosen variant (agreement needs the access token)', () => {
    const body = exampleAgreementPay();
    expectOk(validate(PayRequestSchema, body));
    expectFailure(validate(PayRequestSchema, { ...body, paymentMethod: { paymentMethodType: 'GCASH' } }), 'paymentMethod.paymentMethodId', /^is required/);
    // the same body as a cashier payment lacks env and the redirect URL
    expectFailure(validate(PayRequestSchema, { ...body, productCode: 'CASHIER_PAYMENT' }), 'env', 'is required (an object)');
    expectFailure(validate(PayRequestSchema, { ...body, productCode: 'CASHIER_PAYMENT', env: { terminalType: 'WEB' } }), 'paymentRedirectUrl', /^is required \(an absolute URL/);
  });

  it('narrows the static type on productCode', () => {
    const value: PayRequest = expectOk(validate(PayRequestSchema, exampleInStorePay()));
    if (value.productCode === 'IN_STORE_PAYMENT') {
      expect(value.paymentNotifyUrl).toBe('https://merchant.example/notify');
    } else {
      throw new Error('expected in-store');
    }
  });
});

describe('cashier pay', () => {
  it('normalises what SDKs send', () => {
    const body = {
      ...exampleCashierPay(),
      paymentRequestId: 12345,
      paymentAmount: { currency: 'USD', value: 100 },
      paymentFactor: { isAuthorization: 'true', captureMode: 'MANUAL' },
      env: { terminalType: 'WAP', osType: 'ANDROID', timeZoneOffset: '-480', browserInfo: { javaEnabled: 'false' } },
      order: { ...exampleOrder(), goods: [{ goodsName: 'Beans', goodsQuantity: 2, goodsUnitAmount: { currency: 'USD', value: 50 } }], shipping: null },
      paymentNotifyUrl: null,
      somethingNew: { a: 1 },
    };
    const value = expectOk(validate(PayCashierRequestSchema, body));
    expect(value.paymentRequestId).toBe('12345');
    expect(value.paymentAmount).toEqual({ currency: 'USD', value: '100' });
    expect(value.paymentFactor).toEqual({ isAuthorization: true, captureMode: 'MANUAL' });
    expect(value.env).toEqual({ terminalType: 'WAP', osType: 'ANDROID', timeZoneOffset: -480, browserInfo: { javaEnabled: false } });
    expect(value.order.goods).toEqual([{ goodsName: 'Beans', goodsQuantity: '2', goodsUnitAmount: { currency: 'USD', value: '50' } }]);
    expect('shipping' in value.order).toBe(false);
    expect('paymentNotifyUrl' in value).toBe(false);
    expect('somethingNew' in value).toBe(false);
  });

  it('names nested fields in errors', () => {
    const base = exampleCashierPay();
    expectFailure(validate(PayCashierRequestSchema, { ...base, order: { ...exampleOrder(), referenceOrderId: undefined } }), 'order.referenceOrderId', /^is required/);
    expectFailure(validate(PayCashierRequestSchema, { ...base, paymentRequestId: 'x'.repeat(65) }), 'paymentRequestId', 'must be at most 64 characters, got 65');
    expectFailure(
      validate(PayCashierRequestSchema, { ...base, order: { ...exampleOrder(), orderDescription: '咖啡'.repeat(128) + '豆' } }),
      'order.orderDescription',
      'must be at most 256 characters, got 257',
    );
    expect(expectOk(validate(PayCashierRequestSchema, { ...base, order: { ...exampleOrder(), orderDescription: '咖啡'.repeat(128) } })).order.orderDescription).toHaveLength(256);
    const goods = Array.from({ length: 5 }, (_, i) => ({ goodsName: i === 3 ? 'g'.repeat(257) : 'g' }));
    expectFailure(validate(PayCashierRequestSchema, { ...base, order: { ...exampleOrder(), goods } }), 'order.goods[3].goodsName', 'must be at most 256 characters, got 257');
    const many = Array.from({ length: 101 }, () => ({ goodsName: 'g' }));
    expectFailure(validate(PayCashierRequestSchema, { ...base, order: { ...exampleOrder(), goods: many } }), 'order.goods', 'must have at most 100 items, got 101');
    expectFailure(validate(PayCashierRequestSchema, { ...base, env: { terminalType: 'TV' } }), 'env.terminalType', 'must be one of WEB, WAP, APP, MINI_APP, got "TV"');
    expectFailure(validate(PayCashierRequestSchema, { ...base, env: {} }), 'env.terminalType', /^is required/);
    expectFailure(validate(PayCashierRequestSchema, { ...base, paymentAmount: { currency: 'XYZ', value: '1' } }), 'paymentAmount.currency', /got "XYZ"/);
    expectFailure(validate(PayCashierRequestSchema, { ...base, paymentRedirectUrl: '/relative' }), 'paymentRedirectUrl', /absolute URL/);
    expectFailure(validate(PayCashierRequestSchema, { ...base, paymentNotifyUrl: 'myapp://x' }), 'paymentNotifyUrl', /http or https/);
  });

  it('applies the conditional rules: osType for WAP/APP, paymentFactor for CARD, appId for MINI_APP', () => {
    const base = exampleCashierPay();
    expectFailure(validate(PayCashierRequestSchema, { ...base, env: { terminalType: 'APP' } }), 'env.osType', 'is required when terminalType is WAP or APP');
    expectFailure(
      validate(PayCashierRequestSchema, { ...base, paymentMethod: { paymentMethodType: 'CARD' } }),
      'paymentFactor',
      'is required when paymentMethod.paymentMethodType is CARD',
    );
    expectOk(validate(PayCashierRequestSchema, { ...base, paymentMethod: { paymentMethodType: 'CARD' }, paymentFactor: { isAuthorization: true } }));
    expectFailure(validate(PayCashierRequestSchema, { ...base, env: { terminalType: 'MINI_APP' } }), 'appId', 'is required when env.terminalType is MINI_APP');
    expectOk(validate(PayCashierRequestSchema, { ...base, env: { terminalType: 'MINI_APP' }, appId: 'app-1' }));
  });
});

describe('in-store pay', () => {
  it('accepts the PAYMENTCODE spelling and normalises it', () => {
    const body = { ...exampleInStorePay(), paymentFactor: { inStorePaymentScenario: 'PAYMENTCODE' } };
    const value = expectOk(validate(PayInStoreRequestSchema, body));
    expect(value.paymentFactor?.inStorePaymentScenario).toBe('PaymentCode');
    expect(inStoreScenarioOf(value)).toBe('PaymentCode');
    expect(body.paymentFactor.inStorePaymentScenario).toBe('PAYMENTCODE'); // input untouched
  });

  it('infers User-presented mode from a payment code when the factor is absent', () => {
    const { paymentFactor: _factor, ...body } = exampleInStorePay();
    const value = expectOk(validate(PayInStoreRequestSchema, body));
    expect(inStoreScenarioOf(value)).toBe('PaymentCode');
  });

  it('requires what each mode needs', () => {
    const base = exampleInStorePay();
    expectFailure(validate(PayInStoreRequestSchema, { ...base, paymentNotifyUrl: undefined }), 'paymentNotifyUrl', /^is required/);
    expectFailure(
      validate(PayInStoreRequestSchema, { ...base, paymentMethod: { paymentMethodType: 'CONNECT_WALLET' } }),
      'paymentMethod.paymentMethodId',
      /^is required for inStorePaymentScenario PaymentCode/,
    );
    expectFailure(
      validate(PayInStoreRequestSchema, { ...base, paymentFactor: undefined, paymentMethod: { paymentMethodType: 'CONNECT_WALLET' } }),
      'paymentFactor.inStorePaymentScenario',
      /^is required when paymentMethod.paymentMethodId/,
    );
    const orderCode = { ...base, paymentFactor: { inStorePaymentScenario: 'ordercode' }, paymentMethod: { paymentMethodType: 'CONNECT_WALLET' } };
    expect(inStoreScenarioOf(expectOk(validate(PayInStoreRequestSchema, orderCode)))).toBe('OrderCode');
    const entryCode = { ...orderCode, paymentFactor: { inStorePaymentScenario: 'EntryCode' } };
    expectFailure(validate(PayInStoreRequestSchema, entryCode), 'order.env.userAgent', /^is required for inStorePaymentScenario EntryCode/);
    expectOk(validate(PayInStoreRequestSchema, { ...entryCode, order: { ...exampleOrder(), env: { userAgent: 'Mozilla/5.0 AlipayConnect' } } }));
    expectFailure(validate(PayInStoreRequestSchema, { ...base, paymentFactor: { inStorePaymentScenario: 'QRCode' } }), 'paymentFactor.inStorePaymentScenario', /any letter case/);
  });

  it('offers the strict merchant check separately', () => {
    const value = expectOk(validate(PayInStoreRequestSchema, exampleInStorePay()));
    expect(checkInStoreMerchant(value)).toMatchObject({ ok: false, field: 'order.merchant' });
    const withMerchant = expectOk(
      validate(PayInStoreRequestSchema, {
        ...exampleInStorePay(),
        order: { ...exampleOrder(), merchant: { referenceMerchantId: 'm1', merchantMCC: '5411', merchantName: 'Shop', store: { referenceStoreId: 's1', storeName: 'Main' } } },
      }),
    );
    expect(checkInStoreMerchant(withMerchant)).toMatchObject({ field: 'order.merchant.store.storeMCC' });
  });
});

describe('one-of and conditional requests', () => {
  it('inquiryPayment / cancel / inquiryRefund need one of the two ids', () => {
    expectFailure(validateRequest('payments/inquiryPayment', {}), 'paymentId', 'is required: give paymentId or paymentRequestId');
    expectFailure(validateRequest('payments/cancel', { merchantAccountId: 'm' }), 'paymentId', 'is required: give paymentId or paymentRequestId');
    expectFailure(validateRequest('payments/inquiryRefund', { refundId: null }), 'refundId', 'is required: give refundId or refundRequestId');
    expect(expectOk(validateRequest('payments/inquiryPayment', { paymentRequestId: 42 }))).toEqual({ paymentRequestId: '42' });
    expectFailure(validateRequest('payments/inquiryPayment', { paymentId: '' }), 'paymentId', 'must not be empty');
  });

  it('applyToken needs the credential that matches grantType', () => {
    expectFailure(validateRequest('authorizations/applyToken', { grantType: 'REFRESH_TOKEN', customerBelongsTo: 'GCASH' }), 'refreshToken', 'is required when grantType is REFRESH_TOKEN');
    expectFailure(validateRequest('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH' }), 'authCode', 'is required when grantType is AUTHORIZATION_CODE');
    expectFailure(validateRequest('authorizations/applyToken', { grantType: 'authorization_code', customerBelongsTo: 'GCASH', authCode: 'c' }), 'grantType', /^must be one of/);
  });

  it('authorizations/consult: scopes between 1 and 4, osType for apps', () => {
    const base = EXAMPLE_REQUESTS['authorizations/consult']();
    expectFailure(validateRequest('authorizations/consult', { ...base, scopes: [] }), 'scopes', 'must have at least 1 item, got 0');
    expectFailure(validateRequest('authorizations/consult', { ...base, scopes: ['USER_INFO', 'AGREEMENT_PAY', 'BASE_USER_INFO', 'SEND_OTP', 'USER_LOGIN_ID'] }), 'scopes', 'must have at most 4 items, got 5');
    expectFailure(validateRequest('authorizations/consult', { ...base, scopes: ['AGREEMENT_PAY', 'ALL'] }), 'scopes[1]', /^must be one of BASE_USER_INFO/);
    expectFailure(validateRequest('authorizations/consult', { ...base, terminalType: 'MINI_APP' }), 'osType', 'is required when terminalType is APP, WAP or MINI_APP');
    expectFailure(validateRequest('authorizations/consult', { ...base, authState: 's'.repeat(257) }), 'authState', 'must be at most 256 characters, got 257');
  });

  it('refund and capture: amounts, lengths, booleans', () => {
    const refund = EXAMPLE_REQUESTS['payments/refund']();
    expect(expectOk(validateRequest('payments/refund', { ...refund, isAsyncRefund: 'TRUE', refundAmount: { currency: 'JPY', value: 500 } }))).toMatchObject({
      isAsyncRefund: true,
      refundAmount: { currency: 'JPY', value: '500' },
    });
    expectFailure(validateRequest('payments/refund', { ...refund, refundReason: 'r'.repeat(257) }), 'refundReason', 'must be at most 256 characters, got 257');
    expectFailure(validateRequest('payments/refund', { ...refund, refundNotifyUrl: `https://x.example/${'a'.repeat(1024)}` }), 'refundNotifyUrl', /at most 1024 characters/);
    const capture = EXAMPLE_REQUESTS['payments/capture']();
    expect(expectOk(validateRequest('payments/capture', { ...capture, isLastCapture: 'false' })).isLastCapture).toBe(false);
    expectFailure(validateRequest('payments/capture', { ...capture, captureAmount: { currency: 'USD', value: '-1' } }), 'captureAmount.value', /got "-1"/);
  });

  it('consult and createPaymentSession', () => {
    const consult = EXAMPLE_REQUESTS['payments/consult']();
    expectFailure(validateRequest('payments/consult', { ...consult, productCode: 'IN_STORE_PAYMENT' }), 'productCode', /^must be one of CASHIER_PAYMENT, AGREEMENT_PAYMENT/);
    expectFailure(validateRequest('payments/consult', { ...consult, env: undefined }), 'env', /^is required/);
    expectFailure(validateRequest('payments/consult', { ...consult, allowedPaymentMethodRegions: ['US', 'GLOBALX'] }), 'allowedPaymentMethodRegions[1]', 'must be at most 6 characters, got 7');
    const session = EXAMPLE_REQUESTS['payments/createPaymentSession']();
    expect(expectOk(validateRequest('payments/createPaymentSession', { ...session, productCode: 'cashier_payment' })).productCode).toBe('CASHIER_PAYMENT');
    expectFailure(validateRequest('payments/createPaymentSession', { ...session, locale: 'en_US_POSIX' }), 'locale', 'must be at most 8 characters, got 11');
  });
});

describe('notifications', () => {
  it('has a schema per kind and maps event types to kinds', () => {
    expect(NOTIFICATIONS.notifyPayment.schema).toBe(NotifyPaymentBodySchema);
    expect(NOTIFICATIONS.notifyPaymentInStore.schema).toBe(NotifyPaymentInStoreBodySchema);
    expect(NOTIFICATIONS.notifyRefund.schema).toBe(NotifyRefundBodySchema);
    expect(NOTIFICATIONS.notifyCapture.schema).toBe(NotifyCaptureBodySchema);
    expect(NOTIFICATIONS.notifyAuthorization.schema).toBe(NotifyAuthorizationBodySchema);
    expect(notificationKindOf(exampleNotifyPayment())).toBe('notifyPayment');
    expect(notificationKindOf({ notifyType: 'OFFLINE_PAYMENT_CODE' })).toBe('notifyPaymentInStore');
    expect(notificationKindOf({ notifyType: 'REFUND_RESULT' })).toBe('notifyRefund');
    expect(notificationKindOf({ authorizationNotifyType: 'TOKEN_CANCELED' })).toBe('notifyAuthorization');
    expect(notificationKindOf({ notifyType: 'DISPUTE_CREATED' })).toBeUndefined();
    expect(notificationKindOf({ notifyType: 'toString' })).toBeUndefined();
    expect(notificationKindOf('PAYMENT_RESULT')).toBeUndefined();
  });

  it('notifyPayment: required fields and PAYMENT_PENDING', () => {
    expectOk(validate(NotifyPaymentBodySchema, exampleNotifyPayment()));
    expectOk(validate(NotifyPaymentBodySchema, { ...exampleNotifyPayment(), notifyType: 'PAYMENT_PENDING' }));
    expectFailure(validate(NotifyPaymentBodySchema, { ...exampleNotifyPayment(), paymentCreateTime: undefined }), 'paymentCreateTime', /^is required/);
    expectFailure(validate(NotifyPaymentBodySchema, { ...exampleNotifyPayment(), notifyType: 'OFFLINE_PAYMENT_CODE' }), 'notifyType', /^must be one of PAYMENT_RESULT, PAYMENT_PENDING/);
    expectFailure(validate(NotifyPaymentBodySchema, { ...exampleNotifyPayment(), result: { resultCode: 'SUCCESS' } }), 'result.resultStatus', /^is required/);
  });

  it('in-store notifyPayment: OFFLINE_PAYMENT_CODE accepted, no PAYMENT_PENDING, paymentCreateTime optional', () => {
    const { paymentCreateTime: _t, ...body } = exampleNotifyPayment();
    expectOk(validate(NotifyPaymentInStoreBodySchema, body));
    expectOk(validate(NotifyPaymentInStoreBodySchema, { ...body, notifyType: 'OFFLINE_PAYMENT_CODE' }));
    expectFailure(validate(NotifyPaymentInStoreBodySchema, { ...body, notifyType: 'PAYMENT_PENDING' }), 'notifyType', /^must be one of PAYMENT_RESULT, OFFLINE_PAYMENT_CODE/);
  });

  it('notifyRefund, notifyCapture, notifyAuthorization', () => {
    const refund = { notifyType: 'REFUND_RESULT', result: exampleResult(), refundStatus: 'SUCCESS', refundRequestId: 'r-1', refundId: 'rf-1', refundAmount: { currency: 'USD', value: '5' } };
    expectOk(validate(NotifyRefundBodySchema, refund));
    expectFailure(validate(NotifyRefundBodySchema, { ...refund, refundStatus: 'PROCESSING' }), 'refundStatus', 'must be one of SUCCESS, FAIL, got "PROCESSING"');
    const capture = { notifyType: 'CAPTURE_RESULT', result: exampleResult(), captureRequestId: 'c-1', paymentId: 'p-1', captureId: 'cp-1', captureAmount: { currency: 'USD', value: '5' } };
    expectOk(validate(NotifyCaptureBodySchema, capture));
    expectFailure(validate(NotifyCaptureBodySchema, { ...capture, captureId: undefined }), 'captureId', /^is required/);
    expectOk(validate(NotifyAuthorizationBodySchema, { authorizationNotifyType: 'AUTHCODE_CREATED', authCode: 'code', authState: 'st' }));
    expectFailure(validate(NotifyAuthorizationBodySchema, { authCode: 'code' }), 'authorizationNotifyType', /^is required/);
  });

  it('the merchant acknowledgement', () => {
    expectOk(validate(NotificationAckSchema, { result: exampleResult() }));
    expectFailure(validate(NotificationAckSchema, {}), 'result', /^is required/);
  });
});

describe('in-store inquiryPayment response', () => {
  it('has no PENDING status', () => {
    expectOk(validate(InquiryPaymentInStoreResponseSchema, { result: exampleResult(), paymentStatus: 'CANCELLED' }));
    expectFailure(validate(InquiryPaymentInStoreResponseSchema, { result: exampleResult(), paymentStatus: 'PENDING' }), 'paymentStatus', /^must be one of SUCCESS, FAIL, PROCESSING, CANCELLED, got "PENDING"$/);
    expectOk(validateResponse('payments/inquiryPayment', { result: exampleResult(), paymentStatus: 'PENDING' }));
  });
});

describe('agreement pay example', () => {
  it('is valid for its own schema only', () => {
    expectOk(validate(PayAgreementRequestSchema, exampleAgreementPay()));
    expectFailure(validate(PayAgreementRequestSchema, exampleCashierPay()), 'productCode', /^must be AGREEMENT_PAYMENT \(any letter case\), got "CASHIER_PAYMENT"$/);
  });
});
