/** Every dashboard page module, in navigation order. */
import type { DashboardPageModule } from './dashboard.js';
import { registerOverviewPage } from './overview-page.js';
import { registerClientsPages } from './clients-pages.js';
import { registerPaymentsPages } from './payments-pages.js';
import { registerRequestLogPages } from './request-log-pages.js';
import { registerNotificationsPages } from './notifications-pages.js';
import { registerRiskPage } from './risk-page.js';
import { registerResourcesPages } from './resources-pages.js';
import { registerScenarioPages } from './scenario-pages.js';
import { registerClockPage } from './clock-page.js';
import { registerApiReferencePage } from './api-reference-page.js';

export const DASHBOARD_PAGES: readonly DashboardPageModule[] = [
  registerOverviewPage,
  registerClientsPages,
  registerPaymentsPages,
  registerRequestLogPages,
  registerNotificationsPages,
  registerRiskPage,
  registerResourcesPages,
  registerScenarioPages,
  registerClockPage,
  registerApiReferencePage,
];
