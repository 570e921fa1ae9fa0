/**
 * What a risk decision is made of, and the hook that decides one. The
 * sandbox injects its rule (`src/sandbox/risk-triggers.ts`: reserved amounts
 * and order-id markers); without one (gateway mode) every transaction is
 * accepted without 3-D Secure.
 */
import type { AuthenticationDecision, RiskDecideRequest, RiskDecision } from '@amsgate/protocol';

export interface RiskVerdict {
  decision: RiskDecision;
  /** Answered with ACCEPT only. */
  authenticationDecision: AuthenticationDecision | null;
  /** What decided it, for the dashboard (`actualPaymentAmount.value 11`, `orders[0].referenceOrderId marker`, `default`). */
  rule: string;
}

/** Decides a request, or leaves it to the default (undefined); may refuse a malformed trigger (PARAM_ILLEGAL). */
export type RiskDecisionRule = (request: RiskDecideRequest) => RiskVerdict | undefined;

export const DEFAULT_VERDICT: RiskVerdict = { decision: 'ACCEPT', authenticationDecision: 'NON_THREEDS', rule: 'default' };
