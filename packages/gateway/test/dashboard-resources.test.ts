/**
 * /dashboard/resources: the resource products' records across clients,
 * filtered by kind, client and status, each with its document and its
 * timeline (created, then every change); a card's secret record is never
 * listed or shown, and nothing on these pages carries a card number or CVV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, uniqueId, type TestGateway } from './harness.js';
import { DashboardSession } from './dashboard-session.js';

describe('dashboard: resources', () => {
  let t: TestGateway;
  let dashboard: DashboardSession;
  beforeAll(async () => {
    t = await startTestGateway('sqlite');
    dashboard = new DashboardSession(t.baseUrl);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists resources by kind and shows one with its timeline; a card\'s secrets appear nowhere', async () => {
    const created = await t.call('billing/customer/create', { customerRequestId: uniqueId('cus'), email: `${uniqueId('dash')}@example.com` });
    const customerId = created.body.customerId as string;
    expect((await t.call('billing/customer/update', { customerId, firstName: 'Ada' })).body.result.resultCode).toBe('SUCCESS');
    expect((await t.call('billing/customer/delete', { customerId })).body.result.resultCode).toBe('SUCCESS');
    const card = await t.call('aba/cards/applyCard', { requestId: uniqueId('card') });
    expect(card.body.result.resultCode).toBe('SUCCESS');
    const cardNo = card.body.cardNo as string;
    expect(cardNo).toMatch(/^\d{16}$/);

    const all = await dashboard.get('/dashboard/resources');
    expect(all.status).toBe(200);
    expect(all.html).toContain(customerId);
    expect(all.html).toContain(card.body.assetId as string);
    expect(all.html).not.toContain('aba.cardSecret');
    expect(all.html).not.toContain(cardNo);

    const customers = await dashboard.get('/dashboard/resources?kind=billing.customer&status=DELETED');
    expect(customers.html).toContain(customerId);
    expect(customers.html).not.toContain(card.body.assetId as string);

    const detail = await dashboard.get(`/dashboard/resources/${customerId}`);
    expect(detail.status).toBe(200);
    const timeline = /<table[^>]*id="resource-timeline"[\s\S]*?<\/table>/.exec(detail.html)?.[0] ?? '';
    const events = [...timeline.matchAll(/<tr>\s*<td>(\d+)<\/td>[\s\S]*?<\/td><td>([a-z]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(events).toEqual(['1 created', '2 updated', '3 deleted']);
    expect(detail.html).toContain('Ada');

    const cardPage = await dashboard.get(`/dashboard/resources/${card.body.assetId as string}`);
    expect(cardPage.status).toBe(200);
    expect(cardPage.html).not.toContain(cardNo);
    expect(cardPage.html).not.toContain(`"cvv"`);
    const secrets = await t.gateway.database.db.selectFrom('resources').select('id').where('kind', '=', 'aba.cardSecret').execute();
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect((await dashboard.get(`/dashboard/resources/${secret.id}`)).status).toBe(404);
  });
});
