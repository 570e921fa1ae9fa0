/**
 * The delivery worker: claims due notifications from the outbox, signs and
 * POSTs each to its URL, records every attempt, and reschedules on Antom's
 * retry schedule until delivered or the schedule is used up. Bounded: at
 * most `concurrency` deliveries in flight, whatever is due.
 */
import { formatSignatureHeader, HEADER, JSON_CONTENT_TYPE, signRawAsync } from '@amsgate/protocol';
import type { ClientRegistry } from '../auth/client-registry.js';
import type { ProcessLiveness } from '../store/process-liveness.js';
import type { Clock } from '../clock.js';
import { deliverNotification, type AttemptOutcome, type DeliveryOptions, type DeliveryOutcome } from './deliver.js';
import type { AttemptRecord, NotificationRecord, NotificationsRepository } from './notifications-repository.js';
import { delayBeforeAttempt } from './schedule.js';

export interface DispatcherOptions extends DeliveryOptions {
  schedule: readonly number[];
  concurrency: number;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
  /** Told of every attempt made (scheduled or resent; not one abandoned by `stop()`), before it is recorded (metrics). */
  onAttempt?: (outcome: AttemptOutcome) => void;
  /** How often (wall time) to look for claims held by processes that are gone; also done on `start()`. */
  takeoverIntervalMs: number;
  /**
   * True while the request path is busy: then at most `busyConcurrency`
   * deliveries are in flight, so that a backlog (a receiver back after an
   * outage, a restart with thousands due) drains steadily without taking
   * the CPU that answers requests. Absent: never busy.
   */
  requestsBusy?: () => boolean;
  busyConcurrency?: number;
}

