/** The review of a registration as the inquiries and the notification report it. */
import type { RegistrationRecord } from './registration-record.js';

export interface WireRegistrationResult {
  registrationStatus: string;
  rejectReasons?: string;
}

export function registrationResultOf(registration: Pick<RegistrationRecord, 'status' | 'rejectReasons'>): WireRegistrationResult {
  return { registrationStatus: registration.status, ...(registration.rejectReasons !== null ? { rejectReasons: registration.rejectReasons } : {}) };
}

/** Each payment method's verdict; PENDING for each while the registration is under review. */
export function pspResultList(registration: Pick<RegistrationRecord, 'pspResults'>, pspNames: readonly string[]): Array<{ pspName: string; registrationResult: WireRegistrationResult }> {
  if (registration.pspResults === null) return pspNames.map((pspName) => ({ pspName, registrationResult: { registrationStatus: 'PENDING' } }));
  return registration.pspResults.map((psp) => ({
    pspName: psp.pspName,
    registrationResult: { registrationStatus: psp.registrationStatus, ...(psp.rejectReasons !== undefined ? { rejectReasons: psp.rejectReasons } : {}) },
  }));
}
