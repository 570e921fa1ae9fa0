/** The marketplace endpoints, bound to the registration and funds services (one module each, in this folder). */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { FundsService } from '../funds-service.js';
import type { SubMerchantService } from '../sub-merchant-service.js';
import { createPayoutEndpoint, createTransferEndpoint } from './transfers.js';
import { inquireBalanceEndpoint } from './inquire-balance.js';
import { registerEndpoint } from './register.js';
import { settleEndpoint } from './settle.js';
import { settlementInfoUpdateEndpoint } from './settlement-info-update.js';
import { submitAttachmentEndpoint } from './submit-attachment.js';

export function marketplaceEndpoints(services: { subMerchants: SubMerchantService; funds: FundsService }) {
  return {
    'business/attachment/submitAttachment': submitAttachmentEndpoint(services.subMerchants),
    'merchants/register': registerEndpoint(services.subMerchants),
    'merchants/settlementInfo/update': settlementInfoUpdateEndpoint(services.subMerchants),
    'accounts/inquireBalance': inquireBalanceEndpoint(services.funds),
    'payments/settle': settleEndpoint(services.funds),
    'funds/createPayout': createPayoutEndpoint(services.funds),
    'funds/createTransfer': createTransferEndpoint(services.funds),
  } satisfies Partial<EndpointModules>;
}
