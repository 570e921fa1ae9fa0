/**
 * What tools need to know of the gateway without loading it
 * (`@amsgate/gateway/constants`): file names, URL rules, enum values. The
 * command line reads these at start-up; importing this module must stay
 * free of Fastify, Kysely and the database drivers.
 */
export { SQLITE_FILE, isPostgresUrl, redactUrl } from './store/database-url.js';
export { writeSecretFile } from './store/secret-file.js';
export { NOTIFY_TYPES, NOTIFICATION_STATUSES } from './notify/tables.js';
export { isLoopbackHostname, nonLoopbackHostProblem } from './web/loopback-host.js';
export { isSandboxClientId } from './ids.js';
export { parseNotifyUrl, RefusedUrlError } from './notify/url-guard.js';

/** The sandbox client's credentials file, in the data directory. */
export const CREDENTIALS_FILE = 'sandbox-credentials.json';
