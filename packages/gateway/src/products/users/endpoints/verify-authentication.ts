import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { UserService } from '../users-service.js';

export function verifyAuthenticationEndpoint(users: UserService): EndpointModule<'users/verifyAuthentication'> {
  return endpointModule({ path: 'users/verifyAuthentication', handle: (context, request) => users.verifyAuthentication(context.clientId, request) });
}
