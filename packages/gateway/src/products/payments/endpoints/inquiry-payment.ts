import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { PaymentService } from '../payment-service.js';

export function inquiryPaymentEndpoint(payments: PaymentService): EndpointModule<'payments/inquiryPayment'> {
  return endpointModule({ path: 'payments/inquiryPayment', handle: (context, request) => payments.inquiry(context.clientId, request) });
}
