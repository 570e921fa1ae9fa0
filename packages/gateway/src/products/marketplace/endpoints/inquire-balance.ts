import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { FundsService } from '../funds-service.js';

export function inquireBalanceEndpoint(funds: FundsService): EndpointModule<'accounts/inquireBalance'> {
  return endpointModule({ path: 'accounts/inquireBalance', handle: (context, request) => funds.inquireBalance(context.clientId, request) });
}
