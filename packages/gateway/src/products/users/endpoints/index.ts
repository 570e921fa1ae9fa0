/** The user endpoints (`users/initAuthentication`, `users/verifyAuthentication`, `users/inquiryUserInfo`), bound to the user service. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { UserService } from '../users-service.js';
import { initAuthenticationEndpoint } from './init-authentication.js';
import { inquiryUserInfoEndpoint } from './inquiry-user-info.js';
import { verifyAuthenticationEndpoint } from './verify-authentication.js';

export function userEndpoints(users: UserService) {
  return {
    'users/initAuthentication': initAuthenticationEndpoint(users),
    'users/verifyAuthentication': verifyAuthenticationEndpoint(users),
    'users/inquiryUserInfo': inquiryUserInfoEndpoint(users),
  } satisfies Partial<EndpointModules>;
}
