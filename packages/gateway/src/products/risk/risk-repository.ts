/** Queries of the risk tables: writes scoped to a client, and the newest rows for the dashboard. */
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../../schema.js';
import { toBigInt, toNumber } from '../../store/columns.js';
import type { RiskDecisionsTable, RiskPaymentResultsTable, RiskRefundResultsTable, RiskReportsTable } from './tables.js';

export async function insertDecision(tx: Tx, row: Insertable<RiskDecisionsTable>): Promise<void> {
  await tx.insertInto('risk_decisions').values(row).execute();
}

export async function insertReport(tx: Tx, row: Insertable<RiskReportsTable>): Promise<void> {
  await tx.insertInto('risk_reports').values(row).execute();
}

/** One result per client and transaction: a later one replaces it (its first time kept). */
export async function upsertPaymentResult(tx: Tx, row: Insertable<RiskPaymentResultsTable>): Promise<void> {
  await tx
    .insertInto('risk_payment_results')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'reference_transaction_id']).doUpdateSet({
      security_id: row.security_id, payment_status: row.payment_status, error_code: row.error_code ?? null, error_message: row.error_message ?? null,
      payment_method_provider: row.payment_method_provider ?? null, updated_at: row.updated_at,
    }))
    .execute();
}

/** One result per client, transaction and refund: a later one replaces it (its first time kept). */
export async function upsertRefundResult(tx: Tx, row: Insertable<RiskRefundResultsTable>): Promise<void> {
  await tx
    .insertInto('risk_refund_results')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'reference_transaction_id', 'reference_refund_id']).doUpdateSet({
      security_id: row.security_id, currency: row.currency, amount: row.amount, record_count: row.record_count, updated_at: row.updated_at,
    }))
    .execute();
}

export interface RiskDecisionView {
  securityId: string; clientId: string; referenceTransactionId: string; authorizationPhase: string;
  decision: string; authenticationDecision: string | null; rule: string; currency: string | null; amount: bigint | null; orderCount: number; createdAt: number;
}
export interface RiskReportView {
  securityId: string; clientId: string; referenceTransactionId: string; riskType: string; reportReason: string | null; riskOccurrenceTime: string | null; createdAt: number;
}
export interface RiskPaymentResultView {
  securityId: string; clientId: string; referenceTransactionId: string; paymentStatus: string; errorCode: string | null; errorMessage: string | null;
  paymentMethodProvider: string | null; createdAt: number; updatedAt: number;
}
export interface RiskRefundResultView {
  securityId: string; clientId: string; referenceTransactionId: string; referenceRefundId: string; currency: string; amount: bigint; recordCount: number; createdAt: number; updatedAt: number;
}

/** The newest risk rows of every client (or of one), each kind newest first. */
export interface RiskActivity {
  decisions: RiskDecisionView[];
  reports: RiskReportView[];
  paymentResults: RiskPaymentResultView[];
  refundResults: RiskRefundResultView[];
}

export async function recentActivity(db: Db, limit: number, clientId?: string): Promise<RiskActivity> {
  const decisions = await db.selectFrom('risk_decisions').selectAll().$if(clientId !== undefined, (q) => q.where('client_id', '=', clientId as string)).orderBy('created_at', 'desc').orderBy('security_id', 'desc').limit(limit).execute();
  const reports = await db.selectFrom('risk_reports').selectAll().$if(clientId !== undefined, (q) => q.where('client_id', '=', clientId as string)).orderBy('created_at', 'desc').orderBy('security_id', 'desc').limit(limit).execute();
  const payments = await db.selectFrom('risk_payment_results').selectAll().$if(clientId !== undefined, (q) => q.where('client_id', '=', clientId as string)).orderBy('updated_at', 'desc').orderBy('security_id', 'desc').limit(limit).execute();
  const refunds = await db.selectFrom('risk_refund_results').selectAll().$if(clientId !== undefined, (q) => q.where('client_id', '=', clientId as string)).orderBy('updated_at', 'desc').orderBy('security_id', 'desc').limit(limit).execute();
  return {
    decisions: decisions.map((r) => ({
      securityId: r.security_id, clientId: r.client_id, referenceTransactionId: r.reference_transaction_id, authorizationPhase: r.authorization_phase,
      decision: r.decision, authenticationDecision: r.authentication_decision, rule: r.rule, currency: r.currency,
      amount: r.amount === null ? null : toBigInt(r.amount), orderCount: toNumber(r.order_count), createdAt: toNumber(r.created_at),
    })),
    reports: reports.map((r) => ({
      securityId: r.security_id, clientId: r.client_id, referenceTransactionId: r.reference_transaction_id, riskType: r.risk_type,
      reportReason: r.report_reason, riskOccurrenceTime: r.risk_occurrence_time, createdAt: toNumber(r.created_at),
    })),
    paymentResults: payments.map((r) => ({
      securityId: r.security_id, clientId: r.client_id, referenceTransactionId: r.reference_transaction_id, paymentStatus: r.payment_status,
      errorCode: r.error_code, errorMessage: r.error_message, paymentMethodProvider: r.payment_method_provider, createdAt: toNumber(r.created_at), updatedAt: toNumber(r.updated_at),
    })),
    refundResults: refunds.map((r) => ({
      securityId: r.security_id, clientId: r.client_id, referenceTransactionId: r.reference_transaction_id, referenceRefundId: r.reference_refund_id,
      currency: r.currency, amount: toBigInt(r.amount), recordCount: toNumber(r.record_count), createdAt: toNumber(r.created_at), updatedAt: toNumber(r.updated_at),
    })),
  };
}
