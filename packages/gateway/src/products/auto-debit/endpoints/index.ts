/** Auto Debit's endpoints (`authorizations/*`); its payments go through `payments/pay` (`agreement-pay.ts`). */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { AutoDebitService } from '../auto-debit-service.js';
import { applyTokenEndpoint } from './apply-token.js';
import { authConsultEndpoint } from './consult.js';
import { queryTokenEndpoint } from './query.js';
import { revokeEndpoint } from './revoke.js';

export function autoDebitEndpoints(service: AutoDebitService) {
  return {
    'authorizations/consult': authConsultEndpoint(service),
    'authorizations/applyToken': applyTokenEndpoint(service),
    'authorizations/revoke': revokeEndpoint(service),
    'authorizations/query': queryTokenEndpoint(service),
  } satisfies Partial<EndpointModules>;
}
