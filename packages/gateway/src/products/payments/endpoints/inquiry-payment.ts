import type { WireAmount } from '@amsgate/protocol';
import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { PaymentService } from '../payment-service.js';

/** The total a payment has declared to customs so far; undefined before its first declaration. */
export type CustomsDeclarationOf = (clientId: string, paymentId: string) => Promise<WireAmount | undefined>;

export function inquiryPaymentEndpoint(payments: PaymentService, customsDeclarationOf?: CustomsDeclarationOf): EndpointModule<'payments/inquiryPayment'> {
  return endpointModule({
    path: 'payments/inquiryPayment',
    handle: async (context, request) => {
      const answer = await payments.inquiry(context.clientId, request);
      const paymentId = answer.paymentId;
      // Only a paid payment can have been declared: the lookup costs the inquiries of all others nothing.
      if (customsDeclarationOf === undefined || typeof paymentId !== 'string' || answer.paymentStatus !== 'SUCCESS') return answer;
      const declared = await customsDeclarationOf(context.clientId, paymentId);
      return declared === undefined ? answer : { ...answer, customsDeclarationAmount: declared };
    },
  });
}
