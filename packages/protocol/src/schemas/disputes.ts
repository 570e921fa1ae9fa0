/**
 * Disputes (chargebacks): a buyer disputes a successful payment, Antom
 * notifies the merchant (notifyDispute), who accepts it (acceptDispute) or
 * defends it with a document (supplyDefenseDocument) before its
 * `defenseDueTime`; downloadDisputeEvidence hands out Antom's pre-filled
 * template and the document supplied. Fields and enums are the official
 * SDKs' (AlipayAcceptDispute*, AlipaySupplyDefenseDocument*,
 * AlipayDownloadDisputeEvidence*, AlipayDisputeNotify).
 */
import type Type from 'typebox';
import { Bool, DateTime, Enum, NonEmpty, Obj, Optional, Text } from './builder.js';
import { AcquirerInfoSchema, AmountSchema, ResultSchema, responseBase } from './common.js';

/**
 * What downloadDisputeEvidence fetches: Antom's pre-filled template, or the
 * document supplied with supplyDefenseDocument. Older Python SDKs sent the
 * enum's constant names (`TEMPLATE`, `FILE`): accepted as the same.
 */
export const DisputeEvidenceTypeSchema = Enum(['DISPUTE_EVIDENCE_TEMPLATE', 'DISPUTE_EVIDENCE_FILE', 'TEMPLATE', 'FILE'], { caseInsensitive: true });
export type DisputeEvidenceType = Type.Static<typeof DisputeEvidenceTypeSchema>;

/** The format of a downloaded document (the SDK enum: PDF or WORD). */
export const DisputeEvidenceFormatSchema = Enum(['PDF', 'WORD']);
export type DisputeEvidenceFormat = Type.Static<typeof DisputeEvidenceFormatSchema>;

export const DISPUTE_NOTIFICATION_TYPES = ['DISPUTE_CREATED', 'DISPUTE_JUDGED', 'DISPUTE_CANCELLED', 'DEFENSE_SUPPLIED', 'DEFENSE_DUE_ALERT', 'DISPUTE_ACCEPTED', 'RDR_RESOLVED'] as const;
export const DisputeNotificationTypeSchema = Enum([...DISPUTE_NOTIFICATION_TYPES]);
export type DisputeNotificationType = (typeof DISPUTE_NOTIFICATION_TYPES)[number];

/** ACCEPT_BY_CUSTOMER: the buyer bears the liability (the merchant won); ACCEPT_BY_MERCHANT: the merchant does (lost). */
export const DisputeJudgedResultSchema = Enum(['ACCEPT_BY_CUSTOMER', 'ACCEPT_BY_MERCHANT', 'VALIDATE_SUCCESS', 'VALIDATE_FAIL']);
export type DisputeJudgedResult = Type.Static<typeof DisputeJudgedResultSchema>;

export const DisputeAcceptReasonSchema = Enum(['MERCHANT_ACCEPTED', 'TIMEOUT', 'MANUAL_PROCESSING_ACCEPTED']);
export const DisputeTypeSchema = Enum(['CHARGEBACK', 'RETRIEVAL_REQUEST', 'COMPLIANCE_REQUEST']);

export const AcceptDisputeRequestSchema = Obj({ disputeId: NonEmpty(64) });
export type AcceptDisputeRequest = Type.Static<typeof AcceptDisputeRequestSchema>;

export const AcceptDisputeResponseSchema = Obj({
  ...responseBase,
  disputeId: Optional(Text(64)),
  /** When the dispute was accepted. */
  disputeResolutionTime: Optional(DateTime()),
});

export const SupplyDefenseDocumentRequestSchema = Obj({
  disputeId: NonEmpty(64),
  /** The defense document, Base64; at most 1,000,000 characters (the SDK's and the docs' limit: 750,000 bytes decoded). */
  disputeEvidence: NonEmpty(1_000_000, { description: 'the defense document (PDF or Word), Base64-encoded; at most 1,000,000 characters' }),
});
export type SupplyDefenseDocumentRequest = Type.Static<typeof SupplyDefenseDocumentRequestSchema>;

export const SupplyDefenseDocumentResponseSchema = Obj({
  ...responseBase,
  disputeId: Optional(Text(64)),
  /** When the document was supplied. */
  disputeResolutionTime: Optional(DateTime()),
});

export const DownloadDisputeEvidenceRequestSchema = Obj({
  disputeId: NonEmpty(64),
  disputeEvidenceType: DisputeEvidenceTypeSchema,
});
export type DownloadDisputeEvidenceRequest = Type.Static<typeof DownloadDisputeEvidenceRequestSchema>;

export const DownloadDisputeEvidenceResponseSchema = Obj({
  ...responseBase,
  /** The document, Base64. */
  disputeEvidence: Optional(Text(1_000_000)),
  disputeEvidenceFormat: Optional(DisputeEvidenceFormatSchema),
});

/**
 * notifyDispute. The docs name no `notifyType` value; amsgate sends
 * `DISPUTE` so a receiver can tell this body from the others (the event is
 * `disputeNotificationType`).
 */
export const NotifyDisputeBodySchema = Obj({
  notifyType: Optional(Text(32)),
  result: Optional(ResultSchema),
  paymentRequestId: NonEmpty(64),
  disputeId: NonEmpty(64),
  paymentId: NonEmpty(64),
  disputeTime: Optional(DateTime()),
  disputeAmount: Optional(AmountSchema),
  disputeNotificationType: DisputeNotificationTypeSchema,
  disputeReasonMsg: Optional(Text(256)),
  disputeJudgedTime: Optional(DateTime()),
  disputeJudgedAmount: Optional(AmountSchema),
  disputeJudgedResult: Optional(DisputeJudgedResultSchema),
  defenseDueTime: Optional(DateTime()),
  disputeReasonCode: Optional(Text(64)),
  disputeSource: Optional(Text(64)),
  arn: Optional(Text(64)),
  disputeAcceptReason: Optional(DisputeAcceptReasonSchema),
  disputeAcceptTime: Optional(DateTime()),
  disputeType: Optional(DisputeTypeSchema),
  defendable: Optional(Bool()),
  captureId: Optional(Text(64)),
  autoDefendReason: Optional(Text(256)),
  acquirerInfo: Optional(AcquirerInfoSchema),
});
export type NotifyDisputeBody = Type.Static<typeof NotifyDisputeBodySchema>;
