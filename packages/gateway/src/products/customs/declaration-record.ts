/** A customs declaration as the service sees it, and its mapping from the database row. */
import type { Insertable, Selectable } from 'kysely';
import { toBigInt, toNumber } from '../../store/columns.js';
import type { CustomsDeclarationsTable } from './tables.js';

export interface DeclarationRecord {
  declarationId: string;
  clientId: string;
  declarationRequestId: string;
  paymentId: string;
  paymentRequestId: string;
  currency: string;
  amount: bigint;
  customsCode: string;
  customsRegion: string | null;
  merchantCustomsCode: string;
  merchantCustomsName: string;
  splitOrder: boolean;
  subOrderId: string | null;
  hasBuyer: boolean;
  buyerDigest: string | null;
  transmissions: number;
  lastTransmittedAt: number;
  createdAt: number;
  updatedAt: number;
}

/** The fields a retransmission may correct (the declare page's list), as stored. */
export type CorrectableFields = Pick<DeclarationRecord, 'amount' | 'customsCode' | 'customsRegion' | 'merchantCustomsCode' | 'merchantCustomsName' | 'subOrderId' | 'buyerDigest'>;

export function declarationFromRow(row: Selectable<CustomsDeclarationsTable>): DeclarationRecord {
  return {
    declarationId: row.declaration_id,
    clientId: row.client_id,
    declarationRequestId: row.declaration_request_id,
    paymentId: row.payment_id,
    paymentRequestId: row.payment_request_id,
    currency: row.currency,
    amount: toBigInt(row.amount),
    customsCode: row.customs_code,
    customsRegion: row.customs_region,
    merchantCustomsCode: row.merchant_customs_code,
    merchantCustomsName: row.merchant_customs_name,
    splitOrder: toNumber(row.split_order) === 1,
    subOrderId: row.sub_order_id,
    hasBuyer: toNumber(row.has_buyer) === 1,
    buyerDigest: row.buyer_digest,
    transmissions: toNumber(row.transmissions),
    lastTransmittedAt: toNumber(row.last_transmitted_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

export function declarationRow(record: DeclarationRecord): Insertable<CustomsDeclarationsTable> {
  return {
    declaration_id: record.declarationId,
    client_id: record.clientId,
    declaration_request_id: record.declarationRequestId,
    payment_id: record.paymentId,
    payment_request_id: record.paymentRequestId,
    currency: record.currency,
    amount: record.amount,
    customs_code: record.customsCode,
    customs_region: record.customsRegion,
    merchant_customs_code: record.merchantCustomsCode,
    merchant_customs_name: record.merchantCustomsName,
    split_order: record.splitOrder ? 1 : 0,
    sub_order_id: record.subOrderId,
    has_buyer: record.hasBuyer ? 1 : 0,
    buyer_digest: record.buyerDigest,
    transmissions: record.transmissions,
    last_transmitted_at: record.lastTransmittedAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
