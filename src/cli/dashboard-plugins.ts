// What a collector started from the command line serves beside its API: the dashboard.
import { dashboardPlugin } from '../collector/dashboard/plugin.js';
import type { CollectorPlugin } from '../collector/server.js';

export async function dashboardPlugins(): Promise<CollectorPlugin[]> {
  return [dashboardPlugin as CollectorPlugin];
}
