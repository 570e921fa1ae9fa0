import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { ArrearService } from '../arrears.js';

/** Keyed by the payment in arrears (no request id): a repeat asks for the same collection again. */
export function syncArrearEndpoint(arrears: ArrearService): EndpointModule<'payments/syncArrear'> {
  return endpointModule({ path: 'payments/syncArrear', handle: (context, request) => arrears.sync(context.clientId, request) });
}
