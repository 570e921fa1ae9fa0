/**
 * Assembles a gateway from its configuration: database, client registry,
 * services, the request pipeline, HTTP and HTTPS listeners, the expiry
 * sweeper, and a clean shutdown.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { CREDENTIALS_FILE } from './constants.js';
import { writeSecretFile } from './store/secret-file.js';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { ClientRegistry } from './auth/client-registry.js';
import { ClientsRepository, type CreatedClient } from './auth/clients-repository.js';
import { PaymentSessionService } from './products/payments/payment-session-service.js';
import { AmountUpdateService } from './products/payments/amount-update-service.js';
import { VerificationService } from './products/payments/verification-service.js';
import { SubmissionService } from './products/payments/submission-service.js';
import { AgreementSessionService } from './products/auto-debit/agreement-session-service.js';
import { systemClock, type Clock } from './clock.js';
import { ConsultService } from './products/payments/consult-service.js';
import { DEFAULT_PAYMENT_METHOD_OFFERS, type PaymentMethodOffer } from './products/payments/payment-method-offers.js';
import { walletsOf } from './products/payments/wallet-customer.js';
import { NotificationDispatcher } from './notify/dispatcher.js';
import { NotificationService } from './notify/notification-service.js';
import { NotificationsRepository } from './notify/notifications-repository.js';
import { NotificationOutbox } from './notify/outbox.js';
import { ResourceEngine } from './resources/resource-engine.js';
import { resourceProductEndpoints, type ResourceProductDeps } from './products/resource-products.js';
import { BusinessAccountSandbox } from './products/business-account/sandbox.js';
import { clientOfSession } from './products/metering/sessions.js';
import { taxCalculationProblem } from './products/tax/calculation-endpoints.js';
import { DEFAULT_TAX_RATES, TaxRateTable, type TaxRateEntry } from './products/tax/rates.js';
import { PaymentNotifications } from './products/payments/notifications.js';
import { ANTOM_RETRY_SCHEDULE_MS } from './notify/schedule.js';
import { SandboxClock } from './sandbox/sandbox-clock.js';
import { SandboxScenarios } from './sandbox/scenarios.js';
import { RequestLog, type RequestLogOptions } from './sandbox/request-log/request-log.js';
import { isSandboxClientId } from './ids.js';
import { AmsPipeline } from './edge/ams-pipeline.js';
import type { AnswerBody, EndpointModule, EndpointModules } from './endpoints/contract.js';
import { routeTable, runModule } from './endpoints/route-table.js';
import { toParamIllegal, validateRequest, type EndpointPath } from '@amsgate/protocol';
import { RateLimiter } from './edge/rate-limiter.js';
import { isLoopbackHostname } from './web/loopback-host.js';
import { loadOrCreateCertificate } from './edge/self-signed-cert.js';
import { buildServer, closeServer, type RouteRegistrar } from './edge/server.js';
import { capabilitySecretOf } from './web/capability-csrf.js';
import { registerCheckoutRoutes } from './sandbox/pages/checkout-routes.js';
import { registerAuthorizationPage } from './sandbox/pages/authorization-page.js';
import { registerVaultingPage } from './sandbox/pages/vaulting-page.js';
import { registerSubscriptionPage } from './sandbox/pages/subscription-page.js';
import { registerBillingPages } from './sandbox/pages/billing-pages.js';
import { logoPath, registerLogoRoutes } from './sandbox/pages/logos.js';
import { registerControlRoutes, type ControlOptions } from './admin/control-routes.js';
import { registerDashboard, type DashboardOptions } from './admin/dashboard/dashboard.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { registerMetricsRoute } from './metrics/metrics-route.js';
import { observedDatabase } from './store/observed-database.js';
import { DASHBOARD_PAGES } from './admin/dashboard/pages.js';
import { DEFAULT_CASHIER_EXPIRY_MS, PaymentService } from './products/payments/payment-service.js';
import { paymentsEndpoints } from './products/payments/endpoints/index.js';
import { fxEndpoints } from './products/fx/endpoints/index.js';
import { cardsEndpoints } from './products/cards/endpoints/index.js';
import { devicesEndpoints } from './products/devices/endpoints/index.js';
import { DeviceCertificateService } from './products/devices/device-certificate-service.js';
import { ArrearService } from './products/payments/arrears.js';
import { InvoiceFileService } from './products/payments/invoice-files.js';
import { DEFAULT_EXCHANGE_RATES, RateTable } from './products/fx/rate-table.js';
import { cashierPayProduct } from './products/payments/endpoints/pay.js';
import { inStorePayProduct } from './products/in-store/in-store-pay.js';
import type { PayTriggerHooks } from './products/payments/pay-triggers.js';
import { AutoDebitService, DEFAULT_AUTO_DEBIT_TIMES } from './products/auto-debit/auto-debit-service.js';
import { autoDebitEndpoints } from './products/auto-debit/endpoints/index.js';
import { vaultEndpoints } from './products/vaults/endpoints/index.js';
import { DEFAULT_VAULT_OPTIONS, VaultService } from './products/vaults/vault-service.js';
import { DEFAULT_SUBSCRIPTION_OPTIONS, SubscriptionService } from './products/subscriptions/subscription-service.js';
import { subscriptionEndpoints } from './products/subscriptions/endpoints/index.js';
import { DEFAULT_DISPUTE_OPTIONS, DisputeService } from './products/disputes/dispute-service.js';
import { disputeEndpoints } from './products/disputes/endpoints/index.js';
import { CustomsService, DEFAULT_CUSTOMS_OPTIONS } from './products/customs/customs-service.js';
import { customsEndpoints } from './products/customs/endpoints/index.js';
import { RiskService } from './products/risk/risk-service.js';
import { riskEndpoints } from './products/risk/endpoints/index.js';
import type { RiskDecisionRule } from './products/risk/risk-rules.js';
import { DEFAULT_SUB_MERCHANT_OPTIONS, SubMerchantService } from './products/marketplace/sub-merchant-service.js';
import { FundsService } from './products/marketplace/funds-service.js';
import { marketplaceEndpoints } from './products/marketplace/endpoints/index.js';
import { DEFAULT_REGISTRATION_OPTIONS, RegistrationService, type RegistrationOptions } from './products/registration/registration-service.js';
import { registrationEndpoints } from './products/registration/endpoints/index.js';
import { DEFAULT_USER_OPTIONS, UserService } from './products/users/users-service.js';
import { userEndpoints } from './products/users/endpoints/index.js';
import { cardOnFilePay, paysWithCardOnFile } from './products/vaults/card-on-file-pay.js';
import { agreementPayProduct } from './products/auto-debit/endpoints/agreement-pay.js';
import { DEFAULT_IN_STORE_OPTIONS, InStoreService, type InStoreServiceOptions } from './products/in-store/in-store-service.js';
import { CaptureService } from './products/payments/capture-service.js';
import { scheduledOutcomeDuePolicy } from './products/payments/scheduled-outcomes.js';
import { RefundService } from './products/payments/refund-service.js';
import { DEFAULT_PAYMENT_METHOD_CATALOGUE, type PaymentMethodCatalogue } from './products/payments/payment-method-capabilities.js';
import type { Database, Tx } from './schema.js';
import { openDatabase } from './migrations.js';
import type { PaymentRecord } from './products/payments/payment-record.js';
import type { SqliteDurability } from './store/sqlite.js';

export type GatewayMode = 'sandbox' | 'gateway';

export interface GatewayConfig {
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** null: no HTTPS listener. */
  httpsPort: number | null;
  tls?: { certFile: string; keyFile: string };
  databaseUrl?: string;
  /** PostgreSQL schema (tests use one per file). */
  databaseSchema?: string;
  mode: GatewayMode;
  /** Base of links handed out (checkout pages); defaults to the HTTP address listened on. */
  publicBaseUrl?: string;
  logger: FastifyServerOptions['logger'];
  maxClockSkewMs?: number;
  rateLimitPerSecond: number;
  bodyLimitBytes: number;
  cashierExpiryMs: number;
  sqliteDurability: SqliteDurability;
  clock: Clock;
  adminToken?: string;
  /** A read-only token for `/metrics` (Prometheus' scrape config), accepted beside the admin token; it opens nothing else. */
  metricsToken?: string;
  /** Sweep expired payments this often (ms); 0 disables the sweeper. */
  sweepIntervalMs: number;
  /** How long client keys are cached; a key added or revoked elsewhere takes effect within it. */
  clientCacheTtlMs: number;
  /** Payment methods that allow a single refund or a single capture (by paymentMethodType); none by default. */
  paymentMethods: PaymentMethodCatalogue;
  /** Run the notification delivery worker (off for tools that only read the outbox). */
  notifyDispatch: boolean;
  /** Delay before each attempt (ms), the first usually 0: Antom's 8-attempt schedule by default. */
  notifySchedule: readonly number[];
  notifyTimeoutMs: number;
  notifyConcurrency: number;
  notifyPollIntervalMs: number;
  notifyMaxResponseBytes: number;
  /** Let notify URLs reach loopback and private addresses; default: yes in sandbox mode, no in gateway mode. */
  allowInternalNotifyUrls?: boolean;
  /** The payment methods `payments/consult` offers; default: a small sandbox set. */
  paymentMethodOffers?: readonly PaymentMethodOffer[];
  /** In-store payments: default expiries, the settle delay of `U` payment codes, strict merchant check. */
  inStore?: Partial<Omit<InStoreServiceOptions, 'checkoutUrl'>>;
  /** Merchant registration: how long a review takes on the gateway clock (`reviewDelayMs`, 2 minutes) and which payment methods review (`pspNames`). */
  registration?: Partial<RegistrationOptions>;
  /** Sandbox request log: entries kept (default 1000) and bytes kept of each body (default 8 KiB). */
  requestLog?: RequestLogOptions;
  /** The sandbox exchange-rate table, in units per US dollar (`{ USD: '1', HKD: '7.8', … }`); every quote comes from it. */
  exchangeRates: Readonly<Record<string, string>>;
  /** The sandbox tax-rate table, by jurisdiction (`src/products/tax/rates.ts`: round figures, not tax advice); a client is taxed only where it registers. */
  taxRates: readonly TaxRateEntry[];
  /**
   * Sandbox mode: at start, create a sandbox client when there is none and
   * write its credentials to the data directory. Off for `startSandbox`,
   * which creates its own and hands the credentials over in memory.
   */
  createSandboxClient: boolean;
}

