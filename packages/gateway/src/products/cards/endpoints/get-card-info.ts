import { endpointModule, type EndpointModule } from '../../../endpoints/contract.js';
import { cardInfoAnswer } from '../card-info.js';

/** A card's facts from the sandbox test cards: read only. */
export function getCardInfoEndpoint(): EndpointModule<'payments/getCardInfo'> {
  return endpointModule({ path: 'payments/getCardInfo', handle: async (_context, request) => cardInfoAnswer(request) });
}
