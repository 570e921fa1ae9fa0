/**
 * Risk control (`risk/payments/*`; README "Risk"): decisions on the
 * client's transactions, its reports of risky ones, and the results of
 * their payments and refunds, each stored (one transaction per call) and
 * shown on the dashboard (`/dashboard/risk`). Every call answers a fresh
 * `securityId`. The decision comes from the injected rule (the sandbox's
 * reserved amounts and markers) or, without one, is ACCEPT without 3-D
 * Secure. Nothing of a card, a buyer or a device is kept.
 */
import {
  parseAmount,
  SUCCESS_RESULT,
  type Result,
  type RiskDecideRequest,
  type RiskReportRequest,
  type SendPaymentResultRequest,
  type SendRefundResultRequest,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import type { Database } from '../../schema.js';
import { insertDecision, insertReport, recentActivity, upsertPaymentResult, upsertRefundResult, type RiskActivity } from './risk-repository.js';
import { DEFAULT_VERDICT, type RiskDecisionRule } from './risk-rules.js';

type Answer = { result: Result } & Record<string, unknown>;

export class RiskService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    /** The sandbox's decision rule; undefined in gateway mode. */
    private readonly rule: RiskDecisionRule | undefined,
  ) {}

  async decide(clientId: string, request: RiskDecideRequest): Promise<Answer> {
    // The rule runs first: a malformed trigger is refused before anything is stored.
    const verdict = this.rule?.(request) ?? DEFAULT_VERDICT;
    const decided = decidedAmountOf(request);
    const now = this.clock.now();
    const securityId = newId('RSK', now);
    await this.database.transaction((tx) => insertDecision(tx, {
      security_id: securityId, client_id: clientId, reference_transaction_id: request.referenceTransactionId, authorization_phase: request.authorizationPhase,
      decision: verdict.decision, authentication_decision: verdict.decision === 'ACCEPT' ? verdict.authenticationDecision : null, rule: verdict.rule,
      currency: decided?.currency ?? null, amount: decided?.minor ?? null, order_count: request.orders.length, created_at: now,
    }));
    return {
      result: { ...SUCCESS_RESULT },
      securityId,
      decision: verdict.decision,
      ...(verdict.decision === 'ACCEPT' && verdict.authenticationDecision !== null ? { authenticationDecision: verdict.authenticationDecision } : {}),
    };
  }

  async reportRisk(clientId: string, request: RiskReportRequest): Promise<Answer> {
    const now = this.clock.now();
    const securityId = newId('RSK', now);
    await this.database.transaction((tx) => insertReport(tx, {
      security_id: securityId, client_id: clientId, reference_transaction_id: request.referenceTransactionId, risk_type: request.riskType,
      report_reason: request.reportReason ?? null, risk_occurrence_time: request.riskOccurrenceTime ?? null, created_at: now,
    }));
    return { result: { ...SUCCESS_RESULT }, securityId };
  }

  async sendPaymentResult(clientId: string, request: SendPaymentResultRequest): Promise<Answer> {
    const now = this.clock.now();
    const securityId = newId('RSK', now);
    await this.database.transaction((tx) => upsertPaymentResult(tx, {
      client_id: clientId, reference_transaction_id: request.referenceTransactionId, security_id: securityId, payment_status: request.paymentStatus,
      error_code: request.authorizationError?.errorCode ?? null, error_message: request.authorizationError?.errorMessage ?? null,
      payment_method_provider: request.paymentMethodProvider ?? null, created_at: now, updated_at: now,
    }));
    return { result: { ...SUCCESS_RESULT }, securityId };
  }

  async sendRefundResult(clientId: string, request: SendRefundResultRequest): Promise<Answer> {
    const amount = parseAmount(request.actualRefundAmount, 'actualRefundAmount');
    (request.refundRecords ?? []).forEach((record, index) => {
      if (record.amount !== undefined) parseAmount(record.amount, `refundRecords[${index}].amount`);
    });
    const now = this.clock.now();
    const securityId = newId('RSK', now);
    await this.database.transaction((tx) => upsertRefundResult(tx, {
      client_id: clientId, reference_transaction_id: request.referenceTransactionId, reference_refund_id: request.referenceRefundId, security_id: securityId,
      currency: amount.currency, amount: amount.minor, record_count: request.refundRecords?.length ?? 0, created_at: now, updated_at: now,
    }));
    return { result: { ...SUCCESS_RESULT }, securityId };
  }

  /** The newest `limit` rows of each kind, of every client or one (the dashboard). */
  recent(limit: number, clientId?: string): Promise<RiskActivity> {
    return recentActivity(this.database.db, limit, clientId);
  }
}

/** The amount a decision is about: `actualPaymentAmount`, else the first order's amount. */
function decidedAmountOf(request: RiskDecideRequest): { currency: string; minor: bigint } | undefined {
  if (request.actualPaymentAmount !== undefined) return parseAmount(request.actualPaymentAmount, 'actualPaymentAmount');
  const index = request.orders.findIndex((order) => order.orderAmount !== undefined);
  const order = request.orders[index];
  return order?.orderAmount === undefined ? undefined : parseAmount(order.orderAmount, `orders[${index}].orderAmount`);
}
