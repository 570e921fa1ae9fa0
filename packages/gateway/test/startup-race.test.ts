/** Several gateways started at the same moment on one empty PostgreSQL database all come up, migrated once. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { Gateway } from '../src/index.js';
import { GATEWAY_MIGRATIONS } from '../src/migrations.js';
import { dropSchema, postgresAvailable, POSTGRES_URL } from './harness.js';

const postgresOk = await postgresAvailable();

describe.skipIf(!postgresOk)('gateways started at once on an empty PostgreSQL database', () => {
  it('three at once, three times over: every one serves, each migration ran once, one sandbox client', async () => {
    for (let round = 0; round < 3; round++) {
      const schema = `s_${Date.now().toString(36)}_${round}_${Math.random().toString(36).slice(2, 6)}`;
      const gateways = await Promise.all(
        [0, 1, 2].map(async () => {
          const gateway = await Gateway.open({
            dataDir: mkdtempSync(join(tmpdir(), 'amsgate-race-')), port: 0, httpsPort: null, logger: false, sweepIntervalMs: 0,
            mode: 'sandbox', databaseUrl: POSTGRES_URL, databaseSchema: schema,
          });
          return { gateway, started: await gateway.start() };
        }),
      );
      const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
      try {
        for (const { started } of gateways) expect((await fetch(`${started.httpUrl}/readyz`)).status).toBe(200);
        const { rows } = await pool.query<{ name: string }>(`select name from "${schema}".kysely_migration order by name`);
        expect(rows.map((r) => r.name)).toEqual(Object.keys(GATEWAY_MIGRATIONS).sort());
        const created = gateways.filter(({ started }) => started.createdSandboxClient !== undefined);
        expect(created).toHaveLength(1);
        const clients = await gateways[0]!.gateway.clients.list();
        expect(clients).toHaveLength(1);
      } finally {
        await pool.end();
        for (const { gateway } of gateways) await gateway.close();
        await dropSchema(schema);
      }
    }
  });
});
