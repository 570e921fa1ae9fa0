import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { UserService } from '../users-service.js';

export function inquiryUserInfoEndpoint(users: UserService): EndpointModule<'users/inquiryUserInfo'> {
  return endpointModule({ path: 'users/inquiryUserInfo', handle: (context, request) => users.inquiryUserInfo(context.clientId, request) });
}
