export * from './result.js';
export * from './money.js';
export * from './keys.js';
export * from './signature-header.js';
export * from './signing.js';
export * from './time.js';
export * from './headers.js';
export * from './schemas/index.js';
