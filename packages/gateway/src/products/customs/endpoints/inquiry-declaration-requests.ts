import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { CustomsService } from '../customs-service.js';

export function inquiryDeclarationRequestsEndpoint(customs: CustomsService): EndpointModule<'customs/inquiryDeclarationRequests'> {
  return endpointModule({ path: 'customs/inquiryDeclarationRequests', handle: (context, request) => customs.inquire(context.clientId, request) });
}
