/** Every dashboard page module, in navigation order (the overview is built in). */
import type { DashboardPageModule } from './dashboard.js';

export const DASHBOARD_PAGES: readonly DashboardPageModule[] = [];
