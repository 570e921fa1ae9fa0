/**
 * `acquirerInfo` and `acquirerReferenceNo`: who acquired a payment, refund,
 * capture or other transaction, and under which id. The SDK's models note
 * them as returned for Antom Payment Orchestration (a non-Antom acquirer);
 * amsgate answers them for every method, as its own sandbox acquirer, so a
 * merchant's reconciliation code has them to read. Nothing is stored: every
 * value is derived from the operation, so it is the same on every answer,
 * inquiry and notification of it.
 *
 * - `acquirerName`: `AMSGATE_SANDBOX`.
 * - `acquirerMerchantId`: 15 digits (the length card acquirers' merchant ids
 *   have), fixed per client.
 * - `referenceRequestId`: the id the request to the acquirer went under,
 *   which is ours: the paymentId, refundId, captureId or transactionId.
 * - `acquirerTransactionId`: the acquirer's id of the operation, 20 digits
 *   derived from the operation id; `acquirerReferenceNo` is the same id.
 * - `acquirerResultCode` / `acquirerResultMessage`: the operation's result
 *   code and message (the message cut to the model's 64 characters).
 *
 * Answered once the acquirer has answered: a payment paid (also if later
 * cancelled) or failed by a decline, not one closed unpaid or still
 * pending; a refund, capture or transaction in a final state.
 */
import { createHash } from 'node:crypto';
import type { AcquirerInfo } from '@amsgate/protocol';

export const SANDBOX_ACQUIRER_NAME = 'AMSGATE_SANDBOX';

/** `length` decimal digits taken from the SHA-256 of `text`. */
function digitsOf(text: string, length: number): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex');
  return (BigInt(`0x${hex.slice(0, 32)}`) % 10n ** BigInt(length)).toString().padStart(length, '0');
}

export function acquirerMerchantIdOf(clientId: string): string {
  return digitsOf(`acquirer-merchant\n${clientId}`, 15);
}

/** The acquirer's id of an operation (also its `acquirerReferenceNo`). */
export function acquirerTransactionIdOf(operationId: string): string {
  return digitsOf(`acquirer-transaction\n${operationId}`, 20);
}

/** What the acquirer answered an operation, as far as answers show it. */
export interface AcquiredOperation {
  clientId: string;
  operationId: string;
  resultCode: string;
  resultMessage: string;
}

export function acquirerInfoOf(operation: AcquiredOperation): AcquirerInfo {
  return {
    acquirerName: SANDBOX_ACQUIRER_NAME,
    referenceRequestId: operation.operationId,
    acquirerTransactionId: acquirerTransactionIdOf(operation.operationId),
    acquirerMerchantId: acquirerMerchantIdOf(operation.clientId),
    acquirerResultCode: operation.resultCode,
    acquirerResultMessage: operation.resultMessage.slice(0, 64),
  };
}

/** Which of the two fields an answer's model carries. */
export interface AcquirerFieldSet {
  info?: boolean;
  referenceNo?: boolean;
}

/** `acquirerInfo` and/or `acquirerReferenceNo` of an acquired operation; nothing for one the acquirer has not answered. */
export function acquirerFields(operation: AcquiredOperation | undefined, fields: AcquirerFieldSet): Record<string, unknown> {
  if (operation === undefined) return {};
  return {
    ...(fields.referenceNo ? { acquirerReferenceNo: acquirerTransactionIdOf(operation.operationId) } : {}),
    ...(fields.info ? { acquirerInfo: acquirerInfoOf(operation) } : {}),
  };
}

/** A payment as the acquirer saw it: paid (SUCCESS, even if cancelled since) or declined; undefined while pending or when closed unpaid. */
export function acquiredPayment(payment: {
  clientId: string;
  paymentId: string;
  status: string;
  resultCode: string;
  resultMessage: string;
  paidAt: number | null;
}): AcquiredOperation | undefined {
  const base = { clientId: payment.clientId, operationId: payment.paymentId };
  if (payment.paidAt !== null) return { ...base, resultCode: 'SUCCESS', resultMessage: 'success' };
  if (payment.status === 'FAIL' && payment.resultCode !== 'ORDER_IS_CLOSED') return { ...base, resultCode: payment.resultCode, resultMessage: payment.resultMessage };
  return undefined;
}

/** A refund, capture or listed transaction once final (SUCCESS or FAIL); undefined while PROCESSING. */
export function acquiredOperation(clientId: string, operationId: string, operation: { status: string; resultCode: string; resultMessage: string }): AcquiredOperation | undefined {
  if (operation.status === 'PROCESSING') return undefined;
  return { clientId, operationId, resultCode: operation.resultCode, resultMessage: operation.resultMessage };
}
