/** The merchant registration endpoints (`merchants/registration`, `merchants/inquiryRegistrationStatus`, `merchants/inquiryRegistrationInfo`), bound to the registration service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { RegistrationService } from '../registration-service.js';
import { inquiryRegistrationInfoEndpoint } from './inquiry-registration-info.js';
import { inquiryRegistrationStatusEndpoint } from './inquiry-registration-status.js';
import { registrationEndpoint } from './registration.js';

export function registrationEndpoints(registrations: RegistrationService) {
  return {
    'merchants/registration': registrationEndpoint(registrations),
    'merchants/inquiryRegistrationStatus': inquiryRegistrationStatusEndpoint(registrations),
    'merchants/inquiryRegistrationInfo': inquiryRegistrationInfoEndpoint(registrations),
  } satisfies Partial<EndpointModules>;
}
