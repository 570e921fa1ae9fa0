import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { RegistrationService } from '../registration-service.js';

export function registrationEndpoint(registrations: RegistrationService): EndpointModule<'merchants/registration'> {
  return keyedEndpointModule({
    path: 'merchants/registration',
    idempotency: {
      scope: 'merchantRegistration',
      fingerprint: (request) => ({
        'merchantInfo.referenceMerchantId': request.merchantInfo.referenceMerchantId,
        'storeInfo.referenceStoreId': request.storeInfo?.referenceStoreId ?? null,
        productCodes: [...new Set(request.productCodes)].sort().join(','),
      }),
    },
    handle: (context, request) => registrations.register(context, request),
  });
}