export const DEFAULT_CONFIG: GatewayConfig = {
  dataDir: '.amsgate',
  host: '127.0.0.1',
  port: 8080,
  httpsPort: 8443,
  mode: 'sandbox',
  logger: true,
  rateLimitPerSecond: 0,
  bodyLimitBytes: 1024 * 1024,
  cashierExpiryMs: DEFAULT_CASHIER_EXPIRY_MS,
  sqliteDurability: 'full',
  clock: systemClock,
  sweepIntervalMs: 1_000,
  clientCacheTtlMs: 2_000,
  paymentMethods: DEFAULT_PAYMENT_METHOD_CATALOGUE,
  notifyDispatch: true,
  notifySchedule: ANTOM_RETRY_SCHEDULE_MS,
  notifyTimeoutMs: 10_000,
  notifyConcurrency: 16,
  notifyPollIntervalMs: 250,
  notifyMaxResponseBytes: 64 * 1024,
  createSandboxClient: true,
  exchangeRates: DEFAULT_EXCHANGE_RATES,
  taxRates: DEFAULT_TAX_RATES,
};

/** Signed answers per second, per client id, to requests whose signature did not verify (see PipelineOptions.unverifiedSigning). */
const UNVERIFIED_SIGNED_PER_SECOND = 50;

/** How long closing waits for requests in flight before it cuts their connections. */
const CLOSE_GRACE_MS = 10_000;

