export * from './gateway.js';
export * from './clock.js';
export { ClientsRepository, ClientNotFoundError, type ClientRecord, type ClientKeyRecord, type CreatedClient } from './auth/clients-repository.js';
export { openDatabase, isPostgresUrl, redactUrl, SQLITE_FILE, type Database, type OpenOptions } from './store/database.js';
export { PaymentService, type Outcome } from './payments/payment-service.js';
export { createSelfSignedCertificate, loadOrCreateCertificate } from './http/self-signed-cert.js';
export { recommendedThreadPoolSize } from './thread-pool.js';
