/** The dispute tables (migration `0019_disputes`, `disputes-migration.ts`), as Kysely sees them. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/**
 * Where a dispute stands:
 * - `SCHEDULED`: a sandbox trigger's dispute, not open yet (`opens_at`); the merchant cannot see it;
 * - `OPEN`: notified, the amount frozen, waiting for the merchant until `defense_due_at`;
 * - `DEFENDED`: a defense document was supplied, waiting for the judgement;
 * - `ACCEPTED`: the merchant accepted it (the amount went to the buyer);
 * - `JUDGED`: judged, `judged_result` WON or LOST (LOST with `accept_reason` TIMEOUT: the deadline passed undefended);
 * - `CANCELLED`: the buyer withdrew it (the amount went back to the merchant);
 * - `RESOLVED`: a rapid dispute resolution (RDR): refunded to the buyer at once.
 */
export type DisputeStatus = 'SCHEDULED' | 'OPEN' | 'DEFENDED' | 'ACCEPTED' | 'JUDGED' | 'CANCELLED' | 'RESOLVED';

export type DisputeKind = 'CHARGEBACK' | 'RDR';

export interface DisputesTable {
  dispute_id: string;
  client_id: string;
  payment_id: string;
  payment_request_id: string;
  /** The last successful capture of an authorised payment (`captureId`); null for a payment paid at once. */
  capture_id: string | null;
  kind: DisputeKind;
  status: DisputeStatus;
  currency: string;
  /** Minor units: the amount frozen (for a SCHEDULED one: the most it will be). */
  amount: IntColumn;
  reason_code: string;
  reason_msg: string;
  /** `disputeSource`: the card brand, else the payment method type. */
  source: string;
  /** The payment's method: where a lost dispute's amount goes back to (the journal's payment method account). */
  payment_method_type: string;
  /** The payment's paymentNotifyUrl when the dispute was made; null: the client's default for DISPUTE. */
  notify_url: string | null;
  /** When it opens (SCHEDULED) or opened: `disputeTime`. */
  opens_at: IntColumn;
  /** Defense window from `opens_at` (ms). */
  defense_window_ms: IntColumn;
  /** `defenseDueTime`: opens_at + defense_window_ms. */
  defense_due_at: IntColumn;
  /** When DEFENSE_DUE_ALERT falls due (24 hours before the deadline, after the opening). */
  alert_at: IntColumn;
  alert_sent_at: NullableIntColumn;
  defended_at: NullableIntColumn;
  /** Accepted, judged, cancelled or resolved at. */
  resolved_at: NullableIntColumn;
  judged_result: 'WON' | 'LOST' | null;
  accept_reason: 'MERCHANT_ACCEPTED' | 'TIMEOUT' | null;
  created_at: IntColumn;
  updated_at: IntColumn;
}

/** The defense document a merchant supplied (one per dispute), byte for byte as Base64. */
export interface DisputeEvidenceTable {
  dispute_id: string;
  client_id: string;
  format: 'PDF' | 'WORD';
  /** Canonical Base64 of the decoded bytes. */
  content: string;
  size_bytes: IntColumn;
  created_at: IntColumn;
}

export interface DisputeTables {
  disputes: DisputesTable;
  dispute_evidence: DisputeEvidenceTable;
}
