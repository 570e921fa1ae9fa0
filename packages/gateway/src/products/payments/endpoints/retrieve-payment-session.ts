/**
 * `payments/retrievePaymentSession`: what a session recorded (its order),
 * looked up by `paymentSessionId` (which wins) or `paymentRequestId`, for
 * the client's own cashier payments. The sandbox grants no promotions, so
 * none are answered. Served also at the doubled-slash path the SDKs send
 * (the protocol definition's `sdkRequestPaths`).
 */
import { AmsError, SUCCESS_RESULT, type RetrievePaymentSessionRequest, type RetrievePaymentSessionResponse } from '@amsgate/protocol';
import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { PaymentService } from '../payment-service.js';
import type { PaymentLookup } from '../payments-repository.js';

/** A session id is its payment's id with `SES` for `PAY` (createPaymentSession). */
const SESSION_ID = /^SES([0-9A-Z]{26})$/;

export function retrievePaymentSessionEndpoint(payments: PaymentService): EndpointModule<'payments/retrievePaymentSession'> {
  return endpointModule({
    path: 'payments/retrievePaymentSession',
    handle: async (context, request) => {
      const lookup = lookupOf(request);
      const found = lookup && (await payments.findRecorded(context.clientId, lookup));
      if (!found || found.payment.productCode !== 'CASHIER_PAYMENT') throw new AmsError('ORDER_NOT_EXIST', notFoundMessage(request));
      // The request that made the payment, as validated: its order has the schema's shape.
      const recorded = found.requestJson === undefined ? {} : (JSON.parse(found.requestJson) as Pick<RetrievePaymentSessionResponse, 'order'>);
      return { result: { ...SUCCESS_RESULT }, ...(recorded.order !== undefined ? { order: recorded.order } : {}) };
    },
  });
}

function lookupOf(request: RetrievePaymentSessionRequest): PaymentLookup | undefined {
  if (request.paymentSessionId !== undefined) {
    const match = SESSION_ID.exec(request.paymentSessionId);
    return match ? { paymentId: `PAY${match[1]}` } : undefined;
  }
  return request.paymentRequestId !== undefined ? { paymentRequestId: request.paymentRequestId } : undefined;
}

function notFoundMessage(request: RetrievePaymentSessionRequest): string {
  return request.paymentSessionId !== undefined
    ? `No payment session with paymentSessionId ${request.paymentSessionId}`
    : `No payment session with paymentRequestId ${request.paymentRequestId}`;
}
