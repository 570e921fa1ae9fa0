/**
 * A sandbox gateway inside a test suite, as stripe-mock is for Stripe:
 * `await startSandbox()` serves on a free loopback port with an in-memory
 * SQLite (nothing on disk, nothing left behind), creates a sandbox client,
 * and hands the test what it needs to drive the flows a buyer and time
 * drive in real life: `complete` (the checkout page's buttons),
 * `subscriptions` (the subscription page's), `clock` (the sandbox clock)
 * and a notification inbox to use as the notify URL.
 */
import { generateKeyPair, importPublicKey } from '@amsgate/protocol';
import { credentialsOf, Gateway, type ClientCredentials, type GatewayConfig } from './gateway.js';
import { NotificationInbox } from './sandbox/notification-inbox.js';
import { advanceSandboxClock } from './sandbox/advance-clock.js';
import { parseDuration } from './sandbox/sandbox-clock.js';
import type { PaymentStatus } from './products/payments/tables.js';

export interface SandboxOptions {
  /** A PostgreSQL URL to run on instead of the in-memory SQLite. */
  databaseUrl?: string;
  /** Any other gateway setting (`cashierExpiryMs`, `notifySchedule`, …); `mode` stays `sandbox`. */
  config?: Partial<Omit<GatewayConfig, 'mode'>>;
}

/** What `new AntomClient(sandbox.clientOptions)` of `@amsgate/client` takes. */
export interface SandboxClientOptions {
  clientId: string;
  privateKey: string;
  antomPublicKey: string;
  keyVersion: number;
  baseUrl: string;
}

/** How the buyer ends a payment: pays, or fails it with an `F` result code (default `USER_BALANCE_NOT_ENOUGH`). */
export type SandboxOutcome = 'success' | { fail: string; message?: string };

export interface CompletedPayment {
  paymentId: string;
  paymentRequestId: string;
  paymentStatus: PaymentStatus;
  paymentResultCode: string;
}

/** What the buyer's answer on a subscription page made of the subscription. */
export interface DecidedSubscription {
  subscriptionId: string;
  /** ACTIVE (agreed) or TERMINATED (refused). */
  status: string;
  /** subscriptionRedirectUrl, where the page sends the buyer. */
  redirectUrl: string;
}

export interface StartedSandbox {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** The sandbox client, its merchant private key included (nothing is written to disk). */
  readonly credentials: Required<ClientCredentials>;
  readonly clientOptions: SandboxClientOptions;
  /** A notify URL that acknowledges, verifies and keeps what it receives: give `notifications.url` as `paymentNotifyUrl`. */
  readonly notifications: NotificationInbox;
  readonly clock: {
    /** Epoch ms on the sandbox clock. */
    now(): number;
    /** Moves the clock forward (`"2h"`, `"1h30m"`, `"1mo"`: a calendar month, or ms); expiries, subscription periods and notification retries due by then happen at once. Returns the new time. */
    advance(by: string | number): Promise<number>;
  };
  /** Plays the buyer on a pending payment, as the checkout page does. */
  complete(paymentId: string, outcome?: SandboxOutcome): Promise<CompletedPayment>;
  /** Plays the buyer on a subscription's authorisation page, and the wallet's balance for its next payment. */
  readonly subscriptions: {
    /** Agrees on the page at `normalUrl` (or by the subscriptionId at its end): ACTIVE, the running period paid at once. */
    agree(normalUrlOrId: string): Promise<DecidedSubscription>;
    /** Refuses on the page: TERMINATED, notified without a subscriptionId. */
    refuse(normalUrlOrId: string): Promise<DecidedSubscription>;
    /** The subscription's next payment attempt fails with this code (`USER_BALANCE_NOT_ENOUGH` is retried a day later when allowRetry). */
    failNextPayment(subscriptionId: string, resultCode: string): Promise<void>;
  };
  /** The gateway itself, for anything else (`gateway.run`, repositories). */
  readonly gateway: Gateway;
  /** Stops the gateway and the inbox; the in-memory database is gone with it. */
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<StartedSandbox> {
  // Generating the client's two RSA pairs is most of the start-up: do it on the thread pool while the gateway opens and starts.
  const pairs = Promise.all([generateKeyPair(), generateKeyPair()]);
  const gateway = await Gateway.open({
    dataDir: ':memory:',
    port: 0,
    httpsPort: null,
    logger: false,
    // In memory there is no disk to be durable on.
    sqliteDurability: 'normal',
    createSandboxClient: false,
    ...options.config,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    mode: 'sandbox',
  });
  let inbox: NotificationInbox | undefined;
  try {
    const started = await gateway.start();
    const [gatewayPair, merchantPair] = await pairs;
    // A client of its own, also on a PostgreSQL database that has others.
    const credentials = credentialsOf(await gateway.clients.create({ sandbox: true, name: 'Sandbox client', pairs: { gateway: gatewayPair, merchant: merchantPair } }), started.httpUrl);
    const merchantPrivateKey = merchantPair.privateKeyBase64;
    inbox = await NotificationInbox.open(importPublicKey(credentials.antomPublicKey));
    const clock = gateway.sandboxClock;
    if (clock === undefined) throw new Error('a sandbox gateway without its sandbox clock');
    const full = { ...credentials, merchantPrivateKey, baseUrl: started.httpUrl };
    const notifications = inbox;
    return {
      baseUrl: started.httpUrl,
      credentials: full,
      clientOptions: { clientId: full.clientId, privateKey: merchantPrivateKey, antomPublicKey: full.antomPublicKey, keyVersion: full.keyVersion, baseUrl: started.httpUrl },
      notifications,
      clock: {
        now: () => clock.now(),
        advance: (by) => advanceSandboxClock(clock, typeof by === 'number' ? by : parseDuration(by, clock.now()), gateway),
      },
      complete: async (paymentId, outcome = 'success') => {
        const payment = await gateway.payments.complete(
          paymentId,
          outcome === 'success' ? { kind: 'success' } : { kind: 'fail', resultCode: outcome.fail, resultMessage: outcome.message },
        );
        return { paymentId: payment.paymentId, paymentRequestId: payment.paymentRequestId, paymentStatus: payment.status, paymentResultCode: payment.resultCode };
      },
      subscriptions: {
        agree: (normalUrlOrId) => decideSubscription(gateway, normalUrlOrId, true),
        refuse: (normalUrlOrId) => decideSubscription(gateway, normalUrlOrId, false),
        failNextPayment: async (subscriptionId, resultCode) => {
          await gateway.subscriptions.failNextPayment(subscriptionId, resultCode);
        },
      },
      gateway,
      stop: async () => {
        await Promise.all([gateway.close(), notifications.close()]);
      },
    };
  } catch (error) {
    await Promise.all([gateway.close(), inbox?.close(), pairs.catch(() => undefined)]).catch(() => undefined);
    throw error;
  }
}

async function decideSubscription(gateway: Gateway, normalUrlOrId: string, agree: boolean): Promise<DecidedSubscription> {
  // The page's path is /subscribe/{subscriptionId}: its last segment, without a query (applinkUrl has one).
  const subscriptionId = normalUrlOrId.split('?')[0]!.split('/').pop() ?? '';
  const decided = await gateway.subscriptions.decide(subscriptionId, agree);
  return { subscriptionId: decided.subscription.subscriptionId, status: decided.subscription.status, redirectUrl: decided.redirectUrl };
}