/** The dashboard and control API need no admin token only in sandbox mode on a loopback bind. */
export function adminIsOpen(config: Partial<Pick<GatewayConfig, 'mode' | 'host'>>): boolean {
  const host = config.host ?? DEFAULT_CONFIG.host;
  return (config.mode ?? DEFAULT_CONFIG.mode) === 'sandbox' && isLoopbackHostname(host);
}

/** What `clients create --json` prints and the sandbox credentials file holds: enough to configure an SDK. */
export interface ClientCredentials {
  clientId: string;
  keyVersion: number;
  merchantPrivateKey?: string;
  merchantPublicKey: string;
  antomPublicKey: string;
  baseUrl?: string;
}

export function credentialsOf(created: CreatedClient, baseUrl?: string): ClientCredentials {
  return {
    clientId: created.client.clientId,
    keyVersion: created.keyVersion,
    ...(created.merchantPrivateKey !== undefined ? { merchantPrivateKey: created.merchantPrivateKey } : {}),
    merchantPublicKey: created.merchantPublicKey,
    antomPublicKey: created.client.gatewayPublicKey,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
  };
}

export interface StartedGateway {
  /** The public base URL when one is configured, else the HTTP address listened on. */
  httpUrl: string;
  /** The HTTP address listened on (with its real port when 0 was asked for). */
  httpListenUrl: string;
  httpsUrl: string | undefined;
  /** Set when this start created the sandbox client. */
  createdSandboxClient: ClientCredentials | undefined;
  credentialsFile: string | undefined;
}

