/**
 * The sandbox's risk decisions (`risk/payments/decide`, README "Risk"),
 * carried by the request like the payment triggers (`triggers.ts`), so any
 * SDK reaches each decision. Loaded in sandbox mode only: gateway mode
 * accepts every transaction without 3-D Secure.
 *
 * The amount decided on is `actualPaymentAmount`, else the first order's
 * `orderAmount` (`value`, minor units):
 *
 * | value | decision |
 * |---|---|
 * | exactly `11` (Antom's sandbox risk-control amount) | `REJECT` |
 * | ending in `9953` (pay's `RISK_REJECT` ending) | `REJECT` |
 * | ending in `9954` | `ACCEPT` with `authenticationDecision` `THREEDS` (challenge the buyer) |
 *
 * Or a marker at the end of an order's `referenceOrderId`:
 * `<order id>#amsgate:reject` (REJECT) or `<order id>#amsgate:challenge`
 * (ACCEPT with THREEDS); a reject anywhere wins. Strict as `pay`'s: a
 * `#amsgate` in any letter case that is not one of these at the end, or a
 * marker on a reserved amount, is `PARAM_ILLEGAL` naming the order's
 * `referenceOrderId`, and nothing is stored. Anything else: ACCEPT, NON_THREEDS.
 */
import { AmsError, type RiskDecideRequest } from '@amsgate/protocol';
import type { RiskDecisionRule, RiskVerdict } from '../products/risk/risk-rules.js';

const MARKER = '#amsgate:';
const MARKERS = { reject: 'REJECT', challenge: 'CHALLENGE' } as const;

const REJECT = (rule: string): RiskVerdict => ({ decision: 'REJECT', authenticationDecision: null, rule });
const CHALLENGE = (rule: string): RiskVerdict => ({ decision: 'ACCEPT', authenticationDecision: 'THREEDS', rule });

function amountVerdict(request: RiskDecideRequest): RiskVerdict | undefined {
  const index = request.orders.findIndex((order) => order.orderAmount !== undefined);
  const [field, amount] = request.actualPaymentAmount !== undefined ? ['actualPaymentAmount', request.actualPaymentAmount] : [`orders[${index}].orderAmount`, request.orders[index]?.orderAmount];
  const value = amount?.value;
  if (value === undefined) return undefined;
  if (value === '11') return REJECT(`${field}.value 11`);
  if (value.endsWith('9953')) return REJECT(`${field}.value ending in 9953`);
  if (value.endsWith('9954')) return CHALLENGE(`${field}.value ending in 9954`);
  return undefined;
}

/** Each order's marker, strictly parsed; undefined where an order carries none. */
function markerVerdicts(request: RiskDecideRequest): RiskVerdict[] {
  return request.orders.flatMap((order, index) => {
    const id = order.referenceOrderId;
    if (id === undefined || !id.toLowerCase().includes('#amsgate')) return [];
    const field = `orders[${index}].referenceOrderId`;
    const at = id.indexOf(MARKER);
    const trigger = at < 0 ? undefined : id.slice(at + MARKER.length);
    if (at < 0 || id.toLowerCase().indexOf('#amsgate') !== at || (trigger !== 'reject' && trigger !== 'challenge')) {
      throw AmsError.paramIllegal(field, 'a sandbox risk marker must be exactly one #amsgate:reject or #amsgate:challenge at the end');
    }
    const rule = `${field} marker ${MARKER}${trigger}`;
    return [MARKERS[trigger] === 'REJECT' ? REJECT(rule) : CHALLENGE(rule)];
  });
}

export const SANDBOX_RISK_RULE: RiskDecisionRule = (request) => {
  const markers = markerVerdicts(request);
  const byAmount = amountVerdict(request);
  if (markers.length > 0 && byAmount !== undefined) {
    const field = `orders[${request.orders.findIndex((order) => order.referenceOrderId?.toLowerCase().includes('#amsgate'))}].referenceOrderId`;
    throw AmsError.paramIllegal(field, `a sandbox risk marker cannot be combined with a reserved amount (${byAmount.rule})`);
  }
  return markers.find((verdict) => verdict.decision === 'REJECT') ?? markers[0] ?? byAmount;
};
