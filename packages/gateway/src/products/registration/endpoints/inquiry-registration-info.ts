import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RegistrationService } from '../registration-service.js';

export function inquiryRegistrationInfoEndpoint(registrations: RegistrationService): EndpointModule<'merchants/inquiryRegistrationInfo'> {
  return endpointModule({ path: 'merchants/inquiryRegistrationInfo', handle: (context, request) => registrations.inquiryInfo(context.clientId, request) });
}