export class Gateway {
  readonly database: Database;
  /** `GET /metrics`: this gateway's requests, notification attempts, outbox and database time. */
  readonly metrics: GatewayMetrics;
  readonly clients: ClientsRepository;
  readonly registry: ClientRegistry;
  /** The AMS request path, once built (the notification dispatcher reads how busy it is). */
  private amsPipeline: AmsPipeline | undefined;
  readonly payments: PaymentService;
  /** The sandbox exchange-rate table every quote comes from. */
  readonly rates: RateTable;
  /** The resource engine the resource products (Billing, metering, tax, the Business Account) are built on. */
  readonly resources: ResourceEngine;
  /** Business Account money and card payments from outside AMS (a top-up, a card paying a merchant): the control API's and tests'. */
  readonly businessAccountSandbox: BusinessAccountSandbox;
  readonly inStore: InStoreService;
  readonly refunds: RefundService;
  readonly captures: CaptureService;
  readonly autoDebit: AutoDebitService;
  /** Card vaulting: sessions, direct vaulting, tokens and nonces. */
  readonly vaults: VaultService;
  /** Subscriptions: the buyer's authorisation, each period's payment on the clock, changes and cancellation. */
  readonly subscriptions: SubscriptionService;
  /** Disputes (chargebacks) of successful payments: opened by the sandbox, accepted or defended by the merchant, judged. */
  readonly disputes: DisputeService;
  /** Customs declarations of successful payments (customs/declare, inquiryDeclarationRequests). */
  readonly customs: CustomsService;
  /** Risk control: decisions (sandbox rules by amount or marker), reports, payment and refund results; shown on the dashboard. */
  readonly risk: RiskService;
  /** Marketplace: sub-merchants (registered, decided by the sandbox) and the money split between them and the platform, in the journal. */
  readonly marketplace: { readonly subMerchants: SubMerchantService; readonly funds: FundsService };
  /** Secondary merchants registered for review (acquirers, ISVs): each review ends on the clock or by the sandbox's control API. */
  readonly registrations: RegistrationService;
  /** Bank transfers the buyer submitted on the checkout page (PAYMENT_PENDING until their result). */
  readonly submissions: SubmissionService;
  /** Every AMS endpoint's module, as the route table runs them. */
  readonly endpoints: EndpointModules;
  readonly notifications: NotificationService;
  /** The clock everything reads; in sandbox mode one a tester can move forward. */
  readonly clock: Clock;
  readonly sandboxClock: SandboxClock | undefined;
  private readonly servers: FastifyInstance[] = [];
  private sweeping: Promise<unknown> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private baseUrl = '';

