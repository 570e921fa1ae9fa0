import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { canonicalDeviceKey, deviceKeyOf } from '../device-certificate.js';
import type { DeviceCertificateService } from '../device-certificate-service.js';

/** Keyed by deviceRequestId per client: the same key again answers the certificate issued, another key is REPEAT_REQ_INCONSISTENT. */
export function createDeviceCertificateEndpoint(certificates: DeviceCertificateService): EndpointModule<'payments/createDeviceCertificate'> {
  return keyedEndpointModule({
    path: 'payments/createDeviceCertificate',
    idempotency: {
      scope: 'deviceCertificate',
      // The key as SPKI: the same key sent as PEM or as base64 DER is the same request.
      fingerprint: (request) => ({ devicePublicKey: canonicalDeviceKey(deviceKeyOf(request.devicePublicKey)) }),
    },
    handle: (context, request) => certificates.create(context, request),
  });
}
