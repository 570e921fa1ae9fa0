/** Disputes (chargebacks): accept one, defend one with a document, download the evidence template or the document supplied. */
import { exampleResult } from '../schemas/examples.js';
import {
  AcceptDisputeRequestSchema,
  AcceptDisputeResponseSchema,
  DownloadDisputeEvidenceRequestSchema,
  DownloadDisputeEvidenceResponseSchema,
  SupplyDefenseDocumentRequestSchema,
  SupplyDefenseDocumentResponseSchema,
} from '../schemas/disputes.js';
import { defineEndpoint } from './definition.js';

export const DISPUTE_ENDPOINTS = [
  defineEndpoint({
    path: 'payments/acceptDispute',
    version: 'v1',
    method: 'acceptDispute',
    summary: 'Accepts a dispute before its `defenseDueTime`: the disputed amount stays with the buyer; notifyDispute `DISPUTE_ACCEPTED` follows.',
    request: AcceptDisputeRequestSchema,
    response: AcceptDisputeResponseSchema,
    idempotency: { kind: 'not-idempotent', why: 'one acceptance per dispute: a repeat is refused REPEAT_REQUEST, so a retry after a lost answer would report a failure' },
    resultCodes: ['SUCCESS', 'DISPUTE_NOT_FOUND_OR_NO_ACCESS', 'REPEAT_REQUEST', 'TIME_EXCEEDS_LIMIT'],
    notifications: [{ kind: 'notifyDispute', types: ['DISPUTE_ACCEPTED'] }],
    example: {
      request: () => ({ disputeId: 'DSP-1' }),
      response: () => ({ result: exampleResult(), disputeId: 'DSP-1', disputeResolutionTime: '2030-01-02T00:00:00+00:00' }),
    },
  }),
  defineEndpoint({
    path: 'payments/supplyDefenseDocument',
    version: 'v1',
    method: 'supplyDefenseDocument',
    summary: 'Defends a dispute before its `defenseDueTime` with one document (PDF or Word, Base64, at most 1,000,000 characters); the judgement comes as notifyDispute `DISPUTE_JUDGED`.',
    request: SupplyDefenseDocumentRequestSchema,
    response: SupplyDefenseDocumentResponseSchema,
    idempotency: { kind: 'not-idempotent', why: 'one defense per dispute: a repeat is refused REPEAT_REQUEST, so a retry after a lost answer would report a failure' },
    resultCodes: ['SUCCESS', 'DISPUTE_NOT_FOUND_OR_NO_ACCESS', 'REPEAT_REQUEST', 'TIME_EXCEEDS_LIMIT'],
    notifications: [{ kind: 'notifyDispute', types: ['DEFENSE_SUPPLIED', 'DISPUTE_JUDGED'] }],
    example: {
      request: () => ({ disputeId: 'DSP-1', disputeEvidence: 'JVBERi0xLjQKJcOkw7zDtsOfCg==' }),
      response: () => ({ result: exampleResult(), disputeId: 'DSP-1', disputeResolutionTime: '2030-01-02T00:00:00+00:00' }),
    },
  }),
  defineEndpoint({
    path: 'payments/downloadDisputeEvidence',
    version: 'v1',
    method: 'downloadDisputeEvidence',
    summary: 'The dispute evidence template pre-filled with the dispute and its payment (`DISPUTE_EVIDENCE_TEMPLATE`), or the defense document supplied, byte for byte (`DISPUTE_EVIDENCE_FILE`), Base64.',
    request: DownloadDisputeEvidenceRequestSchema,
    response: DownloadDisputeEvidenceResponseSchema,
    idempotency: { kind: 'read-only' },
    resultCodes: ['SUCCESS', 'DISPUTE_NOT_FOUND_OR_NO_ACCESS'],
    notifications: [],
    example: {
      request: () => ({ disputeId: 'DSP-1', disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' }),
      response: () => ({ result: exampleResult(), disputeEvidence: 'JVBERi0xLjQKJcOkw7zDtsOfCg==', disputeEvidenceFormat: 'PDF' }),
    },
  }),
] as const;
