/** The customs endpoints (`customs/declare`, `customs/inquiryDeclarationRequests`), bound to the customs service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { CustomsService } from '../customs-service.js';
import { declareEndpoint } from './declare.js';
import { inquiryDeclarationRequestsEndpoint } from './inquiry-declaration-requests.js';

export function customsEndpoints(customs: CustomsService) {
  return {
    'customs/declare': declareEndpoint(customs),
    'customs/inquiryDeclarationRequests': inquiryDeclarationRequestsEndpoint(customs),
  } satisfies Partial<EndpointModules>;
}
