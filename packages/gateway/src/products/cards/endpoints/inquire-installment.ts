import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { installmentBankAnswer } from '../card-info.js';

/** The installment BINs and plans of the sandbox test cards: read only, the same for every client. */
export function inquireInstallmentEndpoint(): EndpointModule<'payments/inquireInstallment'> {
  return endpointModule({ path: 'payments/inquireInstallment', handle: async () => installmentBankAnswer() });
}
