/** The in-store device endpoints, bound to their service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { DeviceCertificateService } from '../device-certificate-service.js';
import { createDeviceCertificateEndpoint } from './create-device-certificate.js';

export function devicesEndpoints(services: { certificates: DeviceCertificateService }) {
  return {
    'payments/createDeviceCertificate': createDeviceCertificateEndpoint(services.certificates),
  } satisfies Partial<EndpointModules>;
}