  /** `triggers`: the sandbox's request triggers, in sandbox mode only (`open` loads them). */
  private constructor(readonly config: GatewayConfig, database: Database, triggers: PayTriggerHooks | undefined, riskRule?: RiskDecisionRule) {
    this.metrics = new GatewayMetrics({
      outboxDepth: () => this.notifications.repository.outboxDepth(this.clock.now()),
      onCollectError: (error) => this.servers[0]?.log.error({ err: error }, 'metrics: counting the notification outbox failed'),
    });
    // Everything below uses the timed database: each transaction and read is one amsgate_db_duration_seconds observation.
    database = observedDatabase(database, (unit, seconds) => this.metrics.observeDatabase(unit, seconds));
    this.database = database;
    this.rates = new RateTable(config.exchangeRates);
    this.sandboxClock = config.mode !== 'sandbox' ? undefined : config.clock instanceof SandboxClock ? config.clock : new SandboxClock(config.clock);
    this.clock = this.sandboxClock ?? config.clock;
    this.resources = new ResourceEngine(database, this.clock);
    this.clients = new ClientsRepository(database);
    this.registry = new ClientRegistry(this.clients, this.clock, config.clientCacheTtlMs);
    const notificationsRepository = new NotificationsRepository(database);
    const dispatcher = new NotificationDispatcher(notificationsRepository, this.registry, this.clock, {
      schedule: config.notifySchedule,
      timeoutMs: config.notifyTimeoutMs,
      concurrency: config.notifyConcurrency,
      pollIntervalMs: config.notifyPollIntervalMs,
      maxResponseBytes: config.notifyMaxResponseBytes,
      allowInternal: allowsInternalNotifyUrls(config),
      onError: (error) => this.servers[0]?.log.error({ err: error }, 'notification delivery failed'),
      onAttempt: (outcome) => this.metrics.observeNotificationAttempt(outcome),
      // One indexed read of the claimed rows a second, and a lock probe per other holder: a killed process's deliveries resume within about a second.
      takeoverIntervalMs: 1_000,
      // Four or more AMS requests being answered at once: deliveries give way (two in flight) so the request path keeps its rate.
      requestsBusy: () => (this.amsPipeline?.inFlight ?? 0) >= 4,
      busyConcurrency: 2,
    }, () => database.liveness());
    this.notifications = new NotificationService(notificationsRepository, dispatcher);
    const paymentEvents = new PaymentNotifications(new NotificationOutbox(() => dispatcher.poke()));
    const offers = config.paymentMethodOffers ?? DEFAULT_PAYMENT_METHOD_OFFERS;
    this.payments = new PaymentService(
      database,
      this.clock,
      {
        cashierExpiryMs: config.cashierExpiryMs,
        checkoutUrl: (paymentId) => `${this.baseUrl}/checkout/${paymentId}`,
        // Gateway mode: only in-store payment codes schedule outcomes, so other payments close without a query.
        duePolicy: scheduledOutcomeDuePolicy({ sandboxTriggers: config.mode === 'sandbox' }),
        triggers,
        rates: this.rates,
        buyerCurrencyOf: (paymentMethodType) => offers.find((offer) => offer.paymentMethodType === paymentMethodType)?.buyerCurrency,
        isWallet: walletsOf(offers),
        scheduleDispute: (tx, payment, afterMs, now) => this.disputes.schedule(tx, payment, afterMs, now),
      },
      paymentEvents,
    );
    this.inStore = new InStoreService(database, this.clock, {
      ...DEFAULT_IN_STORE_OPTIONS, ...config.inStore, checkoutUrl: (paymentId) => `${this.baseUrl}/checkout/${paymentId}`,
    }, this.payments);
    const operationOptions = {
      paymentMethods: config.paymentMethods,
      currentPayment: (tx: Tx, payment: PaymentRecord, now: number) => this.payments.closeIfExpired(tx, payment, now),
    };
    this.refunds = new RefundService(database, this.clock, { ...operationOptions, rates: this.rates }, paymentEvents);
    this.captures = new CaptureService(database, this.clock, operationOptions, paymentEvents);
    this.autoDebit = new AutoDebitService(database, this.clock, {
      ...DEFAULT_AUTO_DEBIT_TIMES, amountDecline: triggers?.amountDeclineOf, authorizeUrl: (consultId) => `${this.baseUrl}/authorize/${consultId}`,
      conversionsOf: (request, amount) => this.payments.conversionsOf(request, amount),
    }, paymentEvents);
    this.vaults = new VaultService(database, this.clock, { ...DEFAULT_VAULT_OPTIONS, pageUrl: (vaultingId) => `${this.baseUrl}/vault/${vaultingId}` }, new NotificationOutbox(() => dispatcher.poke()));
    this.subscriptions = new SubscriptionService(database, this.clock, {
      ...DEFAULT_SUBSCRIPTION_OPTIONS, pageUrl: (subscriptionId) => `${this.baseUrl}/subscribe/${subscriptionId}`,
      conversionsOf: (request, amount) => this.payments.conversionsOf(request, amount),
    }, new NotificationOutbox(() => dispatcher.poke()), this.refunds);
    // Each period's payment when the clock reaches it; a subscription several periods behind pays each, in order.
    this.dueWork.push(() => this.subscriptions.runDue());
    this.disputes = new DisputeService(database, this.clock, DEFAULT_DISPUTE_OPTIONS, new NotificationOutbox(() => dispatcher.poke()));
    this.dueWork.push(() => this.disputes.runDue());
    this.customs = new CustomsService(database, this.clock, DEFAULT_CUSTOMS_OPTIONS);
    this.risk = new RiskService(database, this.clock, riskRule);
    this.marketplace = {
      subMerchants: new SubMerchantService(database, this.clock, DEFAULT_SUB_MERCHANT_OPTIONS, new NotificationOutbox(() => dispatcher.poke())),
      funds: new FundsService(database, this.clock),
    };
    // Sub-merchant registrations the sandbox approves by itself once their delay is over.
    this.dueWork.push(() => this.marketplace.subMerchants.runDue());
    this.registrations = new RegistrationService(database, this.clock, { ...DEFAULT_REGISTRATION_OPTIONS, ...config.registration }, new NotificationOutbox(() => dispatcher.poke()));
    // Reviews past their end: approved by every payment method, notified.
    this.dueWork.push(() => this.registrations.runDue());
    const consult = new ConsultService(offers, { logoUrl: (logoName) => `${this.baseUrl}${logoPath(logoName)}` });
    const sessions = new PaymentSessionService(this.payments, this.clock, () => this.baseUrl);
    const agreementSessions = new AgreementSessionService(database, this.clock, {
      authorizeUrl: (consultId) => `${this.baseUrl}/authorize/${consultId}`, consultTtlMs: DEFAULT_AUTO_DEBIT_TIMES.consultTtlMs,
    });
    const updates = new AmountUpdateService(database, this.clock, { currentPayment: operationOptions.currentPayment, amountDecline: triggers?.amountDeclineOf }, paymentEvents);
    const verifications = new VerificationService(database, this.clock, this.payments);
    const confirmationDelayOf = (paymentMethodType: string) => offers.find((offer) => offer.paymentMethodType === paymentMethodType)?.confirmationDelayMs;
    this.submissions = new SubmissionService(database, this.clock, {
      confirmsLater: (paymentMethodType) => confirmationDelayOf(paymentMethodType) !== undefined,
      // Gateway mode schedules nothing: a submitted transfer waits for its expiry (only the sandbox confirms one).
      confirmationDelayOf: (paymentMethodType) => (config.mode === 'sandbox' ? confirmationDelayOf(paymentMethodType) : undefined),
    }, this.payments, paymentEvents);
    const resourceDeps: ResourceProductDeps = {
      engine: this.resources, database, clock: this.clock, outbox: new NotificationOutbox(() => dispatcher.poke()), rates: this.rates,
      baseUrl: () => this.baseUrl, onDue: (run) => this.dueWork.push(run), taxRates: new TaxRateTable(config.taxRates),
    };
    this.businessAccountSandbox = new BusinessAccountSandbox(resourceDeps);
    // Typed as every endpoint: one the protocol defines without a module here does not compile.
    this.endpoints = {
      ...paymentsEndpoints({
        payments: this.payments, refunds: this.refunds, captures: this.captures, consult, sessions, triggers, agreementSessions, updates, verifications,
        arrears: new ArrearService(database, this.clock), invoiceFiles: new InvoiceFileService(database, this.clock),
        customsDeclarationOf: (clientId, paymentId) => this.customs.declaredAmountOf(clientId, paymentId),
        taxCalculationProblem: (clientId, request) => taxCalculationProblem(database, this.clock, clientId, request),
        payProducts: {
          CASHIER_PAYMENT: cashierPayProduct(this.payments, { names: paysWithCardOnFile, pay: cardOnFilePay(this.vaults, this.payments) }),
          AGREEMENT_PAYMENT: agreementPayProduct(this.autoDebit),
          IN_STORE_PAYMENT: inStorePayProduct(this.inStore),
        },
      }),
      ...autoDebitEndpoints(this.autoDebit),
      ...vaultEndpoints(this.vaults),
      ...subscriptionEndpoints(this.subscriptions),
      ...disputeEndpoints(this.disputes),
      ...customsEndpoints(this.customs),
      ...riskEndpoints(this.risk),
      ...marketplaceEndpoints(this.marketplace),
      ...registrationEndpoints(this.registrations),
      ...userEndpoints(new UserService(database, this.clock, DEFAULT_USER_OPTIONS)),
      ...fxEndpoints({ rates: this.rates, clock: this.clock }),
      ...cardsEndpoints(),
      ...devicesEndpoints({ certificates: new DeviceCertificateService(database, this.clock, this.registry) }),
      ...resourceProductEndpoints(resourceDeps),
    };
  }

