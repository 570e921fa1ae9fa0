import { createHash } from 'node:crypto';
import { keyedEndpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import type { SubMerchantService } from '../sub-merchant-service.js';

export function settlementInfoUpdateEndpoint(registrations: SubMerchantService): EndpointModule<'merchants/settlementInfo/update'> {
  return keyedEndpointModule({
    path: 'merchants/settlementInfo/update',
    idempotency: {
      scope: 'settlementInfoUpdate',
      fingerprint: (request) => ({
        referenceMerchantId: request.referenceMerchantId,
        settlementCurrency: request.settlementCurrency,
        // A digest: the idempotency store keeps fingerprints, and an account number is not kept in clear.
        'settlementBankAccount.bankAccountNo': createHash('sha256').update(request.settlementBankAccount.bankAccountNo).digest('base64url'),
      }),
    },
    handle: (context, request) => registrations.updateSettlementInfo(context, request),
  });
}
