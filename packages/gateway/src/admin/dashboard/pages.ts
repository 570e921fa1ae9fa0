/** Every dashboard page module, in navigation order (the overview is built in). */
import type { DashboardPageModule } from './dashboard.js';
import { registerClientsPages } from './clients-pages.js';
import { registerPaymentsPages } from './payments-pages.js';
import { registerRequestLogPages } from './request-log-pages.js';
import { registerNotificationsPages } from './notifications-pages.js';
import { registerScenarioPages } from './scenario-pages.js';
import { registerClockPage } from './clock-page.js';

export const DASHBOARD_PAGES: readonly DashboardPageModule[] = [
  registerClientsPages,
  registerPaymentsPages,
  registerRequestLogPages,
  registerNotificationsPages,
  registerScenarioPages,
  registerClockPage,
];
