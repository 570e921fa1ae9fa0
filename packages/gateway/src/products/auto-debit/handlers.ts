/** The Auto Debit endpoints, bound to the service; `payments/pay` AGREEMENT_PAYMENT goes through `payHandlers`. */
import type { ApplyTokenRequest, AuthConsultRequest, RevokeRequest } from '@amsgate/protocol';
import type { EndpointHandlers } from '../../edge/ams-pipeline.js';
import type { AutoDebitService } from './auto-debit-service.js';

export function autoDebitHandlers(service: AutoDebitService): EndpointHandlers {
  return {
    'authorizations/consult': (context, request: AuthConsultRequest) => service.consult(context.clientId, request),
    'authorizations/applyToken': (context, request: ApplyTokenRequest) => service.applyToken(context.clientId, request),
    'authorizations/revoke': (context, request: RevokeRequest) => service.revoke(context.clientId, request),
  };
}
