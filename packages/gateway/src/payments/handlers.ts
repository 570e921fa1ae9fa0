/** The AMS endpoints this package implements, bound to the payment, refund and capture services. */
import { AmsError, type CancelRequest, type CaptureRequest, type InquiryPaymentRequest, type InquiryRefundRequest, type PayRequest, type RefundRequest } from '@amsgate/protocol';
import type { EndpointHandlers } from '../http/ams-pipeline.js';
import type { CaptureService } from './capture-service.js';
import type { PaymentService } from './payment-service.js';
import type { RefundService } from './refund-service.js';

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

export function refundCaptureHandlers(refunds: RefundService, captures: CaptureService): EndpointHandlers {
  return {
    'payments/refund': (context, request: RefundRequest) => refunds.refund(context.clientId, request),
    'payments/inquiryRefund': (context, request: InquiryRefundRequest) => refunds.inquiry(context.clientId, request),
    'payments/capture': (context, request: CaptureRequest) => captures.capture(context.clientId, request),
  };
}
