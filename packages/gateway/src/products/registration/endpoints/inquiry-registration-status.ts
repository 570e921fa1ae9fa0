import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RegistrationService } from '../registration-service.js';

export function inquiryRegistrationStatusEndpoint(registrations: RegistrationService): EndpointModule<'merchants/inquiryRegistrationStatus'> {
  return endpointModule({ path: 'merchants/inquiryRegistrationStatus', handle: (context, request) => registrations.inquiryStatus(context.clientId, request) });
}
