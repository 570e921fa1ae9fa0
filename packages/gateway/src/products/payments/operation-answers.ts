/** Response bodies of refund, inquiryRefund and capture: the only place their wire shape is decided. */
import { buildResult, SUCCESS_RESULT, type Result } from '@amsgate/protocol';
import { amountOf, wireTime, type ResponseBody } from './answers.js';
import type { CaptureRecord, RefundRecord } from './operation-records.js';
import { settlementFields } from './settlement.js';
import { acquiredOperation, acquirerFields } from './acquirer.js';
import { cardRefundReferences } from '../cards/card-result.js';

function resultOf(operation: RefundRecord | CaptureRecord, inProcess: 'REFUND_IN_PROCESS' | 'CAPTURE_IN_PROCESS'): Result {
  switch (operation.status) {
    case 'SUCCESS':
      return { ...SUCCESS_RESULT };
    case 'PROCESSING':
      return buildResult(inProcess);
    case 'FAIL':
      return { resultCode: operation.resultCode, resultStatus: 'F', resultMessage: operation.resultMessage };
  }
}

/** What `refund` answers for a refund in its current state (also for repeats of the same refundRequestId). */
export function refundAnswer(refund: RefundRecord): ResponseBody {
  return {
    result: resultOf(refund, 'REFUND_IN_PROCESS'),
    refundRequestId: refund.refundRequestId,
    refundId: refund.refundId,
    paymentId: refund.paymentId,
    refundAmount: amountOf(refund),
    ...(refund.refundedAt !== null ? { refundTime: wireTime(refund.refundedAt) } : {}),
    ...settlementFields(refund),
    ...acquirerFields(acquiredOperation(refund.clientId, refund.refundId, refund), { info: true, referenceNo: true }),
  };
}

/** `result` describes the call; `refundStatus` the refund. */
export function inquiryRefundAnswer(refund: RefundRecord, paymentMethodType: string): ResponseBody {
  return {
    result: { ...SUCCESS_RESULT },
    refundId: refund.refundId,
    refundRequestId: refund.refundRequestId,
    refundAmount: amountOf(refund),
    refundStatus: refund.status,
    ...(refund.status === 'SUCCESS' && refund.refundedAt !== null ? { refundTime: wireTime(refund.refundedAt) } : {}),
    ...settlementFields(refund),
    ...acquirerFields(acquiredOperation(refund.clientId, refund.refundId, refund), { info: true }),
    ...cardRefundReferences(refund, paymentMethodType),
    ...(refund.metadata !== null ? { metadata: refund.metadata } : {}),
  };
}

/** What `capture` answers for a capture in its current state (also for repeats of the same captureRequestId). */
export function captureAnswer(capture: CaptureRecord): ResponseBody {
  return {
    result: resultOf(capture, 'CAPTURE_IN_PROCESS'),
    captureRequestId: capture.captureRequestId,
    captureId: capture.captureId,
    paymentId: capture.paymentId,
    captureAmount: amountOf(capture),
    ...(capture.capturedAt !== null ? { captureTime: wireTime(capture.capturedAt) } : {}),
    ...acquirerFields(acquiredOperation(capture.clientId, capture.captureId, capture), { referenceNo: true }),
  };
}
