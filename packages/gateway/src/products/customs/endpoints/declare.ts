import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { CustomsService } from '../customs-service.js';

export function declareEndpoint(customs: CustomsService): EndpointModule<'customs/declare'> {
  return keyedEndpointModule({
    path: 'customs/declare',
    idempotency: { scope: 'customs-declaration', fingerprint: (request) => CustomsService.fingerprintOf(request) },
    handle: (context, request) => customs.declare(context, request),
  });
}
