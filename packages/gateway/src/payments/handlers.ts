/** The AMS endpoints this package implements, bound to the payment service. */
import { AmsError, type CancelRequest, type InquiryPaymentRequest, type PayRequest } from '@amsgate/protocol';
import type { EndpointHandlers } from '../http/ams-pipeline.js';
import type { PaymentService } from './payment-service.js';

export function payHandlers(payments: PaymentService): EndpointHandlers {
  return {
    'payments/pay': async (context, request: PayRequest) => {
      if (request.productCode !== 'CASHIER_PAYMENT') {
        throw new AmsError('INVALID_API', `productCode ${request.productCode} is not implemented by this amsgate version yet`);
      }
      return payments.pay(context.clientId, request, context.requestJson);
    },
    'payments/inquiryPayment': (context, request: InquiryPaymentRequest) => payments.inquiry(context.clientId, request),
    'payments/cancel': (context, request: CancelRequest) => payments.cancel(context.clientId, request),
  };
}
