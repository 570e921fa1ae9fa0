/** The risk tables (migration `0023_customs_risk`, `risk-migration.ts`), as Kysely sees them. Nothing of a card or a buyer is kept. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/** One `decide` call and what it decided. */
export interface RiskDecisionsTable {
  security_id: string;
  client_id: string;
  reference_transaction_id: string;
  authorization_phase: string;
  decision: 'ACCEPT' | 'REJECT';
  authentication_decision: 'THREEDS' | 'NON_THREEDS' | null;
  /** What decided it: the sandbox rule that matched, or `default`. */
  rule: string;
  /** The amount decided on (`actualPaymentAmount`, else the first order's), when the request gave one. */
  currency: string | null;
  amount: NullableIntColumn;
  order_count: IntColumn;
  created_at: IntColumn;
}

/** One `reportRisk` call. */
export interface RiskReportsTable {
  security_id: string;
  client_id: string;
  reference_transaction_id: string;
  risk_type: string;
  report_reason: string | null;
  /** `riskOccurrenceTime` as sent. */
  risk_occurrence_time: string | null;
  created_at: IntColumn;
}

/** A transaction's payment result (`sendPaymentResult`): one per client and transaction, the latest sent. */
export interface RiskPaymentResultsTable {
  client_id: string;
  reference_transaction_id: string;
  security_id: string;
  payment_status: string;
  error_code: string | null;
  error_message: string | null;
  payment_method_provider: string | null;
  created_at: IntColumn;
  updated_at: IntColumn;
}

/** A refund's result (`sendRefundResult`): one per client, transaction and refund, the latest sent. */
export interface RiskRefundResultsTable {
  client_id: string;
  reference_transaction_id: string;
  reference_refund_id: string;
  security_id: string;
  currency: string;
  amount: IntColumn;
  record_count: IntColumn;
  created_at: IntColumn;
  updated_at: IntColumn;
}

export interface RiskTables {
  risk_decisions: RiskDecisionsTable;
  risk_reports: RiskReportsTable;
  risk_payment_results: RiskPaymentResultsTable;
  risk_refund_results: RiskRefundResultsTable;
}