export class NotificationDispatcher {
  private inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  /** Aborted by `stop()`: deliveries in flight are abandoned rather than waited out to their timeout. */
  private stopping = new AbortController();

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly registry: ClientRegistry,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
    /** This process among those sharing the database (its claims carry its id). */
    private readonly liveness: () => Promise<ProcessLiveness>,
  ) {}

  /** When the last look for a gone process's claims began (`performance.now()`). */
  private lastTakeover = Number.NEGATIVE_INFINITY;

  /**
   * Frees the claims of processes that are gone (killed mid-delivery), so
   * their deliveries are due at once rather than when the claims expire.
   * `includeUnowned` also frees claims recorded without a holder (made
   * before holders were recorded): safe only where no other process can be
   * delivering (SQLite at start).
   */
  async takeOverGoneClaims(options: { includeUnowned?: boolean } = {}): Promise<number> {
    this.lastTakeover = performance.now();
    const self = await this.liveness();
    const holders = await this.repository.claimHoldersOtherThan(self.processId);
    const gone = holders.length > 0 ? await self.goneAmong(holders) : [];
    return this.repository.releaseClaimsOf(gone, options.includeUnowned ?? false);
  }

  start(): void {
    this.running = true;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.schedule(0);
  }

  /**
   * Stops claiming and abandons the deliveries in flight: their claims are
   * released without counting an attempt, so they are due again at once on
   * the next start (or, on PostgreSQL, in another gateway process). A
   * receiver may have got the request already; notifications are at least
   * once. Without this, closing waited out every slow receiver's timeout.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.stopping.abort();
    // A claim in flight (tracked too) may still start deliveries, which abandon at once: wait until none is left.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Look for due notifications soon (something was just queued). */
  poke(): void {
    if (this.running) this.schedule(0);
  }

  /** Claims what is due now and delivers it; resolves when those deliveries are recorded. For tests and tools. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.allSettled(claimed.map((n) => this.track(this.attempt(n, 'scheduled'))));
    return claimed.length;
  }

  /** A new attempt now, whatever the status: fresh request-time and signature. */
  async resend(notification: NotificationRecord): Promise<AttemptRecord> {
    const record = await this.attempt(notification, 'resend');
    if (record === undefined) throw new Error('the gateway is stopping: the notification was not resent');
    return record;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running || this.ticking) return;
    this.ticking = true;
    let claimed = 0;
    try {
      const batch = await this.track(this.claim());
      claimed = batch.length;
      // A slot came free: more may be waiting. (Failures are reported by track.)
      const slotFree = () => {
        if (this.running) this.schedule(0);
      };
      for (const notification of batch) void this.track(this.attempt(notification, 'scheduled')).then(slotFree, slotFree);
    } catch {
      // A failed claim was reported by track; the next tick tries again.
    } finally {
      this.ticking = false;
    }
    if (this.running && claimed === 0) this.schedule(this.options.pollIntervalMs);
  }

  private async claim(): Promise<NotificationRecord[]> {
    if (performance.now() - this.lastTakeover >= this.options.takeoverIntervalMs) await this.takeOverGoneClaims();
    const self = await this.liveness();
    const now = this.clock.now();
    const concurrency = this.options.requestsBusy?.() === true ? (this.options.busyConcurrency ?? 2) : this.options.concurrency;
    const free = concurrency - this.inFlight.size;
    // The claim outlives the longest delivery, so only a crashed worker's claim expires (if nobody sees it gone first).
    return this.repository.claimDue(now, now + this.options.timeoutMs * 3 + 5_000, free, self.processId);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.catch((error: unknown) => this.options.onError?.(error)).finally(() => this.inFlight.delete(promise));
    return promise;
  }

  /** Delivers once and records the attempt; undefined when `stop()` abandoned it (nothing recorded, claim released). */
  private async attempt(notification: NotificationRecord, why: 'scheduled' | 'resend'): Promise<AttemptRecord | undefined> {
    const signal = this.stopping.signal;
    const startedAt = this.clock.now();
    const requestTime = String(startedAt);
    const url = notification.url;
    if (url === null) throw new Error(`notification ${notification.notificationId} has no URL to deliver to`);
    const client = await this.registry.get(notification.clientId);
    const body = Buffer.from(notification.body, 'utf8');
    let outcome: DeliveryOutcome;
    if (!client) {
      outcome = { outcome: 'refused', succeeded: false, httpStatus: null, excerpt: null, error: `client ${notification.clientId} no longer exists`, durationMs: 0, permanent: true };
    } else {
      // Signed over the notify URL's path, as Antom's docs and SDK helpers verify it.
      const path = new URL(url).pathname;
      const signature = await signRawAsync({ method: 'POST', uri: path, clientId: client.clientId, time: requestTime, body }, client.signingKey);
      outcome = await deliverNotification(
        url,
        {
          'content-type': JSON_CONTENT_TYPE,
          [HEADER.clientId]: client.clientId,
          [HEADER.requestTime]: requestTime,
          [HEADER.signature]: formatSignatureHeader(client.signingKeyVersion, signature.toString('base64')),
        },
        body,
        this.options,
        signal,
      );
    }
    if (outcome.aborted) {
      if (why === 'scheduled') await this.repository.releaseClaim(notification.notificationId);
      return undefined;
    }
    this.options.onAttempt?.(outcome.outcome);
    const now = this.clock.now();
    const attemptNumber = notification.attempts + 1;
    let status = notification.status;
    let nextAttemptAt: number | null = notification.nextAttemptAt;
    if (outcome.succeeded) {
      status = 'DELIVERED';
      nextAttemptAt = null;
    } else if (why === 'scheduled') {
      const delay = outcome.permanent ? undefined : delayBeforeAttempt(this.options.schedule, attemptNumber + 1);
      status = delay === undefined ? 'FAILED' : 'PENDING';
      nextAttemptAt = delay === undefined ? null : now + delay;
    }
    return this.repository.recordAttempt(
      notification,
      {
        startedAt,
        url,
        requestTime,
        httpStatus: outcome.httpStatus,
        responseExcerpt: outcome.excerpt,
        error: outcome.error,
        durationMs: outcome.durationMs,
        succeeded: outcome.succeeded,
      },
      { status, nextAttemptAt, now },
    );
  }
}
