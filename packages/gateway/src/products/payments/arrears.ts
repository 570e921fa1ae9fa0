/**
 * `payments/syncArrear`: the merchant hands an Auto Debit payment the user
 * could not pay back to Antom, to collect the arrear. The docs have no page
 * for it (the SDKs carry it since the `dualOfflinePayment` pay flag), so
 * the rule is amsgate's: an arrear is an AGREEMENT_PAYMENT that failed
 * because the user could not pay that amount (balance or limit codes).
 * Each call is recorded on the payment (the dashboard timeline shows it)
 * and answered SUCCESS; the sandbox collects nothing itself, so the
 * payment keeps its status. Anything else is refused: no such payment of
 * this client ORDER_NOT_EXIST, a cancelled one ORDER_IS_CANCELED, a paid,
 * pending, non-Auto-Debit or otherwise failed one ORDER_STATUS_INVALID.
 */
import { AmsError, SUCCESS_RESULT, type SyncArrearRequest } from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody } from '../../endpoints/contract.js';
import { newId } from '../../ids.js';
import type { Database, Db } from '../../schema.js';
import { toNumber } from '../../store/columns.js';
import type { PaymentRecord } from './payment-record.js';
import { findPayment, type PaymentLookup } from './payments-repository.js';

/** The codes of a payment the user could not pay: what leaves an arrear. */
export const ARREAR_RESULT_CODES: ReadonlySet<string> = new Set(['USER_BALANCE_NOT_ENOUGH', 'USER_AMOUNT_EXCEED_LIMIT', 'PAYMENT_AMOUNT_EXCEED_LIMIT', 'PAYMENT_COUNT_EXCEED_LIMIT']);

export interface ArrearSyncRecord {
  syncId: string;
  resultCode: string;
  createdAt: number;
}

export class ArrearService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async sync(clientId: string, request: SyncArrearRequest): Promise<AnswerBody<'payments/syncArrear'>> {
    const now = this.clock.now();
    const lookup: PaymentLookup = request.paymentId !== undefined ? { paymentId: request.paymentId } : { paymentRequestId: request.paymentRequestId ?? '' };
    await this.database.transaction(async (tx) => {
      const payment = await findPayment(tx, clientId, lookup);
      if (!payment) throw new AmsError('ORDER_NOT_EXIST', 'paymentId' in lookup ? `No payment with paymentId ${lookup.paymentId}` : `No payment with paymentRequestId ${lookup.paymentRequestId}`);
      refuseUnlessInArrears(payment);
      await tx.insertInto('arrear_syncs').values({ sync_id: newId('ARR', now), client_id: clientId, payment_id: payment.paymentId, result_code: payment.resultCode, created_at: now }).execute();
    });
    return { result: { ...SUCCESS_RESULT } };
  }
}

function refuseUnlessInArrears(payment: PaymentRecord): void {
  const name = `Payment ${payment.paymentId}`;
  if (payment.productCode !== 'AGREEMENT_PAYMENT') throw new AmsError('ORDER_STATUS_INVALID', `${name} is a ${payment.productCode}: only an Auto Debit payment (AGREEMENT_PAYMENT) can be in arrears`);
  switch (payment.status) {
    case 'CANCELLED':
      throw new AmsError('ORDER_IS_CANCELED', `${name} was cancelled; nothing is in arrears`);
    case 'SUCCESS':
      throw new AmsError('ORDER_STATUS_INVALID', `${name} was paid; nothing is in arrears`);
    case 'PROCESSING':
      throw new AmsError('ORDER_STATUS_INVALID', `${name} is still processing; it is in arrears only once it fails for the user's balance or limit`);
    case 'FAIL':
      if (!ARREAR_RESULT_CODES.has(payment.resultCode)) {
        throw new AmsError('ORDER_STATUS_INVALID', `${name} failed with ${payment.resultCode}, which leaves no arrear (only ${[...ARREAR_RESULT_CODES].join(', ')} do)`);
      }
  }
}

/** The arrear syncs of a payment, oldest first (the payment timeline). */
export async function listArrearSyncs(db: Db, paymentId: string): Promise<ArrearSyncRecord[]> {
  const rows = await db.selectFrom('arrear_syncs').select(['sync_id', 'result_code', 'created_at']).where('payment_id', '=', paymentId).orderBy('created_at').orderBy('sync_id').execute();
  return rows.map((row) => ({ syncId: row.sync_id, resultCode: row.result_code, createdAt: toNumber(row.created_at) }));
}
