/**
 * notifyRegistrationStatus: sent once when a registration's review ends
 * (COMPLETED or REJECTED), in the transaction of that change, to the
 * request's registrationNotifyURL or else the client's default URL for
 * REGISTRATION_STATUS.
 */
import { REGISTRATION_STATUS_NOTIFY_TYPE, type NotifyRegistrationStatusBody } from '@amsgate/protocol';
import type { NotificationOutbox } from '../../notify/outbox.js';
import type { Tx } from '../../schema.js';
import type { RegistrationRecord } from './registration-record.js';
import { pspResultList, registrationResultOf } from './registration-answers.js';

export function registrationNotificationBody(registration: RegistrationRecord, pspNames: readonly string[]): NotifyRegistrationStatusBody {
  return {
    notifyType: REGISTRATION_STATUS_NOTIFY_TYPE,
    referenceMerchantId: registration.referenceMerchantId,
    registrationRequestId: registration.registrationRequestId,
    ...(registration.referenceStoreId !== null ? { referenceStoreId: registration.referenceStoreId } : {}),
    registrationResult: registrationResultOf(registration),
    pspRegistrationResultList: pspResultList(registration, pspNames),
  };
}

export async function recordRegistrationNotification(outbox: NotificationOutbox, tx: Tx, registration: RegistrationRecord, pspNames: readonly string[], at: number): Promise<void> {
  await outbox.record(tx, {
    clientId: registration.clientId,
    notifyType: REGISTRATION_STATUS_NOTIFY_TYPE,
    eventKey: `registration:${registration.registrationId}`,
    resourceId: registration.registrationRequestId,
    requestUrl: registration.notifyUrl,
    body: registrationNotificationBody(registration, pspNames),
  }, at);
}
