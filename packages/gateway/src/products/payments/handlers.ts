/** The AMS endpoints this package implements, bound to the payment, refund and capture services. */
import { AmsError, type CancelRequest, type CaptureRequest, type InquiryPaymentRequest, type InquiryRefundRequest, type PayRequest, type RefundRequest } from '@amsgate/protocol';
import type { EndpointHandlers, HandlerContext } from '../../edge/ams-pipeline.js';
import type { ResponseBody } from './answers.js';
import type { CaptureService } from './capture-service.js';
import type { PaymentService } from './payment-service.js';
import type { RefundService } from './refund-service.js';
import { refuseSandboxMarker } from '../../sandbox/triggers.js';

/** `payments/pay` for one product code (the request already validated against that product's schema). */
export type ProductPayHandler<R extends PayRequest = PayRequest> = (context: HandlerContext, request: R) => Promise<ResponseBody>;

/** The products other than cashier payments, each from its own service; absent ones answer INVALID_API. */
export interface ProductPayHandlers {
  AGREEMENT_PAYMENT?: ProductPayHandler<Extract<PayRequest, { productCode: 'AGREEMENT_PAYMENT' }>>;
  IN_STORE_PAYMENT?: ProductPayHandler<Extract<PayRequest, { productCode: 'IN_STORE_PAYMENT' }>>;
}

/** `sandboxTriggers`: sandbox mode, where a marker in `order.referenceOrderId` means something (cashier) or is refused (other products). */
export function payHandlers(payments: PaymentService, products: ProductPayHandlers = {}, options: { sandboxTriggers?: boolean } = {}): EndpointHandlers {
  return {
    'payments/pay': async (context, request: PayRequest) => {
      if (options.sandboxTriggers && request.productCode !== 'CASHIER_PAYMENT') refuseSandboxMarker(request.order.referenceOrderId, request.productCode);
      switch (request.productCode) {
        case 'CASHIER_PAYMENT':
          return payments.pay(context.clientId, request, context.requestJson);
        case 'AGREEMENT_PAYMENT':
          if (products.AGREEMENT_PAYMENT) return products.AGREEMENT_PAYMENT(context, request);
          break;
        case 'IN_STORE_PAYMENT':
          if (products.IN_STORE_PAYMENT) return products.IN_STORE_PAYMENT(context, request);
          break;
      }
      throw new AmsError('INVALID_API', `productCode ${request.productCode} is not implemented by this amsgate version yet`);
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
