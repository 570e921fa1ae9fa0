import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { AutoDebitService } from '../auto-debit-service.js';

/** Not idempotent: an auth code is single-use (a resend is refused). */
export function applyTokenEndpoint(service: AutoDebitService): EndpointModule<'authorizations/applyToken'> {
  return endpointModule({ path: 'authorizations/applyToken', handle: (context, request) => service.applyToken(context.clientId, request) });
}
