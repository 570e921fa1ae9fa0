/** What the dashboard's pages read and change: the gateway's own services, nothing of their own. */
import type { ClientsRepository } from '../../auth/clients-repository.js';
import type { PaymentService } from '../../products/payments/payment-service.js';
import type { DisputeService } from '../../products/disputes/dispute-service.js';
import type { RiskService } from '../../products/risk/risk-service.js';
import type { NotificationService } from '../../notify/notification-service.js';
import type { RequestLog } from '../../sandbox/request-log/request-log.js';
import type { SandboxScenarios } from '../../sandbox/scenarios.js';
import type { SandboxClock } from '../../sandbox/sandbox-clock.js';
import type { Database } from '../../schema.js';

export interface DashboardServices {
  database: Database;
  clients: ClientsRepository;
  payments: PaymentService;
  notifications: NotificationService;
  /** Runs what fell due on the clock (the clock page calls it after advancing). */
  runDueWork: () => Promise<unknown>;
  /** Sandbox mode only. */
  requestLog?: RequestLog;
  scenarios?: SandboxScenarios;
  clock?: SandboxClock;
  /** The gateway's public base URL (what SDKs are pointed at). */
  baseUrl: () => string;
  /** Whether notify URLs may point at loopback or private addresses (the gateway's delivery setting). */
  allowInternalNotifyUrls: boolean;
  /** Disputes: shown on a payment's page; in sandbox mode opened, judged and cancelled there. */
  disputes?: DisputeService;
  /** Risk decisions, reports and results (`/dashboard/risk`, read-only). */
  risk?: RiskService;
}