  /**
   * Each product's work that falls due on the clock, run in this order by
   * the sweeper and after every sandbox clock advance: payments past their
   * expiry or scheduled outcome first, then what products register here
   * (subscription periods, dispute deadlines). Each must claim its work with
   * a conditional update, so several processes on one database do it once.
   */
  private readonly dueWork: Array<() => Promise<unknown>> = [];

  /** Runs everything due now (see `dueWork`). */
  async runDueWork(): Promise<void> {
    await this.payments.closeExpired();
    for (const run of this.dueWork) await run();
  }

  static async open(overrides: Partial<GatewayConfig> = {}): Promise<Gateway> {
    const config = { ...DEFAULT_CONFIG, ...overrides };
    // The database is open before the gateway (and its logger) exists: a session ended by the server is logged once there is one.
    const sessionLog: { warn?: (error: Error) => void } = {};
    const database = await openDatabase({
      url: config.databaseUrl, dataDir: config.dataDir, schema: config.databaseSchema, sqliteDurability: config.sqliteDurability,
      onSessionError: (error) => sessionLog.warn?.(error),
    });
    // Gateway mode never loads the sandbox's request triggers: amounts and order ids stay opaque there.
    const triggers = config.mode === 'sandbox' ? (await import('./sandbox/triggers.js')).SANDBOX_PAY_TRIGGERS : undefined;
    const riskRule = config.mode === 'sandbox' ? (await import('./sandbox/risk-triggers.js')).SANDBOX_RISK_RULE : undefined;
    const gateway = new Gateway(config, database, triggers, riskRule);
    sessionLog.warn = (error) => gateway.servers[0]?.log.warn({ err: error }, 'a PostgreSQL session ended by the server was dropped from the pool');
    return gateway;
  }

