import type { CreateAgreementSessionRequest } from '@amsgate/protocol';
import { keyedEndpointModule, type EndpointModule, type KeyedHandlerContext } from '../../../endpoints/contract.js';
import type { Fingerprint } from '../../../endpoints/idempotency.js';
import type { ResponseBody } from '../answers.js';
import { cashierPayFingerprint, PAY_SCOPE } from '../pay-fingerprint.js';
import { sessionPaymentMethod, type PaymentSessionService } from '../payment-session-service.js';

/** Auto Debit sessions (`AGREEMENT_PAYMENT`): the buyer authorises on the session's page (the Auto Debit product implements it). */
export interface AgreementSessions {
  create(context: KeyedHandlerContext, request: CreateAgreementSessionRequest): Promise<ResponseBody>;
}

/** The key space of Auto Debit sessions: keyed by `agreementInfo.authState`, the merchant's id of the authorisation request. */
export const AGREEMENT_SESSION_SCOPE = 'agreement-session';

function agreementSessionFingerprint(request: CreateAgreementSessionRequest): Fingerprint {
  return {
    productCode: request.productCode,
    'paymentMethod.paymentMethodType': request.paymentMethod.paymentMethodType,
    paymentRedirectUrl: request.paymentRedirectUrl,
    scopes: [...new Set(request.scopes ?? [])].sort().join(','),
  };
}

/**
 * A cashier session makes a cashier payment: same key space and key fields
 * as `pay`, so one paymentRequestId is one payment. An Auto Debit session
 * has no paymentRequestId: it is keyed by its `agreementInfo.authState`.
 */
export function createPaymentSessionEndpoint(sessions: PaymentSessionService, agreementSessions: AgreementSessions): EndpointModule<'payments/createPaymentSession'> {
  return keyedEndpointModule({
    path: 'payments/createPaymentSession',
    idempotency: {
      scope: PAY_SCOPE,
      keyOf: (request) => request.productCode === 'AGREEMENT_PAYMENT'
        ? { scope: AGREEMENT_SESSION_SCOPE, idName: 'agreementInfo.authState', requestId: request.agreementInfo.authState }
        : undefined,
      fingerprint: (request) => request.productCode === 'AGREEMENT_PAYMENT'
        ? agreementSessionFingerprint(request)
        : cashierPayFingerprint({
          productCode: 'CASHIER_PAYMENT',
          paymentAmount: request.paymentAmount,
          paymentMethod: sessionPaymentMethod(request),
          paymentFactor: request.paymentFactor,
        }),
    },
    handle: (context, request) => (request.productCode === 'AGREEMENT_PAYMENT' ? agreementSessions.create(context, request) : sessions.create(context, request)),
  });
}
