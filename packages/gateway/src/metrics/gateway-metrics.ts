/**
 * The gateway's Prometheus metrics, on a registry of its own: several
 * gateways in one process (the tests) count apart, and nothing lands in
 * prom-client's global registry. The edge, the notification dispatcher and
 * the store report through the narrow callbacks they declare (this class
 * fits them; they import nothing of this room, and only this room uses
 * prom-client). Every label value comes from a closed set: endpoint paths
 * of the protocol's definitions (or `unknown`), catalogue result codes,
 * attempt outcomes, database operations.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isResultCode, type Result } from '@amsgate/protocol';

/** Notifications waiting in the outbox: every `PENDING` one, and those of them due now (waiting only for a delivery slot). */
export interface OutboxDepth {
  pending: number;
  due: number;
}

/** How one delivery attempt ended (the dispatcher's `AttemptOutcome`). */
export type NotificationAttemptOutcome = 'delivered' | 'rejected' | 'timeout' | 'network' | 'refused';

/** `transaction`: `Database.transaction` (writes); `read`: `Database.read` (reads that belong together). */
export type DatabaseOperation = 'transaction' | 'read';

export interface GatewayMetricsOptions {
  /** Counted when scraped; absent: no outbox gauge. */
  outboxDepth?: () => Promise<OutboxDepth>;
  /** The outbox count failed: that scrape answers without the gauge. */
  onCollectError?: (error: unknown) => void;
}

/** What `GET /metrics` answers. */
export interface Scrape {
  contentType: string;
  body: string;
}

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DATABASE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'endpoint' | 'result_status' | 'result_code'>;
  private readonly requestSeconds: Histogram<'endpoint'>;
  private readonly attempts: Counter<'outcome'>;
  private readonly databaseSeconds: Histogram<'operation'>;

  constructor(options: GatewayMetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'amsgate_requests_total',
      help: 'AMS requests answered, by endpoint (the definition the path routed to, or unknown), result status and result code.',
      labelNames: ['endpoint', 'result_status', 'result_code'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'amsgate_request_duration_seconds',
      help: 'Time to answer an AMS request once its body was read (verification, handler, signing), by endpoint.',
      labelNames: ['endpoint'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.attempts = new Counter({
      name: 'amsgate_notification_attempts_total',
      help: 'Notification delivery attempts, by outcome: delivered, rejected (answered without the acknowledgement), timeout, network, refused (URL or client that can never work).',
      labelNames: ['outcome'],
      registers,
    });
    this.databaseSeconds = new Histogram({
      name: 'amsgate_db_duration_seconds',
      help: 'Time a caller waited for a database unit of work, from asking to settled: transaction (writes, committed durably; SQLite includes joining the group commit) or read.',
      labelNames: ['operation'],
      buckets: DATABASE_BUCKETS,
      registers,
    });
    const outboxDepth = options.outboxDepth;
    if (outboxDepth) {
      new Gauge<'state'>({
        name: 'amsgate_notification_outbox',
        help: 'Notifications waiting for delivery when scraped: pending (every PENDING one, retries included) and due (pending and due now).',
        labelNames: ['state'],
        registers,
        async collect() {
          try {
            const depth = await outboxDepth();
            this.set({ state: 'pending' }, depth.pending);
            this.set({ state: 'due' }, depth.due);
          } catch (error) {
            this.reset();
            options.onCollectError?.(error);
          }
        },
      });
    }
  }

  /** One AMS answer; `endpoint` is a definition's path or `unknown`, never the raw URL. */
  observeRequest(endpoint: string, result: Result, seconds: number): void {
    const resultCode = isResultCode(result.resultCode) ? result.resultCode : 'OTHER';
    this.requests.inc({ endpoint, result_status: result.resultStatus, result_code: resultCode });
    this.requestSeconds.observe({ endpoint }, seconds);
  }

  observeNotificationAttempt(outcome: NotificationAttemptOutcome): void {
    this.attempts.inc({ outcome });
  }

  observeDatabase(operation: DatabaseOperation, seconds: number): void {
    this.databaseSeconds.observe({ operation }, seconds);
  }

  /** The text exposition: this gateway's metrics, then the process's (`process_*`, `nodejs_*`). */
  async scrape(): Promise<Scrape> {
    const [own, ofProcess] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return { contentType: this.registry.contentType, body: `${own}\n${ofProcess}` };
  }
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics describe the process, not a gateway, and
 * collecting them starts an event-loop delay monitor and a GC observer that
 * are never stopped: one set per process, made on the first scrape (a
 * process never scraped, like a test or a CLI command, starts neither).
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
