import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { initAuthenticationFingerprint, type UserService } from '../users-service.js';

export function initAuthenticationEndpoint(users: UserService): EndpointModule<'users/initAuthentication'> {
  return keyedEndpointModule({
    path: 'users/initAuthentication',
    idempotency: { scope: 'userAuthentication', fingerprint: initAuthenticationFingerprint },
    handle: (context, request) => users.initAuthentication(context, request),
  });
}