  async start(): Promise<StartedGateway> {
    const config = this.config;
    // Scenario simulation rules live in this process (sandbox mode is one process, like its clock).
    const scenarios = config.mode === 'sandbox' ? new SandboxScenarios(this.clock, async (clientId) => (await this.clients.findPublic(clientId)) !== undefined) : undefined;
    // The request log too (sandbox mode only; gateway mode records nothing).
    const requestLog = config.mode === 'sandbox' ? new RequestLog(this.clock, config.requestLog) : undefined;
    const pipeline = (this.amsPipeline = new AmsPipeline({
      scenarios,
      recorder: requestLog,
      clock: this.clock,
      registry: this.registry,
      rateLimiter: new RateLimiter(config.rateLimitPerSecond),
      // Ample for a developer chasing a signature bug; a flood in someone's name gets unsigned answers.
      unverifiedSigning: new RateLimiter(UNVERIFIED_SIGNED_PER_SECOND),
      run: routeTable(this.endpoints),
      sessions: { clientOf: (sessionId, now) => this.database.read((db) => clientOfSession(db, sessionId, now)) },
      maxClockSkewMs: config.maxClockSkewMs,
      onUnexpectedError: (error) => this.servers[0]?.log.error({ err: error }, 'unexpected error in a handler or the request log'),
    }));
    const open = adminIsOpen(config);
    const control: ControlOptions = {
      mode: config.mode, open, adminToken: config.adminToken,
      payments: this.payments, notifications: this.notifications, database: this.database, clients: this.clients,
      runDueWork: () => this.runDueWork(), clock: this.sandboxClock, autoDebit: this.autoDebit, scenarios, requestLog, allowInternalNotifyUrls: allowsInternalNotifyUrls(config),
      subscriptions: this.subscriptions,
      disputes: this.disputes,
      subMerchants: this.marketplace.subMerchants,
      registrations: this.registrations,
      businessAccount: this.businessAccountSandbox,
    };
    const dashboard: Omit<DashboardOptions, 'secure'> = {
      mode: config.mode, open, adminToken: config.adminToken,
      // Sessions expire on real time: advancing the sandbox clock must not log the developer out.
      now: () => Date.now(),
      services: {
        database: this.database, clients: this.clients, payments: this.payments, notifications: this.notifications,
        runDueWork: () => this.runDueWork(), requestLog, scenarios, clock: this.sandboxClock, baseUrl: () => this.baseUrl,
        allowInternalNotifyUrls: allowsInternalNotifyUrls(config),
        disputes: this.disputes,
        risk: this.risk,
      },
    };
    // With an admin token, every gateway process sharing it (several on one PostgreSQL) accepts the others' buyer forms.
    const csrfSecret = capabilitySecretOf(config.adminToken);
    const routes: RouteRegistrar[] = [
      (app) => registerCheckoutRoutes(app, { payments: this.payments, submissions: this.submissions, database: this.database, clock: this.clock, csrfSecret }),
      (app) => registerAuthorizationPage(app, this.autoDebit, csrfSecret),
      (app) => registerVaultingPage(app, this.vaults, csrfSecret),
      (app) => registerSubscriptionPage(app, this.subscriptions, csrfSecret),
      (app) => registerBillingPages(app, { database: this.database, clock: this.clock }),
      (app) => registerLogoRoutes(app),
      (app) => registerControlRoutes(app, control),
      (app, { secure }) => registerDashboard(app, { ...dashboard, secure }, DASHBOARD_PAGES),
      (app) => registerMetricsRoute(app, { open, adminToken: config.adminToken, readOnlyToken: config.metricsToken }, () => this.metrics.scrape()),
    ];
    const serverOptions = { pipeline, database: this.database, bodyLimitBytes: config.bodyLimitBytes, logger: config.logger, routes, observer: this.metrics };

    const http = buildServer(serverOptions);
    this.servers.push(http);
    const httpAddress = await http.listen({ host: config.host, port: config.port });
    this.baseUrl = config.publicBaseUrl?.replace(/\/$/, '') ?? httpAddress;

    let httpsUrl: string | undefined;
    if (config.httpsPort !== null) {
      const tls = config.tls
        ? { cert: readFileSync(config.tls.certFile, 'utf8'), key: readFileSync(config.tls.keyFile, 'utf8') }
        : await loadOrCreateCertificate(config.dataDir).then((c) => ({ cert: c.certPem, key: c.keyPem }));
      const https = buildServer({ ...serverOptions, https: tls });
      this.servers.push(https);
      httpsUrl = (await https.listen({ host: config.host, port: config.httpsPort })).replace(/^http:/, 'https:');
    }

    let createdSandboxClient: ClientCredentials | undefined;
    let credentialsFile: string | undefined;
    if (config.mode === 'sandbox' && config.createSandboxClient) {
      credentialsFile = join(config.dataDir, CREDENTIALS_FILE);
      // Clients made with `amsgate clients create` before the first start (production ones, say) do not count.
      if (!(await this.clients.list()).some((client) => isSandboxClientId(client.clientId))) {
        // The data dir holds the only copy of the generated private key: it must exist before the client does.
        mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
        // Another gateway starting on the same database at this moment may make it first: then this one has no credentials file.
        const created = await this.clients.createFirstSandboxClient({ name: 'Sandbox client' });
        if (created !== undefined) {
          createdSandboxClient = credentialsOf(created, this.baseUrl);
          writeSecretFile(credentialsFile, `${JSON.stringify(createdSandboxClient, null, 2)}\n`);
        } else if (!existsSync(credentialsFile)) {
          credentialsFile = undefined;
        }
      } else if (!existsSync(credentialsFile)) {
        credentialsFile = undefined;
      } else {
        refreshCredentialsBaseUrl(credentialsFile, this.baseUrl);
      }
    }

    if (config.notifyDispatch) {
      // Claims left by a killed process are due again at once; on SQLite (one serving process per file) so are any without a holder.
      await this.notifications.dispatcher.takeOverGoneClaims({ includeUnowned: this.database.dialect === 'sqlite' });
      this.notifications.dispatcher.start();
    }

    if (config.sweepIntervalMs > 0) {
      this.sweeper = setInterval(() => {
        // One sweep at a time; close() waits for the one running, so it never writes to a closed database.
        this.sweeping ??= this.runDueWork()
          .catch((error: unknown) => http.log.error({ err: error }, 'expiry sweep failed'))
          .finally(() => (this.sweeping = undefined));
      }, config.sweepIntervalMs);
      this.sweeper.unref();
    }
    return { httpUrl: this.baseUrl, httpListenUrl: httpAddress, httpsUrl, createdSandboxClient, credentialsFile };
  }

