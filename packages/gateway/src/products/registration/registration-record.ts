/** A merchant registration as the service sees it, and its mapping from the database row. */
import type { Insertable, Selectable } from 'kysely';
import type { MerchantRegistrationInfo, RegistrationProductCode, StoreRegistrationInfo } from '@amsgate/protocol';
import { toNullableNumber, toNumber } from '../../store/columns.js';
import type { MerchantRegistrationsTable, RegistrationStatus } from './tables.js';

/** One payment method's verdict on a registration. */
export interface PspResult {
  pspName: string;
  registrationStatus: 'APPROVED' | 'REJECTED';
  rejectReasons?: string;
}

export interface RegistrationRecord {
  registrationId: string;
  clientId: string;
  registrationRequestId: string;
  referenceMerchantId: string;
  referenceStoreId: string | null;
  productCodes: RegistrationProductCode[];
  merchantInfo: MerchantRegistrationInfo;
  storeInfo: StoreRegistrationInfo | null;
  passThroughInfo: string | null;
  notifyUrl: string | null;
  status: RegistrationStatus;
  rejectReasons: string | null;
  pspResults: PspResult[] | null;
  decideAt: number;
  decidedAt: number | null;
  createdAt: number;
}

export function registrationFromRow(row: Selectable<MerchantRegistrationsTable>): RegistrationRecord {
  return {
    registrationId: row.registration_id,
    clientId: row.client_id,
    registrationRequestId: row.registration_request_id,
    referenceMerchantId: row.reference_merchant_id,
    referenceStoreId: row.reference_store_id,
    productCodes: JSON.parse(row.product_codes) as RegistrationProductCode[],
    merchantInfo: JSON.parse(row.merchant_info) as MerchantRegistrationInfo,
    storeInfo: row.store_info === null ? null : (JSON.parse(row.store_info) as StoreRegistrationInfo),
    passThroughInfo: row.pass_through_info,
    notifyUrl: row.notify_url,
    status: row.status,
    rejectReasons: row.reject_reasons,
    pspResults: row.psp_results === null ? null : (JSON.parse(row.psp_results) as PspResult[]),
    decideAt: toNumber(row.decide_at),
    decidedAt: toNullableNumber(row.decided_at),
    createdAt: toNumber(row.created_at),
  };
}

export function registrationRow(record: RegistrationRecord): Insertable<MerchantRegistrationsTable> {
  return {
    registration_id: record.registrationId,
    client_id: record.clientId,
    registration_request_id: record.registrationRequestId,
    reference_merchant_id: record.referenceMerchantId,
    reference_store_id: record.referenceStoreId,
    product_codes: JSON.stringify(record.productCodes),
    merchant_info: JSON.stringify(record.merchantInfo),
    store_info: record.storeInfo === null ? null : JSON.stringify(record.storeInfo),
    pass_through_info: record.passThroughInfo,
    notify_url: record.notifyUrl,
    status: record.status,
    reject_reasons: record.rejectReasons,
    psp_results: record.pspResults === null ? null : JSON.stringify(record.pspResults),
    decide_at: record.decideAt,
    decided_at: record.decidedAt,
    created_at: record.createdAt,
  };
}
