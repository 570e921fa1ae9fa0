import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // RSA key generation and signing are CPU-bound; this machine has 2 cores.
    testTimeout: 20_000,
    // Hooks start and close whole gateways (migrations, key pairs, PostgreSQL schemas) while another file runs beside them.
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