  /**
   * Runs an endpoint in-process for a client, as the pipeline does once a
   * request is authenticated: the body is validated and normalised (a bad
   * one throws PARAM_ILLEGAL), then its module runs. No HTTP, no signature:
   * for tools and tests that drive the gateway from inside the process.
   */
  async run<P extends EndpointPath>(path: P, clientId: string, body: unknown): Promise<AnswerBody<P>> {
    const validated = validateRequest(path, body);
    if (!validated.ok) throw toParamIllegal(validated);
    return runModule(this.endpoints[path] as EndpointModule<P>, clientId, validated.value);
  }

  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all(this.servers.map((server) => closeServer(server, CLOSE_GRACE_MS)));
    await this.sweeping;
    await this.notifications.dispatcher.stop();
    await this.database.close();
  }
}


function allowsInternalNotifyUrls(config: GatewayConfig): boolean {
  return config.allowInternalNotifyUrls ?? config.mode === 'sandbox';
}

/**
 * The credentials file tells the SDK, `amsgate call` and the control-API
 * commands where the gateway is: after a start on another port or public
 * base URL, its `baseUrl` says so. A file that is not a JSON object is left
 * alone (its reader reports it).
 */
function refreshCredentialsBaseUrl(file: string, baseUrl: string): void {
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return;
  if ((record as { baseUrl?: unknown }).baseUrl === baseUrl) return;
  writeSecretFile(file, `${JSON.stringify({ ...record, baseUrl }, null, 2)}\n`);
}

