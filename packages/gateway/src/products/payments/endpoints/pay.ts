/**
 * `payments/pay`: one endpoint, one module per product behind it (chosen by
 * `productCode`), each with its own key fields in the shared `pay` key space.
 */
import { AmsError, type PayRequest } from '@amsgate/protocol';
import { keyedEndpointModule, type EndpointModule, type KeyedHandlerContext } from '../../../endpoints/contract.js';
import type { Fingerprint } from '../../../endpoints/idempotency.js';
import type { ResponseBody } from '../answers.js';
import { cashierPayFingerprint, PAY_SCOPE } from '../pay-fingerprint.js';
import type { PayTriggerHooks } from '../pay-triggers.js';
import type { PaymentService } from '../payment-service.js';

export type PayProductCode = PayRequest['productCode'];
export type PayRequestOf<C extends PayProductCode> = Extract<PayRequest, { productCode: C }>;

/** What a product contributes to `pay`: the fields its repeats must match, and the payment. */
export interface PayProduct<C extends PayProductCode> {
  readonly fingerprint: (request: PayRequestOf<C>) => Fingerprint;
  readonly pay: (context: KeyedHandlerContext, request: PayRequestOf<C>) => Promise<ResponseBody>;
}

/** Every product code the protocol knows has its product: a missing one does not compile. */
export type PayProducts = { readonly [C in PayProductCode]: PayProduct<C> };

/**
 * Cashier pay: the buyer pays on the checkout page, or, for a card named by
 * `paymentMethodId` (a token or nonce), `cardOnFile` charges it (vaults).
 */
export function cashierPayProduct(
  payments: PaymentService,
  cardOnFile?: { names: (request: PayRequestOf<'CASHIER_PAYMENT'>) => boolean; pay: PayProduct<'CASHIER_PAYMENT'>['pay'] },
): PayProduct<'CASHIER_PAYMENT'> {
  return {
    fingerprint: cashierPayFingerprint,
    pay: (context, request) => (cardOnFile?.names(request) ? cardOnFile.pay(context, request) : payments.pay(context, request)),
  };
}

/**
 * Why a payment cannot reference a tax calculation (unknown to the client,
 * expired, in another currency), or undefined when it can; a repeat of a
 * pay already made is answered as recorded whatever the calculation is now.
 */
export type TaxCalculationCheck = (clientId: string, request: { taxCalculationId: string; paymentRequestId: string; currency: string }) => Promise<string | undefined>;

export function payEndpoint(products: PayProducts, triggers: PayTriggerHooks | undefined, taxCalculationProblem?: TaxCalculationCheck): EndpointModule<'payments/pay'> {
  const productOf = <C extends PayProductCode>(request: PayRequestOf<C>): PayProduct<C> => products[request.productCode] as PayProduct<C>;
  return keyedEndpointModule({
    path: 'payments/pay',
    idempotency: { scope: PAY_SCOPE, fingerprint: (request) => productOf(request).fingerprint(request) },
    handle: async (context, request) => {
      // Markers are read on cashier payments; the other products refuse one rather than ignore it.
      if (request.productCode !== 'CASHIER_PAYMENT') triggers?.refuseMarker(request.order.referenceOrderId, request.productCode);
      if (request.taxCalculationId !== undefined && taxCalculationProblem !== undefined) {
        const problem = await taxCalculationProblem(context.clientId, { taxCalculationId: request.taxCalculationId, paymentRequestId: request.paymentRequestId, currency: request.paymentAmount.currency });
        if (problem !== undefined) throw AmsError.paramIllegal('taxCalculationId', problem);
      }
      return productOf(request).pay(context, request);
    },
  });
}
