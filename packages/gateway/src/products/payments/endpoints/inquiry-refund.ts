import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RefundService } from '../refund-service.js';

export function inquiryRefundEndpoint(refunds: RefundService): EndpointModule<'payments/inquiryRefund'> {
  return endpointModule({ path: 'payments/inquiryRefund', handle: (context, request) => refunds.inquiry(context.clientId, request) });
}
