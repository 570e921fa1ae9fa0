/**
 * The control API: notifications (list, show, resend) and payments (list,
 * show with the timeline) in both modes, and in sandbox mode payment
 * completion, disputes and the clock. Open without a token only
 * in sandbox mode on a loopback bind (and then only to requests that are
 * not a web page's cross-site posts); otherwise `Authorization: Bearer
 * <admin token>`.
 */
import { adminAccessGuard } from '../web/admin-access.js';
import { ControlInputError, jsonObjectBody } from '../web/control-body.js';
import type { FastifyInstance } from 'fastify';
import { AmsError, buildResult } from '@amsgate/protocol';
import type { PaymentService } from '../products/payments/payment-service.js';
import type { AutoDebitService } from '../products/auto-debit/auto-debit-service.js';
import { attemptView, NotificationNotFoundError, NotificationNotSendableError, notificationView, type NotificationService } from '../notify/notification-service.js';
import { ClockInputError, parseDuration, type SandboxClock } from '../sandbox/sandbox-clock.js';
import { advanceSandboxClock } from '../sandbox/advance-clock.js';
import { isoTime } from '../iso-time.js';
import { NOTIFICATION_STATUSES, NOTIFY_TYPES } from '../notify/notifications-repository.js';
import { parseNotifyUrl, RefusedUrlError } from '../notify/url-guard.js';
import { notifyTypeOf, type NotificationStatus } from '../notify/tables.js';
import type { Database } from '../schema.js';
import { registerScenarioRoutes, type SandboxScenarios } from '../sandbox/scenario-routes.js';
import { registerRequestLogRoutes } from '../sandbox/request-log/request-log-routes.js';
import type { RequestLog } from '../sandbox/request-log/request-log.js';
import type { ClientsRepository } from '../auth/clients-repository.js';
import { clientDetailView, clientSummaryView, loadClientDetail } from './read-models/client-detail.js';
import { parsePaymentListQuery, type PaymentListQuery } from './read-models/payment-list-filter.js';
import { listPayments } from './read-models/payment-queries.js';
import { loadPaymentTimeline, paymentHistoryView, paymentView } from './read-models/payment-timeline.js';
import type { DisputeService } from '../products/disputes/dispute-service.js';
import type { SubMerchantService } from '../products/marketplace/sub-merchant-service.js';
import { RegistrationDecisionError, type RegistrationService } from '../products/registration/registration-service.js';
import { registrationDecisionOf } from './read-models/registrations.js';
import type { BusinessAccountSandbox } from '../products/business-account/sandbox.js';
import type { SubscriptionService } from '../products/subscriptions/subscription-service.js';
import { disputeView, judgeOutcomeOf, openDisputeInputOf } from './read-models/disputes.js';

export interface ControlOptions {
  mode: 'sandbox' | 'gateway';
  /** Sandbox mode on a loopback bind: no token needed. */
  open: boolean;
  adminToken?: string;
  payments: PaymentService;
  notifications: NotificationService;
  /** Runs what fell due on the clock (`POST /sandbox/clock/advance` calls it). */
  runDueWork: () => Promise<unknown>;
  /** Read by `GET /admin/payments` (the same queries as the dashboard). */
  database: Database;
  clients: ClientsRepository;
  clock?: SandboxClock;
  autoDebit?: AutoDebitService;
  /** Sandbox scenario simulation (`/sandbox/scenarios`). */
  scenarios?: SandboxScenarios;
  /** The sandbox request log (`/sandbox/requests`). */
  requestLog?: RequestLog;
  /** Default notify URLs may name loopback and private addresses (sandbox mode). */
  allowInternalNotifyUrls: boolean;
  /** Subscriptions: in sandbox mode the buyer's decision and the next payment's failure (dunning tests). */
  subscriptions?: SubscriptionService;
  /** Disputes: `GET /admin/disputes/{id}`; in sandbox mode opened, judged and cancelled here. */
  disputes?: DisputeService;
  /** Marketplace sub-merchants: in sandbox mode a registration is approved or rejected here. */
  subMerchants?: SubMerchantService;
  /** Merchant registrations: in sandbox mode each review is approved or rejected here. */
  registrations?: RegistrationService;
  /** The Business Account: in sandbox mode topped up, and its cards made to pay, here. */
  businessAccount?: BusinessAccountSandbox;
}

