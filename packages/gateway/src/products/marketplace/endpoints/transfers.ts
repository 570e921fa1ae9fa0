/** funds/createPayout and funds/createTransfer: each its own key space of transferRequestId. */
import type { CreatePayoutRequest } from '@amsgate/protocol';
import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { Fingerprint } from '../../../endpoints/idempotency.js';
import type { FundsService } from '../funds-service.js';

function transferKeyFields(request: CreatePayoutRequest): Fingerprint {
  return {
    'transferFromDetail.transferFromMethod.customerId': request.transferFromDetail.transferFromMethod.customerId ?? null,
    'transferFromDetail.transferFromAmount.currency': request.transferFromDetail.transferFromAmount.currency,
    'transferFromDetail.transferFromAmount.value': request.transferFromDetail.transferFromAmount.value,
    'transferToDetail.transferToMethod.paymentMethodType': request.transferToDetail.transferToMethod.paymentMethodType,
    'transferToDetail.transferToMethod.customerId': request.transferToDetail.transferToMethod.customerId ?? null,
    'transferToDetail.transferToCurrency': request.transferToDetail.transferToCurrency,
  };
}

export function createPayoutEndpoint(funds: FundsService): EndpointModule<'funds/createPayout'> {
  return keyedEndpointModule({
    path: 'funds/createPayout',
    idempotency: { scope: 'payout', fingerprint: transferKeyFields },
    handle: (context, request) => funds.createPayout(context, request),
  });
}

export function createTransferEndpoint(funds: FundsService): EndpointModule<'funds/createTransfer'> {
  return keyedEndpointModule({
    path: 'funds/createTransfer',
    idempotency: { scope: 'transfer', fingerprint: transferKeyFields },
    handle: (context, request) => funds.createTransfer(context, request),
  });
}
