/**
 * Usage metering end to end through signed HTTP on SQLite and PostgreSQL:
 * meters (create, update, details, numbered lists, one meter per event
 * name), upload sessions, usage events (SUM, COUNT and LAST read back by
 * `meteredUsage` over a period, deduplication by idempotency key, refused
 * events answered and notified), credit grants (lifecycle, expiry on the
 * sandbox clock, `consumeCredits` order and amounts), and another client's
 * meters and grants unseen.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS, notificationKindOf, validate } from '@amsgate/protocol';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { CREDIT_GRANT } from '../src/products/metering/kinds.js';
import { consumeCredits, meteredUsage } from '../src/products/metering/usage.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type CallResult, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Merchant {
  clientId: string;
  call: (endpoint: string, body: unknown) => Promise<CallResult>;
}

describe.each(DIALECTS)('metering on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));

    /** A client of its own per test: its meters, grants and notifications are the test's alone. */
    async function merchant(): Promise<Merchant> {
      const created = await t.gateway.clients.create({ sandbox: true, name: uniqueId('merchant') });
      const clientId = created.client.clientId;
      return { clientId, call: (endpoint, body) => t.call(endpoint, body, { clientId, privateKey: created.merchantPrivateKey as string }) };
    }

    function expectSuccess(answer: CallResult): void {
      expect(answer.body.result, JSON.stringify(answer.body.result)).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    }

    function expectRefused(answer: CallResult, resultCode: string, field?: string): void {
      expect(answer.body.result.resultCode, answer.body.result.resultMessage).toBe(resultCode);
      expect(answer.body.result.resultStatus).toBe('F');
      if (field !== undefined) expect(answer.body.result.resultMessage).toContain(field);
    }

    async function meter(m: Merchant, aggregationMethod: string, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
      const answer = await m.call('meter/create', { meterName: `${aggregationMethod} meter`, eventName: uniqueId('api_calls'), aggregationMethod, ...overrides });
      expectSuccess(answer);
      return answer.body.meter as Record<string, unknown>;
    }

    const usage = (m: Merchant, meterId: string, customerId: string, from: number, to: number) =>
      meteredUsage(t.gateway.resources.database.db, m.clientId, { customerId, meterId, from, to }).then((u) => u.quantity);

    const event = (customerId: string, eventTimestamp: number, value?: string, idempotencyKey?: string) => ({
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      eventTimestamp,
      payload: { customerId, ...(value !== undefined ? { value } : {}) },
    });

    async function notices(clientId: string): Promise<Array<{ notifyType: string; body: Record<string, unknown> }>> {
      const rows = await t.gateway.database.db.selectFrom('notifications').select(['notify_type', 'body']).where('client_id', '=', clientId).orderBy('created_at').execute();
      return rows.map((row) => ({ notifyType: row.notify_type, body: JSON.parse(row.body) as Record<string, unknown> }));
    }

    it('creates, reads, renames, deactivates and lists meters; ids fit a price\'s meterId', async () => {
      const m = await merchant();
      const created = await meter(m, 'SUM', { meterName: 'API calls', eventTimeWindow: 'HOUR' });
      expect(created).toMatchObject({ meterName: 'API calls', status: 'ACTIVE', aggregationMethod: 'SUM', eventTimeWindow: 'HOUR', valueKeyOverride: 'value' });
      const meterId = created.meterId as string;
      expect(meterId).toMatch(/^[a-zA-Z0-9_]{1,32}$/);

      const details = await m.call('meter/inquireDetails', { meterId });
      expectSuccess(details);
      expect(details.body.meter).toEqual(created);

      const renamed = await m.call('meter/update', { meterId, meterName: 'Requests' });
      expectSuccess(renamed);
      expect(renamed.body.meter).toMatchObject({ meterName: 'Requests', status: 'ACTIVE', eventName: created.eventName });
      const off = await m.call('meter/update', { meterId, status: 'INACTIVE' });
      expectSuccess(off);
      expect(off.body.meter).toMatchObject({ meterName: 'Requests', status: 'INACTIVE' });
      // A repeat leaves it as it is.
      expect((await m.call('meter/update', { meterId, status: 'INACTIVE' })).body.meter).toEqual(off.body.meter);

      const count = await meter(m, 'COUNT');
      const last = await meter(m, 'LAST');
      const all = await m.call('meter/inquireList', {});
      expectSuccess(all);
      expect(all.body).toMatchObject({ pageNum: 1, pageSize: 10, totalCount: 3 });
      expect((all.body.meters as Array<{ meterId: string }>).map((x) => x.meterId)).toEqual([meterId, count.meterId, last.meterId]);

      const page2 = await m.call('meter/inquireList', { pageNum: 2, pageSize: 2 });
      expect(page2.body).toMatchObject({ pageNum: 2, pageSize: 2, totalCount: 3 });
      expect((page2.body.meters as Array<{ meterId: string }>).map((x) => x.meterId)).toEqual([last.meterId]);
      const beyond = await m.call('meter/inquireList', { pageNum: 9, pageSize: 2 });
      expectSuccess(beyond);
      expect(beyond.body.meters).toEqual([]);

      const inactive = await m.call('meter/inquireList', { status: 'INACTIVE' });
      expect((inactive.body.meters as Array<{ meterId: string }>).map((x) => x.meterId)).toEqual([meterId]);
      const byName = await m.call('meter/inquireList', { eventName: count.eventName });
      expect((byName.body.meters as Array<{ meterId: string }>).map((x) => x.meterId)).toEqual([count.meterId]);
      const byMeterName = await m.call('meter/inquireList', { meterName: 'Requests' });
      expect(byMeterName.body.totalCount).toBe(1);
      const future = await m.call('meter/inquireList', { startDateTime: new Date(clock.now() + DAY).toISOString() });
      expect(future.body.totalCount).toBe(0);
      // The answers are signed as every AMS answer (checked with the harness's own client, whose key it holds).
      const signed = await t.call('meter/inquireList', {});
      expectSuccess(signed);
      expect(signed.signatureValid).toBe(true);
    });

    it('refuses bad meter requests naming the field', async () => {
      const m = await merchant();
      expectRefused(await m.call('meter/create', { meterName: 'x', eventName: uniqueId('e'), aggregationMethod: 'MAX' }), 'PARAM_ILLEGAL', 'aggregationMethod');
      expectRefused(await m.call('meter/create', { meterName: 'x', eventName: uniqueId('e'), aggregationMethod: 'SUM', eventTimeWindow: 'WEEK' }), 'PARAM_ILLEGAL', 'eventTimeWindow');
      expectRefused(await m.call('meter/create', { meterName: 'x', eventName: uniqueId('e'), aggregationMethod: 'SUM', valueKeyOverride: 'tokens' }), 'PARAM_ILLEGAL', 'valueKeyOverride');
      const { meterId } = await meter(m, 'SUM');
      expectRefused(await m.call('meter/update', { meterId }), 'PARAM_ILLEGAL', 'meterName');
      expectRefused(await m.call('meter/update', { meterId, status: 'ARCHIVED' }), 'PARAM_ILLEGAL', 'status');
      expectRefused(await m.call('meter/update', { meterId: 'MTR0000000000000000000000000', status: 'INACTIVE' }), 'METER_NOT_FOUND', 'meterId');
      expectRefused(await m.call('meter/inquireDetails', { meterId: 'MTR0000000000000000000000000' }), 'METER_NOT_FOUND', 'meterId');
      expectRefused(await m.call('meter/inquireList', { status: 'GONE' }), 'PARAM_ILLEGAL', 'status');
      expectRefused(await m.call('meter/inquireList', { pageNum: 0 }), 'PARAM_ILLEGAL', 'pageNum');
      expectRefused(await m.call('meter/inquireList', { startDateTime: 'yesterday' }), 'PARAM_ILLEGAL', 'startDateTime');
    });

    it('gives an event name to one meter only, even when two creates race', async () => {
      const m = await merchant();
      const first = await meter(m, 'SUM');
      const again = await m.call('meter/create', { meterName: 'other', eventName: first.eventName, aggregationMethod: 'COUNT' });
      expectRefused(again, 'REPEAT_REQUEST', 'eventName');
      // Deactivating does not free the name.
      await m.call('meter/update', { meterId: first.meterId, status: 'INACTIVE' });
      expectRefused(await m.call('meter/create', { meterName: 'other', eventName: first.eventName, aggregationMethod: 'SUM' }), 'REPEAT_REQUEST');

      const eventName = uniqueId('raced');
      const answers = await Promise.all(Array.from({ length: 4 }, () => m.call('meter/create', { meterName: 'race', eventName, aggregationMethod: 'SUM' })));
      expect(answers.map((a) => a.body.result.resultCode).sort()).toEqual(['REPEAT_REQUEST', 'REPEAT_REQUEST', 'REPEAT_REQUEST', 'SUCCESS']);
      expect((await m.call('meter/inquireList', { eventName })).body.totalCount).toBe(1);
      // Another client may use the same event name.
      const other = await merchant();
      expectSuccess(await other.call('meter/create', { meterName: 'mine', eventName, aggregationMethod: 'SUM' }));
    });

    it('creates an upload session once per requestId, valid for 15 minutes', async () => {
      const m = await merchant();
      const requestId = uniqueId('session');
      const before = clock.now();
      const session = await m.call('meter/createSession', { requestId });
      expectSuccess(session);
      const expiry = Number(session.body.sessionExpiryTime);
      expect(session.body.sessionExpiryTime).toMatch(/^\d{13}$/);
      expect(expiry).toBeGreaterThanOrEqual(before + 15 * 60_000);
      expect(expiry).toBeLessThanOrEqual(clock.now() + 15 * 60_000);
      expect((await m.call('meter/createSession', { requestId })).body.sessionId).toBe(session.body.sessionId);
      const other = await m.call('meter/createSession', { requestId: uniqueId('session') });
      expect(other.body.sessionId).not.toBe(session.body.sessionId);
    });

    it('aggregates accepted events by SUM, COUNT and LAST per customer over [from, to)', async () => {
      const m = await merchant();
      const sum = await meter(m, 'SUM');
      const count = await meter(m, 'COUNT');
      const last = await meter(m, 'LAST');
      const to = clock.now() - HOUR;
      const from = to - 10 * HOUR;
      const answer = await m.call('meter/uploadEvent', {
        meters: [
          { eventName: sum.eventName, events: [event('cus_a', from, '5'), event('cus_a', from + HOUR, '7'), event('cus_b', from + HOUR, '100'), event('cus_a', to, '1000'), event('cus_a', from - 1, '1000')] },
          { eventName: count.eventName, events: [event('cus_a', from + 2 * HOUR), event('cus_a', from + 3 * HOUR, '9'), event('cus_a', to - 1), event('cus_b', from + HOUR)] },
          { eventName: last.eventName, events: [event('cus_a', from + 5 * HOUR, '40'), event('cus_a', from + 2 * HOUR, '90'), event('cus_a', from + 5 * HOUR, '41'), event('cus_a', to + 1, '999')] },
        ],
      });
      expectSuccess(answer);
      expect(answer.body.errors).toBeUndefined();

      expect(await usage(m, sum.meterId as string, 'cus_a', from, to)).toBe(12n);
      expect(await usage(m, sum.meterId as string, 'cus_b', from, to)).toBe(100n);
      expect(await usage(m, sum.meterId as string, 'cus_a', from, to + 1)).toBe(1012n);
      expect(await usage(m, count.meterId as string, 'cus_a', from, to)).toBe(3n);
      expect(await usage(m, count.meterId as string, 'cus_c', from, to)).toBe(0n);
      // Latest event time wins; a tie goes to the later event of the upload.
      expect(await usage(m, last.meterId as string, 'cus_a', from, to)).toBe(41n);
      expect(await usage(m, last.meterId as string, 'cus_a', from, from + 3 * HOUR)).toBe(90n);
      expect(await usage(m, last.meterId as string, 'cus_a', to, to + 2)).toBe(999n);

      // A later upload with the same event time is the newer LAST.
      expectSuccess(await m.call('meter/uploadEvent', { meters: [{ eventName: last.eventName, events: [event('cus_a', from + 5 * HOUR, '7')] }] }));
      expect(await usage(m, last.meterId as string, 'cus_a', from, to)).toBe(7n);

      // A value too large for one event's 18 digits is refused, a large one sums exactly.
      expectSuccess(await m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: [event('cus_big', from, '999999999999999999'), event('cus_big', from, '999999999999999999')] }] }));
      expect(await usage(m, sum.meterId as string, 'cus_big', from, to)).toBe(1999999999999999998n);
    });

    it('counts an event once per meter and idempotency key', async () => {
      const m = await merchant();
      const sum = await meter(m, 'SUM');
      const count = await meter(m, 'COUNT');
      const at = clock.now() - HOUR;
      const first = await m.call('meter/uploadEvent', {
        meters: [
          { eventName: sum.eventName, events: [event('cus_a', at, '10', 'k1'), event('cus_a', at, '10', 'k1'), event('cus_a', at, '3', 'k2')] },
          { eventName: count.eventName, events: [event('cus_a', at, undefined, 'k1')] },
        ],
      });
      expectSuccess(first);
      expect(first.body.errors).toBeUndefined();
      // A retry of the whole upload (and a reuse of k2 with another value) adds nothing.
      const retry = await m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: [event('cus_a', at, '10', 'k1'), event('cus_a', at, '500', 'k2'), event('cus_a', at, '1')] }] });
      expectSuccess(retry);
      expect(retry.body.errors).toBeUndefined();
      expect(await usage(m, sum.meterId as string, 'cus_a', at - 1, at + 1)).toBe(14n);
      expect(await usage(m, count.meterId as string, 'cus_a', at - 1, at + 1)).toBe(1n);

      // Concurrent uploads of one key count it once.
      const raced = await Promise.all(Array.from({ length: 4 }, () => m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: [event('cus_r', at, '25', 'race')] }] })));
      raced.forEach(expectSuccess);
      expect(await usage(m, sum.meterId as string, 'cus_r', at - 1, at + 1)).toBe(25n);
    });

    it('answers refused events with their codes, counts none of them, and notifies them per event name', async () => {
      const m = await merchant();
      const sum = await meter(m, 'SUM');
      const off = await meter(m, 'SUM');
      await m.call('meter/update', { meterId: off.meterId, status: 'INACTIVE' });
      const now = clock.now();
      const unknown = uniqueId('nobody_counts_this');
      const answer = await m.call('meter/uploadEvent', {
        meters: [
          { eventName: sum.eventName, events: [
            event('cus_a', now - HOUR, '4', 'ok'),
            event('cus_a', now - 36 * DAY, '4', 'old'),
            event('cus_a', now + 10 * 60_000, '4', 'ahead'),
            event('cus_a', now - HOUR, '1.5', 'fraction'),
            event('cus_a', now - HOUR, '-2', 'negative'),
            event('cus_a', now - HOUR, undefined, 'none'),
            { idempotencyKey: 'nocustomer', eventTimestamp: now - HOUR, payload: { value: '4' } },
          ] },
          { eventName: unknown, events: [event('cus_a', now - HOUR, '4', 'u1')] },
          { eventName: off.eventName, events: [event('cus_a', now - HOUR, '4', 'i1')] },
        ],
      });
      expectSuccess(answer);
      expect(answer.body.errors).toEqual([
        { groupIndex: 0, index: 1, eventName: sum.eventName, idempotencyKey: 'old', customerId: 'cus_a', errorCode: 'TIMESTAMP_OUT_OF_RANGE' },
        { groupIndex: 0, index: 2, eventName: sum.eventName, idempotencyKey: 'ahead', customerId: 'cus_a', errorCode: 'TIMESTAMP_OUT_OF_RANGE' },
        { groupIndex: 0, index: 3, eventName: sum.eventName, idempotencyKey: 'fraction', customerId: 'cus_a', errorCode: 'INVALID_VALUE' },
        { groupIndex: 0, index: 4, eventName: sum.eventName, idempotencyKey: 'negative', customerId: 'cus_a', errorCode: 'INVALID_VALUE' },
        { groupIndex: 0, index: 5, eventName: sum.eventName, idempotencyKey: 'none', customerId: 'cus_a', errorCode: 'INVALID_VALUE' },
        { groupIndex: 0, index: 6, eventName: sum.eventName, idempotencyKey: 'nocustomer', errorCode: 'PARAM_ILLEGAL' },
        { groupIndex: 1, index: 0, eventName: unknown, idempotencyKey: 'u1', customerId: 'cus_a', errorCode: 'METER_NOT_FOUND' },
        { groupIndex: 2, index: 0, eventName: off.eventName, idempotencyKey: 'i1', customerId: 'cus_a', errorCode: 'METER_INACTIVE' },
      ]);
      expect(await usage(m, sum.meterId as string, 'cus_a', now - 40 * DAY, now + DAY)).toBe(4n);
      expect(await usage(m, off.meterId as string, 'cus_a', now - 40 * DAY, now + DAY)).toBe(0n);

      const notified = await notices(m.clientId);
      expect(notified.map((n) => n.notifyType)).toEqual(['METER_EVENT', 'METER_EVENT', 'METER_EVENT']);
      for (const notice of notified) {
        expect(notificationKindOf(notice.body)).toBe('notifyMeterEvent');
        const validated = validate(NOTIFICATIONS.notifyMeterEvent.schema, notice.body);
        expect(validated.ok, JSON.stringify(validated)).toBe(true);
      }
      const bySum = notified.find((n) => n.body.eventName === sum.eventName)!.body;
      expect(bySum).toMatchObject({ notifyType: 'METER_EVENT', result: { resultCode: 'SUCCESS', resultStatus: 'S' } });
      expect((bySum.errorEvents as Array<{ errorCode: string; idempotencyKey: string }>).map((e) => `${e.idempotencyKey}:${e.errorCode}`))
        .toEqual(['old:TIMESTAMP_OUT_OF_RANGE', 'ahead:TIMESTAMP_OUT_OF_RANGE', 'fraction:INVALID_VALUE', 'negative:INVALID_VALUE', 'none:INVALID_VALUE', 'nocustomer:PARAM_ILLEGAL']);
      expect((bySum.errorEvents as unknown[])[0]).toEqual({ errorCode: 'TIMESTAMP_OUT_OF_RANGE', idempotencyKey: 'old', eventTimestamp: now - 36 * DAY, payload: { customerId: 'cus_a', value: '4' } });

      // An upload without refusals notifies nothing.
      expectSuccess(await m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: [event('cus_a', now - HOUR, '1')] }] }));
      expect(await notices(m.clientId)).toHaveLength(3);
      // Malformed uploads are refused whole.
      expectRefused(await m.call('meter/uploadEvent', { meters: [{ events: [event('cus_a', now, '1')] }] }), 'PARAM_ILLEGAL', 'meters[0].eventName');
      expectRefused(await m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: [] }] }), 'PARAM_ILLEGAL', 'meters[0].events');
      expectRefused(await m.call('meter/uploadEvent', { meters: [{ eventName: sum.eventName, events: Array.from({ length: 501 }, () => event('cus_a', now, '1')) }] }), 'PARAM_ILLEGAL', 'meters');
    });

    const grantBody = (customerId: string, overrides: Record<string, unknown> = {}) => ({
      customerId,
      creditGrantName: 'Starter credit',
      amount: { currency: 'USD', value: '5000' },
      applicability: { scope: 'METERED' },
      category: 'PROMOTIONAL',
      ...overrides,
    });

    async function grant(m: Merchant, customerId: string, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
      const answer = await m.call('meter/creditGrant/create', grantBody(customerId, overrides));
      expectSuccess(answer);
      return answer.body.creditGrant as Record<string, unknown>;
    }

    const iso = (ms: number) => new Date(ms).toISOString();

    it('creates credit grants, changes their expiry, voids them, and refuses changes to ended ones', async () => {
      const m = await merchant();
      const expiry = clock.now() + 30 * DAY;
      const created = await grant(m, 'cus_g', { priority: 10, expiryDateTime: iso(expiry) });
      expect(created).toMatchObject({
        creditGrantName: 'Starter credit', customerId: 'cus_g', status: 'ACTIVE', amount: { currency: 'USD', value: '5000' },
        availableAmount: { currency: 'USD', value: '5000' }, applicability: { scope: 'METERED' }, priority: 10, category: 'PROMOTIONAL',
      });
      const creditGrantId = created.creditGrantId as string;
      expect(Date.parse(created.expiryDateTime as string)).toBe(Math.floor(expiry / 1000) * 1000);
      expect((await m.call('meter/creditGrant/inquireDetails', { creditGrantId })).body.creditGrant).toEqual(created);
      expect((await grant(m, 'cus_g', { applicability: { scope: 'PRICES', priceIds: ['price_1'] } })).priority).toBe(50);

      const later = clock.now() + 60 * DAY;
      const moved = await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'SPECIFIED', expiryDateTime: iso(later) });
      expectSuccess(moved);
      expect(Date.parse((moved.body.creditGrant as { expiryDateTime: string }).expiryDateTime)).toBe(Math.floor(later / 1000) * 1000);
      const never = await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'NEVER' });
      expectSuccess(never);
      expect((never.body.creditGrant as Record<string, unknown>).expiryDateTime).toBeUndefined();
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'SPECIFIED' }), 'PARAM_ILLEGAL', 'expiryDateTime');
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'SPECIFIED', expiryDateTime: iso(clock.now() - HOUR) }), 'PARAM_ILLEGAL', 'expiryDateTime');
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'NEVER', expiryDateTime: iso(later) }), 'PARAM_ILLEGAL', 'expiryDateTime');
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'LATER' }), 'PARAM_ILLEGAL', 'expiryMode');

      const voided = await m.call('meter/creditGrant/void', { creditGrantId, voidReason: 'goodwill withdrawn' });
      expectSuccess(voided);
      expect(voided.body.creditGrant).toMatchObject({ status: 'VOIDED', availableAmount: { currency: 'USD', value: '0' }, amount: { value: '5000' } });
      expectSuccess(await m.call('meter/creditGrant/void', { creditGrantId }));
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId, expiryMode: 'NEVER' }), 'NOT_ALLOW_IN_CURRENT_STATUS', 'VOIDED');

      const expired = await grant(m, 'cus_g');
      const now = await m.call('meter/creditGrant/updateExpiry', { creditGrantId: expired.creditGrantId, expiryMode: 'IMMEDIATE' });
      expect(now.body.creditGrant).toMatchObject({ status: 'EXPIRED', availableAmount: { value: '0' } });
      expectRefused(await m.call('meter/creditGrant/void', { creditGrantId: expired.creditGrantId }), 'NOT_ALLOW_IN_CURRENT_STATUS', 'EXPIRED');

      expectRefused(await m.call('meter/creditGrant/inquireDetails', { creditGrantId: 'CGR0000000000000000000000000' }), 'RECORD_NOT_FOUND', 'creditGrantId');
      expectRefused(await m.call('meter/creditGrant/void', { creditGrantId: 'CGR0000000000000000000000000' }), 'RECORD_NOT_FOUND', 'creditGrantId');
    });

    it('refuses bad credit grants naming the field', async () => {
      const m = await merchant();
      const refuse = async (overrides: Record<string, unknown>, code: string, field: string) =>
        expectRefused(await m.call('meter/creditGrant/create', grantBody('cus_x', overrides)), code, field);
      await refuse({ amount: { currency: 'USD', value: '0' } }, 'PARAM_ILLEGAL', 'amount.value');
      await refuse({ applicability: { scope: 'PRICES' } }, 'PARAM_ILLEGAL', 'applicability.priceIds');
      await refuse({ applicability: { scope: 'METERED', priceIds: ['p'] } }, 'PARAM_ILLEGAL', 'applicability.priceIds');
      await refuse({ applicability: { scope: 'ALL' } }, 'PARAM_ILLEGAL', 'applicability.scope');
      await refuse({ priority: 101 }, 'PARAM_ILLEGAL', 'priority');
      await refuse({ category: 'FREE' }, 'PARAM_ILLEGAL', 'category');
      await refuse({ expiryDateTime: iso(clock.now() - HOUR) }, 'PARAM_ILLEGAL', 'expiryDateTime');
      await refuse({ effectiveDateTime: iso(clock.now() + 2 * DAY), expiryDateTime: iso(clock.now() + DAY) }, 'PARAM_ILLEGAL', 'expiryDateTime');
      await refuse({ effectiveDateTime: 'soon' }, 'PARAM_ILLEGAL', 'effectiveDateTime');
    });

    it('expires a grant by the sandbox clock: shown EXPIRED at once, written by the due work, listed by status', async () => {
      const m = await merchant();
      const customerId = uniqueId('cus');
      const soon = await grant(m, customerId, { expiryDateTime: iso(clock.now() + HOUR) });
      const kept = await grant(m, customerId, { expiryDateTime: iso(clock.now() + 10 * DAY) });
      clock.advance(2 * HOUR);

      const shown = await m.call('meter/creditGrant/inquireDetails', { creditGrantId: soon.creditGrantId });
      expect(shown.body.creditGrant).toMatchObject({ status: 'EXPIRED', availableAmount: { value: '0' } });
      expect((await t.gateway.resources.get(CREDIT_GRANT, m.clientId, soon.creditGrantId as string)).status).toBe('ACTIVE');
      // Nothing can be drawn from it meanwhile.
      const covered = await t.gateway.resources.database.transaction((tx) => consumeCredits(tx, t.gateway.resources, m.clientId, { customerId, currency: 'USD', amountMinor: 20_000n, now: clock.now() }));
      expect(covered).toBe(5000n);

      await t.gateway.runDueWork();
      expect((await t.gateway.resources.get(CREDIT_GRANT, m.clientId, soon.creditGrantId as string)).status).toBe('EXPIRED');
      expect((await t.gateway.resources.get(CREDIT_GRANT, m.clientId, kept.creditGrantId as string)).status).toBe('ACTIVE');
      const expiredList = await m.call('meter/creditGrant/inquireList', { status: 'EXPIRED', customerId });
      expectSuccess(expiredList);
      expect(expiredList.body).toMatchObject({ pageNum: 1, pageSize: 10, totalCount: 1 });
      expect((expiredList.body.creditGrants as Array<{ creditGrantId: string }>).map((g) => g.creditGrantId)).toEqual([soon.creditGrantId]);
      expectRefused(await m.call('meter/creditGrant/updateExpiry', { creditGrantId: soon.creditGrantId, expiryMode: 'NEVER' }), 'NOT_ALLOW_IN_CURRENT_STATUS');

      // A list with a status filter sees an expiry the due work has not written yet.
      const third = await grant(m, customerId, { expiryDateTime: iso(clock.now() + HOUR) });
      clock.advance(2 * HOUR);
      const listed = await m.call('meter/creditGrant/inquireList', { status: 'EXPIRED', customerId, pageSize: 1, pageNum: 2 });
      expect(listed.body).toMatchObject({ totalCount: 2, pageNum: 2, pageSize: 1 });
      expect((listed.body.creditGrants as Array<{ creditGrantId: string }>).map((g) => g.creditGrantId)).toEqual([third.creditGrantId]);
      expect((await m.call('meter/creditGrant/inquireList', { status: 'ACTIVE', customerId })).body.totalCount).toBe(1);
      expectRefused(await m.call('meter/creditGrant/inquireList', { status: 'DEPLETED' }), 'PARAM_ILLEGAL', 'status');
    });

    it('consumes credit by priority, then earliest expiry, in the currency asked, to the exact amount', async () => {
      const m = await merchant();
      const customerId = uniqueId('cus');
      const now = clock.now();
      const a = await grant(m, customerId, { amount: { currency: 'USD', value: '300' }, priority: 10, expiryDateTime: iso(now + 2 * DAY) });
      const b = await grant(m, customerId, { amount: { currency: 'USD', value: '200' }, priority: 10, expiryDateTime: iso(now + DAY) });
      const c = await grant(m, customerId, { amount: { currency: 'USD', value: '100' }, priority: 5 });
      const eur = await grant(m, customerId, { amount: { currency: 'EUR', value: '1000' }, priority: 0 });
      const voided = await grant(m, customerId, { amount: { currency: 'USD', value: '1000' }, priority: 0 });
      await m.call('meter/creditGrant/void', { creditGrantId: voided.creditGrantId });
      const pending = await grant(m, customerId, { amount: { currency: 'USD', value: '1000' }, priority: 0, effectiveDateTime: iso(now + DAY) });
      const otherCustomer = await grant(m, uniqueId('cus'), { amount: { currency: 'USD', value: '1000' }, priority: 0 });

      const consume = (amountMinor: bigint) => t.gateway.resources.database.transaction((tx) => consumeCredits(tx, t.gateway.resources, m.clientId, { customerId, currency: 'USD', amountMinor, now: clock.now() }));
      const available = async (g: Record<string, unknown>) => ((await m.call('meter/creditGrant/inquireDetails', { creditGrantId: g.creditGrantId })).body.creditGrant as { availableAmount: { value: string } }).availableAmount.value;

      expect(await consume(450n)).toBe(450n);
      expect([await available(c), await available(b), await available(a)]).toEqual(['0', '0', '150']);
      expect(await consume(1000n)).toBe(150n);
      expect(await available(a)).toBe('0');
      expect(await consume(1n)).toBe(0n);
      expect(await consume(0n)).toBe(0n);
      expect([await available(eur), await available(pending), await available(otherCustomer)]).toEqual(['1000', '1000', '1000']);

      // A draw rolled back with its transaction leaves the grant as it was.
      await expect(t.gateway.resources.database.transaction(async (tx) => {
        await consumeCredits(tx, t.gateway.resources, m.clientId, { customerId, currency: 'EUR', amountMinor: 400n, now: clock.now() });
        throw new Error('invoice failed');
      })).rejects.toThrow('invoice failed');
      expect(await available(eur)).toBe('1000');
      expect(await t.gateway.resources.database.transaction((tx) => consumeCredits(tx, t.gateway.resources, m.clientId, { customerId, currency: 'EUR', amountMinor: 400n, now: clock.now() }))).toBe(400n);
      expect(await available(eur)).toBe('600');

      // Concurrent draws never spend more than there is.
      const raced = await Promise.all(Array.from({ length: 5 }, () => t.gateway.resources.database.transaction((tx) => consumeCredits(tx, t.gateway.resources, m.clientId, { customerId, currency: 'EUR', amountMinor: 250n, now: clock.now() }))));
      expect(raced.reduce((s, x) => s + x, 0n)).toBe(600n);
      expect(await available(eur)).toBe('0');
    });

    it('shows a client nothing of another client\'s meters, events or grants', async () => {
      const m = await merchant();
      const other = fixture.asOther();
      const mine = await meter(m, 'SUM');
      const myGrant = await grant(m, 'cus_shared');
      const at = clock.now() - HOUR;
      expectSuccess(await m.call('meter/uploadEvent', { meters: [{ eventName: mine.eventName, events: [event('cus_shared', at, '5', 'k')] }] }));

      expectRefused(await t.call('meter/inquireDetails', { meterId: mine.meterId }, other), 'METER_NOT_FOUND');
      expectRefused(await t.call('meter/update', { meterId: mine.meterId, status: 'INACTIVE' }, other), 'METER_NOT_FOUND');
      expect((await t.call('meter/inquireList', { eventName: mine.eventName }, other)).body.totalCount).toBe(0);
      const theirs = await t.call('meter/uploadEvent', { meters: [{ eventName: mine.eventName, events: [event('cus_shared', at, '50', 'k')] }] }, other);
      expect((theirs.body.errors as Array<{ errorCode: string }>).map((e) => e.errorCode)).toEqual(['METER_NOT_FOUND']);
      expect(await usage(m, mine.meterId as string, 'cus_shared', at - 1, at + 1)).toBe(5n);
      await expect(meteredUsage(t.gateway.resources.database.db, other.clientId, { customerId: 'cus_shared', meterId: mine.meterId as string, from: at - 1, to: at + 1 })).rejects.toMatchObject({ code: 'METER_NOT_FOUND' });

      expectRefused(await t.call('meter/creditGrant/inquireDetails', { creditGrantId: myGrant.creditGrantId }, other), 'RECORD_NOT_FOUND');
      expectRefused(await t.call('meter/creditGrant/void', { creditGrantId: myGrant.creditGrantId }, other), 'RECORD_NOT_FOUND');
      expect((await t.call('meter/creditGrant/inquireList', { customerId: 'cus_shared' }, other)).body.totalCount).toBe(0);
      expect(await t.gateway.resources.database.transaction((tx) => consumeCredits(tx, t.gateway.resources, other.clientId, { customerId: 'cus_shared', currency: 'USD', amountMinor: 100n, now: clock.now() }))).toBe(0n);
      expect(((await m.call('meter/creditGrant/inquireDetails', { creditGrantId: myGrant.creditGrantId })).body.creditGrant as { status: string }).status).toBe('ACTIVE');
    });
  });
});