export function registerControlRoutes(app: FastifyInstance, options: ControlOptions): void {
  app.register(async (control) => {
    control.addHook('onRequest', adminAccessGuard(options, 'control API'));
    control.setErrorHandler(async (error: Error, _request, reply) => {
      if (error instanceof NotificationNotFoundError) return reply.status(404).send({ error: error.message });
      if (error instanceof NotificationNotSendableError) return reply.status(409).send({ error: error.message });
      if (error instanceof AmsError) {
        const notFound = error.code === 'ORDER_NOT_EXIST' || error.code === 'DISPUTE_NOT_FOUND_OR_NO_ACCESS' || error.code === 'SUBSCRIPTION_NOT_EXIST' || error.code === 'MERCHANT_NOT_REGISTERED' || error.code === 'RECORD_NOT_FOUND';
        return reply.status(notFound ? 404 : error.code === 'PARAM_ILLEGAL' ? 400 : 409).send({ result: error.toResult() });
      }
      if (error instanceof ControlInputError || error instanceof ClockInputError) return reply.status(400).send({ error: error.message });
      if (error instanceof RegistrationDecisionError) return reply.status(409).send({ error: error.message });
      throw error;
    });

    control.get<{ Querystring: { status?: string; clientId?: string; resourceId?: string; limit?: string } }>('/admin/notifications', async (request) => {
      const status = request.query.status?.toUpperCase();
      if (status !== undefined && !NOTIFICATION_STATUSES.includes(status as NotificationStatus)) {
        throw new ControlInputError(`status must be one of ${NOTIFICATION_STATUSES.join(', ')} (any case)`);
      }
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ControlInputError('limit must be an integer from 1 to 1000');
      const list = await options.notifications.list({ status: status as NotificationStatus | undefined, clientId: request.query.clientId, resourceId: request.query.resourceId, limit });
      return { notifications: list.map(notificationView) };
    });
    control.get<{ Params: { id: string } }>('/admin/notifications/:id', async (request) => {
      const { notification, attempts } = await options.notifications.show(request.params.id);
      return { ...notificationView(notification), body: JSON.parse(notification.body) as unknown, attemptLog: attempts.map(attemptView) };
    });
    control.post<{ Params: { id: string } }>('/admin/notifications/:id/resend', async (request) => {
      const attempt = await options.notifications.resend(request.params.id);
      return { attempt: attemptView(attempt) };
    });

    control.get<{ Querystring: PaymentListQuery }>('/admin/payments', async (request, reply) => {
      const parsed = parsePaymentListQuery(request.query);
      if (!parsed.ok) return reply.status(400).send({ error: parsed.error });
      const page = await listPayments(options.database.db, parsed.filter);
      return { payments: page.payments.map(paymentView), nextBefore: page.nextBefore };
    });
    control.get<{ Params: { paymentId: string } }>('/admin/payments/:paymentId', async (request, reply) => {
      const found = await loadPaymentTimeline(options.database.db, options.requestLog, request.params.paymentId);
      if (!found) return reply.status(404).send({ error: `No payment ${request.params.paymentId}` });
      return paymentHistoryView(found.history, found.timeline);
    });

    control.get('/admin/clients', async () => {
      const [clients, keys] = await Promise.all([options.clients.list(), options.clients.keysByClient()]);
      return { clients: clients.map((client) => clientSummaryView(client, keys.get(client.clientId) ?? [])) };
    });
    control.get<{ Params: { clientId: string } }>('/admin/clients/:clientId', async (request, reply) => {
      const detail = await loadClientDetail(options.clients, options.notifications, request.params.clientId);
      if (!detail) return reply.status(404).send({ error: `No client ${request.params.clientId}` });
      return clientDetailView(detail);
    });

    // A client's default notify URL for a type (used when a request names none): what `notify listen --register` points at itself.
    control.put<{ Params: { clientId: string; notifyType: string } }>('/admin/clients/:clientId/notify-urls/:notifyType', async (request, reply) => {
      const { clientId } = request.params;
      const notifyType = notifyTypeOf(request.params.notifyType);
      if (!(await options.clients.findPublic(clientId))) return reply.status(404).send({ error: `No client ${clientId}` });
      if (!notifyType) return reply.status(404).send({ error: `No notification type ${request.params.notifyType}: one of ${NOTIFY_TYPES.join(', ')}` });
      const input = jsonObjectBody(request);
      if (typeof input.url !== 'string') throw new ControlInputError('url: required, an http(s) URL');
      let url: URL;
      try {
        url = parseNotifyUrl(input.url, options.allowInternalNotifyUrls);
      } catch (error) {
        if (error instanceof RefusedUrlError) throw new ControlInputError(`url: ${error.message}`);
        throw error;
      }
      await options.notifications.setDefaultUrl(clientId, notifyType, url.toString());
      return { clientId, notifyType, url: url.toString() };
    });
    control.delete<{ Params: { clientId: string; notifyType: string } }>('/admin/clients/:clientId/notify-urls/:notifyType', async (request, reply) => {
      const { clientId } = request.params;
      const notifyType = notifyTypeOf(request.params.notifyType);
      if (!(await options.clients.findPublic(clientId))) return reply.status(404).send({ error: `No client ${clientId}` });
      if (!notifyType) return reply.status(404).send({ error: `No notification type ${request.params.notifyType}: one of ${NOTIFY_TYPES.join(', ')}` });
      return { clientId, notifyType, cleared: await options.notifications.clearDefaultUrl(clientId, notifyType) };
    });

    const disputes = options.disputes;
    if (disputes) {
      control.get<{ Params: { disputeId: string } }>('/admin/disputes/:disputeId', async (request, reply) => {
        const dispute = await disputes.find(request.params.disputeId);
        if (!dispute) return reply.status(404).send({ error: `No dispute ${request.params.disputeId}` });
        return { dispute: disputeView(dispute) };
      });
    }

    if (options.mode !== 'sandbox') return;

    const subscriptions = options.subscriptions;
    if (subscriptions) {
      // The buyer's buttons on the subscription page, without a browser (by the id at the end of normalUrl).
      for (const decision of ['agree', 'refuse'] as const) {
        control.post<{ Params: { subscriptionId: string } }>(`/sandbox/subscriptions/:subscriptionId/${decision}`, async (request) => {
          const decided = await subscriptions.decide(request.params.subscriptionId, decision === 'agree');
          return { result: buildResult('SUCCESS', 'success'), subscriptionId: decided.subscription.subscriptionId, status: decided.subscription.status, redirectUrl: decided.redirectUrl };
        });
      }
      // Dunning tests: the subscription's next payment attempt fails with this payment outcome code ({ "resultCode": "USER_BALANCE_NOT_ENOUGH" }).
      control.post<{ Params: { subscriptionId: string } }>('/sandbox/subscriptions/:subscriptionId/next-payment', async (request) => {
        const input = jsonObjectBody(request);
        if (typeof input.resultCode !== 'string') throw new ControlInputError('resultCode: required, a code a payment fails with (e.g. USER_BALANCE_NOT_ENOUGH)');
        const subscription = await subscriptions.failNextPayment(request.params.subscriptionId, input.resultCode);
        return { result: buildResult('SUCCESS', 'success'), subscriptionId: subscription.subscriptionId, nextPaymentResultCode: subscription.failNextCode };
      });
    }

    const subMerchants = options.subMerchants;
    if (subMerchants) {
      // A marketplace's sub-merchant registration decided now (else the sandbox approves it after its delay): approve, or reject with { "failReason": "…" }.
      for (const decision of ['approve', 'reject'] as const) {
        control.post<{ Params: { clientId: string; referenceMerchantId: string } }>(`/sandbox/clients/:clientId/sub-merchants/:referenceMerchantId/${decision}`, async (request) => {
          const input = decision === 'reject' ? jsonObjectBody(request) : {};
          const failReason = typeof input.failReason === 'string' && input.failReason !== '' ? input.failReason.slice(0, 256) : 'Rejected in the sandbox';
          const merchant = await subMerchants.decide(request.params.clientId, request.params.referenceMerchantId, decision === 'approve' ? { status: 'SUCCESSFUL' } : { status: 'FAILED', failReason });
          return { result: buildResult('SUCCESS', 'success'), referenceMerchantId: merchant.reference_merchant_id, registrationRequestId: merchant.registration_request_id, registrationStatus: merchant.status, failReason: merchant.fail_reason };
        });
      }
    }

    if (disputes) {
      // Disputes: opened on a successful payment (as a buyer's bank would), judged once defended, cancelled by the buyer.
      control.post<{ Params: { paymentId: string } }>('/sandbox/payments/:paymentId/disputes', async (request) => {
        const dispute = await disputes.open(request.params.paymentId, openDisputeInputOf(jsonObjectBody(request)));
        return { result: buildResult('SUCCESS', 'success'), dispute: disputeView(dispute) };
      });
      control.post<{ Params: { disputeId: string } }>('/sandbox/disputes/:disputeId/judge', async (request) => {
        const dispute = await disputes.judge(request.params.disputeId, judgeOutcomeOf(jsonObjectBody(request).result));
        return { result: buildResult('SUCCESS', 'success'), dispute: disputeView(dispute) };
      });
      control.post<{ Params: { disputeId: string } }>('/sandbox/disputes/:disputeId/cancel', async (request) => {
        const dispute = await disputes.cancel(request.params.disputeId);
        return { result: buildResult('SUCCESS', 'success'), dispute: disputeView(dispute) };
      });
    }

    const businessAccount = options.businessAccount;
    if (businessAccount) {
      const clientOf = (input: Record<string, unknown>): string => {
        if (typeof input.clientId !== 'string' || input.clientId === '') throw new ControlInputError('clientId: the client whose Business Account it is');
        return input.clientId;
      };
      const amountOf = (input: Record<string, unknown>) => {
        const amount = input.amount as { currency?: unknown; value?: unknown } | undefined;
        if (amount === null || typeof amount !== 'object' || typeof amount.currency !== 'string' || (typeof amount.value !== 'string' && typeof amount.value !== 'number')) {
          throw new ControlInputError('amount: { "currency": "USD", "value": "10000" } (minor units)');
        }
        return { currency: amount.currency, value: String(amount.value) };
      };
      // Money arriving in a client's Business Account: { "clientId", "amount": { "currency", "value" } }.
      control.post('/sandbox/aba/top-up', async (request, reply) => {
        const input = jsonObjectBody(request);
        const clientId = clientOf(input);
        if (!(await options.clients.findPublic(clientId))) return reply.status(404).send({ error: `No client ${clientId}` });
        const { topUpId } = await businessAccount.topUp(clientId, amountOf(input));
        return { result: buildResult('SUCCESS', 'success'), topUpId };
      });
      // A card of the account pays a merchant: { "clientId", "amount", "merchantName"? }.
      control.post<{ Params: { assetId: string } }>('/sandbox/aba/cards/:assetId/pay', async (request) => {
        const input = jsonObjectBody(request);
        const merchantName = typeof input.merchantName === 'string' ? input.merchantName : undefined;
        const paid = await businessAccount.cardPayment(clientOf(input), { assetId: request.params.assetId, amount: amountOf(input), ...(merchantName === undefined ? {} : { merchantName }) });
        return { result: buildResult('SUCCESS', 'success'), ...paid };
      });
    }

    const registrations = options.registrations;
    if (registrations) {
      // Ends a registration's review before its delay: { "clientId"?, "rejectedPsps"?: { "ALIPAY_HK": "reason" } } or { "clientId"?, "rejectReasons": "…" }.
      control.post<{ Params: { registrationRequestId: string; decision: string } }>('/sandbox/registrations/:registrationRequestId/:decision', async (request, reply) => {
        const { decision, registrationRequestId } = request.params;
        if (decision !== 'approve' && decision !== 'reject') return reply.status(404).send({ error: `No decision ${decision}: approve or reject` });
        const input = jsonObjectBody(request);
        const clientId = input.clientId === undefined ? undefined : typeof input.clientId === 'string' ? input.clientId : undefined;
        if (input.clientId !== undefined && clientId === undefined) throw new ControlInputError('clientId: a client id string');
        const decided = await registrations.decide(clientId, registrationRequestId, registrationDecisionOf(decision, input));
        return { result: buildResult('SUCCESS', 'success'), registrationRequestId: decided.registrationRequestId, referenceMerchantId: decided.referenceMerchantId, registrationStatus: decided.status, pspResults: decided.pspResults };
      });
    }

    control.post<{ Params: { paymentId: string } }>('/sandbox/payments/:paymentId/complete', async (request) => {
      const input = jsonObjectBody(request);
      const outcome = input.outcome ?? 'success';
      if (outcome !== 'success' && outcome !== 'fail') throw AmsError.paramIllegal('outcome', 'must be success or fail');
      const payment = await options.payments.complete(
        request.params.paymentId,
        outcome === 'success'
          ? { kind: 'success' }
          : {
              kind: 'fail',
              resultCode: typeof input.resultCode === 'string' ? input.resultCode : 'USER_BALANCE_NOT_ENOUGH',
              resultMessage: typeof input.resultMessage === 'string' ? input.resultMessage : undefined,
            },
      );
      return {
        result: buildResult('SUCCESS', 'success'),
        paymentId: payment.paymentId,
        paymentRequestId: payment.paymentRequestId,
        clientId: payment.clientId,
        paymentStatus: payment.status,
        paymentResultCode: payment.resultCode,
        paymentResultMessage: payment.resultMessage,
      };
    });

    // Auto Debit: the authorisation page's buttons without a browser (by the consult id at the end of authUrl).
    const autoDebit = options.autoDebit;
    if (autoDebit) {
      control.post<{ Params: { consultId: string; decision: string } }>('/sandbox/authorizations/:consultId/:decision', async (request, reply) => {
        const { decision } = request.params;
        if (decision !== 'agree' && decision !== 'decline') return reply.status(404).send({ error: 'use /agree or /decline' });
        const input = jsonObjectBody(request);
        const decided = await autoDebit.decide(
          request.params.consultId,
          decision === 'agree' ? { agree: true, userLoginId: typeof input.userLoginId === 'string' ? input.userLoginId : undefined } : { agree: false },
        );
        return {
          result: buildResult('SUCCESS', 'success'),
          status: decided.consult.status,
          authState: decided.consult.authState,
          ...(decided.authCode !== undefined ? { authCode: decided.authCode } : {}),
          redirectUrl: decided.redirectUrl,
        };
      });
    }

    if (options.scenarios) registerScenarioRoutes(control, options.scenarios);
    if (options.requestLog) registerRequestLogRoutes(control, options.requestLog);

    const clock = options.clock;
    if (clock) {
      control.get('/sandbox/clock', async () => ({ now: isoTime(clock.now()), offsetMs: clock.offset }));
      control.post('/sandbox/clock/advance', async (request) => {
        const input = jsonObjectBody(request);
        const by = input.by;
        const ms = typeof by === 'number' ? by : typeof by === 'string' ? parseDuration(by, clock.now()) : Number.NaN;
        if (!Number.isFinite(ms)) throw new ControlInputError('by must be a duration such as "2m", "1h30m", "1mo" or a number of milliseconds');
        const now = await advanceSandboxClock(clock, ms, options);
        return { now: isoTime(now), offsetMs: clock.offset };
      });
    }
  });
}
