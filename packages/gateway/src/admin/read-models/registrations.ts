/** The sandbox's registration decision as the control API takes it (`POST /sandbox/registrations/{registrationRequestId}/approve|reject`). */
import type { RegistrationDecision } from '../../products/registration/registration-service.js';
import { ControlInputError } from '../../web/control-body.js';

export function registrationDecisionOf(decision: 'approve' | 'reject', input: Record<string, unknown>): RegistrationDecision {
  if (decision === 'reject') {
    const reasons = input.rejectReasons ?? 'Rejected in the sandbox';
    if (typeof reasons !== 'string' || reasons.length === 0 || reasons.length > 256) throw new ControlInputError('rejectReasons: a text of 1 to 256 characters');
    return { outcome: 'reject', rejectReasons: reasons };
  }
  const rejected = input.rejectedPsps;
  if (rejected === undefined) return { outcome: 'approve' };
  if (rejected === null || typeof rejected !== 'object' || Array.isArray(rejected)) throw new ControlInputError('rejectedPsps: an object of payment method name → reason');
  const entries = Object.entries(rejected as Record<string, unknown>);
  if (entries.some(([, reason]) => typeof reason !== 'string' || reason.length === 0 || reason.length > 256)) {
    throw new ControlInputError('rejectedPsps: each reason a text of 1 to 256 characters');
  }
  return { outcome: 'approve', rejectedPsps: Object.fromEntries(entries) as Record<string, string> };
}
