/**
 * Disputes end to end through signed HTTP on SQLite and PostgreSQL: opening
 * one on a successful payment (control API, dashboard, the `dispute-after`
 * trigger), each path to its end on the sandbox clock (open → alert →
 * deadline → lost; open → defend → judged won or lost; open → accept; the
 * buyer's cancellation; RDR), every notifyDispute body in order, the
 * journal (chargeback, reversal, loss) and the refund limit beside it,
 * evidence byte for byte, every refusal, the payment timeline; and two
 * gateway processes on one PostgreSQL judging a deadline once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResponseTime } from '@amsgate/protocol';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { Gateway } from '../src/gateway.js';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { DashboardSession, decodeHtml } from './dashboard-session.js';
import { checkLedger } from './ledger.js';
import { cashierPay, dropSchema, DIALECTS, POSTGRES_URL, postgresAvailable, startTestGateway, uniqueId, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOTIFY_URL = 'https://merchant.example/notify';

/** A small PDF followed by every byte value, so a byte lost or changed anywhere shows. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n% defense\n', 'latin1'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n', 'latin1')]);
/** The start of a .docx (a ZIP) and some bytes. */
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.from('word/document.xml', 'latin1'), Buffer.from([0, 1, 2, 0xfe, 0xff])]);

interface DisputeView {
  disputeId: string;
  paymentId: string;
  status: string;
  judgedResult: string | null;
  disputeAmount: { currency: string; value: string };
  disputeTime: string;
  defenseDueTime: string;
  alertTime: string;
}

const wire = (iso: string) => formatResponseTime(Date.parse(iso));
/** The notice or error a dashboard redirect carries. */
const flashOf = (location: string | null) => {
  const query = new URL(location ?? '/', 'http://x').searchParams;
  return query.get('notice') ?? query.get('error') ?? '';
};

describe.each(DIALECTS)('disputes on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    const clock = new SandboxClock();
    beforeAll(async () => {
      t = await startTestGateway(dialect, { clock, notifyDispatch: false });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
    });
    afterAll(async () => t?.close());
    const asOther = () => ({ clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string });

    const post = async (path: string, body: unknown = {}) => {
      const response = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> & { dispute: DisputeView; result: { resultCode: string; resultMessage: string } } };
    };

    /** A successful payment of `value` USD minor units, notified to NOTIFY_URL. */
    async function paid(value = '1000', overrides: Record<string, unknown> = {}): Promise<{ paymentId: string; paymentRequestId: string }> {
      const body = cashierPay({ paymentAmount: { currency: 'USD', value }, paymentNotifyUrl: NOTIFY_URL, ...overrides });
      const answer = await t.call('payments/pay', body);
      const paymentId = answer.body.paymentId as string;
      if (answer.body.result.resultCode !== 'SUCCESS') expect((await t.complete(paymentId)).status).toBe(200);
      return { paymentId, paymentRequestId: body.paymentRequestId as string };
    }

    async function open(paymentId: string, body: Record<string, unknown> = {}): Promise<DisputeView> {
      const answer = await post(`/sandbox/payments/${paymentId}/disputes`, body);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return answer.json.dispute;
    }

    /** Moves the sandbox clock through the control API, which runs what fell due. */
    async function advance(by: string): Promise<void> {
      expect((await post('/sandbox/clock/advance', { by })).status).toBe(200);
    }

    /** The notifications of a dispute, oldest first: their type, URL and the exact body. */
    async function notes(disputeId: string) {
      const list = await t.gateway.notifications.repository.list({ resourceId: disputeId });
      return list.reverse().map((n) => ({ notifyType: n.notifyType, url: n.url, createdAt: n.createdAt, body: JSON.parse(n.body) as Record<string, unknown> }));
    }
    const typesOf = async (disputeId: string) => (await notes(disputeId)).map((n) => n.body.disputeNotificationType);

    async function money(paymentId: string) {
      const report = await checkLedger(t.gateway.database, { derivedBalances: true });
      expect(report.violations).toEqual([]);
      return report.payments.get(paymentId)!;
    }

    async function movements(paymentId: string): Promise<string[]> {
      const rows = await t.gateway.database.db.selectFrom('journal_entries').select(['journal_id', 'movement']).where('payment_id', '=', paymentId).orderBy('entry_id').execute();
      return [...new Map(rows.map((r) => [r.journal_id, r.movement])).values()];
    }

    /** The common fields of every body of a dispute. */
    const common = (d: DisputeView, payment: { paymentId: string; paymentRequestId: string }, reason = { code: '13.1', msg: 'Merchandise or services not received' }) => ({
      notifyType: 'DISPUTE',
      disputeId: d.disputeId,
      paymentId: payment.paymentId,
      paymentRequestId: payment.paymentRequestId,
      disputeTime: wire(d.disputeTime),
      disputeAmount: d.disputeAmount,
      disputeReasonCode: reason.code,
      disputeReasonMsg: reason.msg,
      disputeSource: 'ALIPAY_CN',
      arn: expect.stringMatching(/^\d{20}$/) as unknown as string,
      disputeType: 'CHARGEBACK',
      defendable: true,
    });

    it('open → DEFENSE_DUE_ALERT 24 h before the deadline → judged lost when it passes; the journal keeps it with the buyer; refunds count it', async () => {
      const payment = await paid('1000');
      const dispute = await open(payment.paymentId, { reasonCode: '10.4', amount: { currency: 'USD', value: '600' } });
      expect(dispute).toMatchObject({ paymentId: payment.paymentId, status: 'OPEN', disputeAmount: { currency: 'USD', value: '600' } });
      expect(Date.parse(dispute.defenseDueTime) - Date.parse(dispute.disputeTime)).toBe(7 * DAY);
      expect(Date.parse(dispute.alertTime)).toBe(Date.parse(dispute.defenseDueTime) - DAY);
      const reason = { code: '10.4', msg: 'Other fraud: card-absent environment' };

      // Opening froze 600 of the merchant's 1000.
      expect(await money(payment.paymentId)).toMatchObject({ paid: 1000n, merchant: 400n, chargedBack: 600n, disputeHold: 600n });
      const created = await notes(dispute.disputeId);
      expect(created).toEqual([{ notifyType: 'DISPUTE', url: NOTIFY_URL, createdAt: Date.parse(dispute.disputeTime), body: {
        ...common(dispute, payment, reason), disputeNotificationType: 'DISPUTE_CREATED', defenseDueTime: wire(dispute.defenseDueTime),
      } }]);

      await advance('5d');
      expect(await typesOf(dispute.disputeId)).toEqual(['DISPUTE_CREATED']);
      await advance('1d');
      const alerted = await notes(dispute.disputeId);
      expect(alerted.map((n) => n.body.disputeNotificationType)).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT']);
      expect(alerted[1]).toEqual({ notifyType: 'DISPUTE', url: NOTIFY_URL, createdAt: Date.parse(dispute.alertTime), body: {
        ...common(dispute, payment, reason), disputeNotificationType: 'DEFENSE_DUE_ALERT', defenseDueTime: wire(dispute.defenseDueTime),
      } });

      await advance('1d');
      const judged = await notes(dispute.disputeId);
      expect(judged.map((n) => n.body.disputeNotificationType)).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT', 'DISPUTE_JUDGED']);
      expect(judged[2]).toEqual({ notifyType: 'DISPUTE', url: NOTIFY_URL, createdAt: Date.parse(dispute.defenseDueTime), body: {
        ...common(dispute, payment, reason), disputeNotificationType: 'DISPUTE_JUDGED',
        disputeJudgedTime: wire(dispute.defenseDueTime), disputeJudgedResult: 'ACCEPT_BY_MERCHANT', disputeJudgedAmount: { currency: 'USD', value: '600' },
        disputeAcceptReason: 'TIMEOUT', disputeAcceptTime: wire(dispute.defenseDueTime),
      } });
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 400n, chargedBack: 600n, disputeHold: 0n });
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS']);
      await advance('30d');
      expect(await typesOf(dispute.disputeId)).toHaveLength(3);

      // Too late for the merchant now.
      for (const [endpoint, body] of [['payments/acceptDispute', {}], ['payments/supplyDefenseDocument', { disputeEvidence: PDF.toString('base64') }]] as const) {
        const late = await t.call(endpoint, { disputeId: dispute.disputeId, ...body });
        expect(late.body.result, endpoint).toMatchObject({ resultCode: 'TIME_EXCEEDS_LIMIT', resultStatus: 'F' });
      }

      // Refunds: paid 1000, 600 lost to the dispute: 400 can still be refunded, not 401.
      const tooMuch = await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '401' } });
      expect(tooMuch.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
      expect(tooMuch.body.result.resultMessage).toContain('disputes hold or took 600');
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '400' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 0n, refunded: 400n, chargedBack: 600n });

      // inquiryPayment models no dispute (the SDK's response has no such field): the payment stays SUCCESS.
      const inquiry = await t.call('payments/inquiryPayment', { paymentId: payment.paymentId });
      expect(inquiry.body).toMatchObject({ paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '1000' } });
      expect(inquiry.text).not.toMatch(/dispute|chargeback/i);

      // The payment's timeline and summary show the dispute.
      const history = (await (await fetch(`${t.baseUrl}/admin/payments/${payment.paymentId}`)).json()) as {
        disputedAmount: unknown; disputes: DisputeView[]; timeline: Array<{ kind: string; title: string; status: string }>;
      };
      expect(history.disputedAmount).toEqual({ currency: 'USD', value: '600' });
      expect(history.disputes).toEqual([expect.objectContaining({ disputeId: dispute.disputeId, status: 'JUDGED', judgedResult: 'LOST', acceptReason: 'TIMEOUT' })]);
      const steps = history.timeline.filter((e) => e.kind === 'dispute').map((e) => [e.title, e.status]);
      expect(steps).toEqual([
        [`Dispute ${dispute.disputeId} opened`, 'OPEN'],
        [`Dispute ${dispute.disputeId}: defense due alert`, 'OPEN'],
        [`Dispute ${dispute.disputeId} lost`, 'LOST'],
      ]);
      expect(history.timeline.filter((e) => e.kind === 'notification' && e.title.startsWith('Notification DISPUTE'))).toHaveLength(3);
      expect(history.timeline.filter((e) => e.kind === 'journal').map((e) => e.title.split(' ')[1])).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS', 'REFUND']);
    });

    it('a clock advanced past every step at once reports them in order, each at its own time', async () => {
      const payment = await paid('500');
      const dispute = await open(payment.paymentId, { defenseDueInMs: 2 * DAY });
      await advance('10d');
      const all = await notes(dispute.disputeId);
      expect(all.map((n) => [n.body.disputeNotificationType, n.createdAt])).toEqual([
        ['DISPUTE_CREATED', Date.parse(dispute.disputeTime)],
        ['DEFENSE_DUE_ALERT', Date.parse(dispute.defenseDueTime) - DAY],
        ['DISPUTE_JUDGED', Date.parse(dispute.defenseDueTime)],
      ]);
      // A window shorter than the alert's lead: the alert comes just after the opening.
      const short = await open((await paid('300')).paymentId, { defenseDueInMs: 3_600_000 });
      expect(Date.parse(short.alertTime)).toBe(Date.parse(short.disputeTime) + 1);
      await advance('1s');
      expect(await typesOf(short.disputeId)).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT']);
      await advance('1h');
      expect(await typesOf(short.disputeId)).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT', 'DISPUTE_JUDGED']);
    });

    it('open → defend → judged won: the document byte for byte, the template, the reversal in the journal', async () => {
      const payment = await paid('1000');
      const dispute = await open(payment.paymentId);
      expect(dispute.disputeAmount).toEqual({ currency: 'USD', value: '1000' });
      await advance('1s');

      // Nothing supplied yet: the file is not there; the template always is, the same bytes each time.
      const noFile = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
      expect(noFile.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
      expect(noFile.body.result.resultMessage).toContain('disputeEvidenceType');
      const template = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
      expect(template.signatureValid).toBe(true);
      expect(template.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, disputeEvidenceFormat: 'PDF' });
      const templatePdf = Buffer.from(template.body.disputeEvidence as string, 'base64');
      expect(templatePdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
      expect(templatePdf.toString('latin1')).toContain(`Dispute ID: ${dispute.disputeId}`);
      expect(templatePdf.toString('latin1')).toContain(`Payment ID: ${payment.paymentId}`);
      expect(templatePdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
      // The Python SDK's older spelling, any case.
      const again = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'template' });
      expect(again.body.disputeEvidence).toBe(template.body.disputeEvidence);

      const supplied = await t.call('payments/supplyDefenseDocument', { disputeId: dispute.disputeId, disputeEvidence: PDF.toString('base64') });
      expect(supplied.signatureValid).toBe(true);
      expect(supplied.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, disputeId: dispute.disputeId, disputeResolutionTime: expect.any(String) });
      expect(Math.abs(Date.parse(supplied.body.disputeResolutionTime as string) - clock.now())).toBeLessThan(5_000);

      const file = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
      expect(file.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, disputeEvidenceFormat: 'PDF' });
      expect(Buffer.from(file.body.disputeEvidence as string, 'base64').equals(PDF)).toBe(true);

      // One defense (a second is a repeated request: the docs keep NOT_ALLOW_IN_CURRENT_STATUS for compliance requests); no acceptance after it.
      const twice = await t.call('payments/supplyDefenseDocument', { disputeId: dispute.disputeId, disputeEvidence: DOCX.toString('base64') });
      expect(twice.body.result).toMatchObject({ resultCode: 'REPEAT_REQUEST', resultStatus: 'F' });
      expect(twice.body.result.resultMessage).toContain('awaiting its judgement');
      const unchanged = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
      expect(Buffer.from(unchanged.body.disputeEvidence as string, 'base64').equals(PDF)).toBe(true);
      const accept = await t.call('payments/acceptDispute', { disputeId: dispute.disputeId });
      expect(accept.body.result).toMatchObject({ resultCode: 'REPEAT_REQUEST', resultStatus: 'F' });

      // Defended: the deadline passing sends no alert and judges nothing; it waits for the sandbox's judge.
      await advance('8d');
      expect(await typesOf(dispute.disputeId)).toEqual(['DISPUTE_CREATED', 'DEFENSE_SUPPLIED']);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 0n, chargedBack: 1000n, disputeHold: 1000n });

      const judged = await post(`/sandbox/disputes/${dispute.disputeId}/judge`, { result: 'WIN' });
      expect(judged.status).toBe(200);
      expect(judged.json.dispute).toMatchObject({ status: 'JUDGED', judgedResult: 'WON' });
      const all = await notes(dispute.disputeId);
      expect(all.map((n) => n.body)).toEqual([
        { ...common(dispute, payment), disputeNotificationType: 'DISPUTE_CREATED', defenseDueTime: wire(dispute.defenseDueTime) },
        { ...common(dispute, payment), disputeNotificationType: 'DEFENSE_SUPPLIED' },
        {
          ...common(dispute, payment), disputeNotificationType: 'DISPUTE_JUDGED', disputeJudgedTime: expect.any(String), disputeJudgedResult: 'ACCEPT_BY_CUSTOMER',
          disputeJudgedAmount: { currency: 'USD', value: '0' },
        },
      ]);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 1000n, chargedBack: 0n, disputeHold: 0n });
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_REVERSAL']);

      // Judged once; the merchant can no longer act; a refund of the whole payment is possible again.
      const judgedTwice = await post(`/sandbox/disputes/${dispute.disputeId}/judge`, { result: 'LOSE' });
      expect(judgedTwice.status).toBe(409);
      expect(judgedTwice.json.result.resultCode).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
      expect((await t.call('payments/acceptDispute', { disputeId: dispute.disputeId })).body.result.resultCode).toBe('REPEAT_REQUEST');
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '1000' } });
      expect(refund.body.result.resultCode).toBe('SUCCESS');
      await money(payment.paymentId);
    });

    it('open → defend (a Word document) → judged lost on the dashboard: the amount goes to the buyer', async () => {
      const payment = await paid('800');
      const dispute = await open(payment.paymentId, { amount: { value: '300' } });
      const supplied = await t.call('payments/supplyDefenseDocument', { disputeId: dispute.disputeId, disputeEvidence: DOCX.toString('base64').replace(/(.{8})/g, '$1\n') });
      expect(supplied.body.result.resultCode).toBe('SUCCESS');
      const file = await t.call('payments/downloadDisputeEvidence', { disputeId: dispute.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
      expect(file.body.disputeEvidenceFormat).toBe('WORD');
      expect(Buffer.from(file.body.disputeEvidence as string, 'base64').equals(DOCX)).toBe(true);

      const session = new DashboardSession(t.baseUrl);
      const page = `/dashboard/payments/${payment.paymentId}`;
      const shown = await session.get(page);
      expect(shown.html).toContain(`data-dispute-id="${dispute.disputeId}"`);
      expect(shown.html).toContain(`id="judge-lose-${dispute.disputeId}"`);
      const lost = await session.post(`/dashboard/disputes/${dispute.disputeId}/judge`, { result: 'LOSE' }, { csrfFrom: page });
      expect(lost.status).toBe(303);
      expect(flashOf(lost.location)).toBe(`Dispute ${dispute.disputeId} judged: the merchant lost (DISPUTE_JUDGED notified).`);
      const after = await session.follow(lost);
      expect(decodeHtml(after.html)).toContain('Disputed');
      expect(after.html).not.toContain(`id="judge-lose-${dispute.disputeId}"`);

      const judged = (await notes(dispute.disputeId)).at(-1)!.body;
      expect(judged).toMatchObject({ disputeNotificationType: 'DISPUTE_JUDGED', disputeJudgedResult: 'ACCEPT_BY_MERCHANT', disputeJudgedAmount: { currency: 'USD', value: '300' } });
      expect(judged.disputeAcceptReason).toBeUndefined();
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 500n, chargedBack: 300n, disputeHold: 0n });
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS']);
      // Judging an undefended (or finished) dispute is refused on the dashboard too.
      const refused = await session.post(`/dashboard/disputes/${dispute.disputeId}/judge`, { result: 'WIN' }, { csrfFrom: page });
      expect(flashOf(refused.location)).toMatch(/^NOT_ALLOW_IN_CURRENT_STATUS: Only a defended dispute can be judged/);
    });

    it('open → accept: DISPUTE_ACCEPTED, the amount to the buyer; a second accept, a defense after it and the deadline change nothing', async () => {
      const payment = await paid('1000');
      const dispute = await open(payment.paymentId, { reasonCode: 'X-42', amount: { value: '250' } });
      await advance('1s');
      const accepted = await t.call('payments/acceptDispute', { disputeId: dispute.disputeId });
      expect(accepted.signatureValid).toBe(true);
      expect(accepted.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, disputeId: dispute.disputeId, disputeResolutionTime: expect.any(String) });
      const all = await notes(dispute.disputeId);
      expect(all.map((n) => n.body)).toEqual([
        { ...common(dispute, payment, { code: 'X-42', msg: 'Sandbox dispute' }), disputeNotificationType: 'DISPUTE_CREATED', defenseDueTime: wire(dispute.defenseDueTime) },
        {
          ...common(dispute, payment, { code: 'X-42', msg: 'Sandbox dispute' }), disputeNotificationType: 'DISPUTE_ACCEPTED',
          disputeAcceptReason: 'MERCHANT_ACCEPTED', disputeAcceptTime: accepted.body.disputeResolutionTime,
        },
      ]);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 750n, chargedBack: 250n, disputeHold: 0n });
      // A disputed payment cannot be cancelled: cancel reverses the whole of it.
      const cancel = await t.call('payments/cancel', { paymentId: payment.paymentId });
      expect(cancel.body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      expect(cancel.body.result.resultMessage).toContain('is disputed');

      const twice = await t.call('payments/acceptDispute', { disputeId: dispute.disputeId });
      expect(twice.body.result).toMatchObject({ resultCode: 'REPEAT_REQUEST', resultStatus: 'F' });
      expect(twice.body.result.resultMessage).toContain('accepted by the merchant');
      const defend = await t.call('payments/supplyDefenseDocument', { disputeId: dispute.disputeId, disputeEvidence: PDF.toString('base64') });
      expect(defend.body.result).toMatchObject({ resultCode: 'REPEAT_REQUEST', resultStatus: 'F' });
      await advance('8d');
      expect(await typesOf(dispute.disputeId)).toEqual(['DISPUTE_CREATED', 'DISPUTE_ACCEPTED']);
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS']);
      // The sandbox cannot judge or cancel it either.
      expect((await post(`/sandbox/disputes/${dispute.disputeId}/judge`, { result: 'ACCEPT_BY_CUSTOMER' })).status).toBe(409);
      expect((await post(`/sandbox/disputes/${dispute.disputeId}/cancel`)).status).toBe(409);
    });

    it('the buyer cancels: DISPUTE_CANCELLED, the amount back to the merchant', async () => {
      const payment = await paid('400');
      const dispute = await open(payment.paymentId);
      const cancelled = await post(`/sandbox/disputes/${dispute.disputeId}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.dispute.status).toBe('CANCELLED');
      expect((await notes(dispute.disputeId)).map((n) => n.body).at(-1)).toEqual({ ...common(dispute, payment), disputeNotificationType: 'DISPUTE_CANCELLED' });
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 400n, chargedBack: 0n, disputeHold: 0n });
      expect((await t.call('payments/acceptDispute', { disputeId: dispute.disputeId })).body.result.resultCode).toBe('REPEAT_REQUEST');
    });

    it('RDR: resolved against the merchant at once, RDR_RESOLVED only, nothing to defend', async () => {
      const payment = await paid('900');
      const dispute = await open(payment.paymentId, { rdr: true, amount: { value: '900' } });
      expect(dispute.status).toBe('RESOLVED');
      const all = await notes(dispute.disputeId);
      expect(all.map((n) => n.body)).toEqual([{
        ...common(dispute, payment), defendable: false, disputeNotificationType: 'RDR_RESOLVED',
        disputeJudgedTime: wire(dispute.disputeTime), disputeJudgedResult: 'ACCEPT_BY_MERCHANT', disputeJudgedAmount: { currency: 'USD', value: '900' },
      }]);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 0n, chargedBack: 900n, disputeHold: 0n });
      expect((await t.call('payments/acceptDispute', { disputeId: dispute.disputeId })).body.result.resultCode).toBe('REPEAT_REQUEST');
      // Nothing is left to dispute or refund.
      expect((await post(`/sandbox/payments/${payment.paymentId}/disputes`)).json.result.resultCode).toBe('ORDER_STATUS_INVALID');
      const refund = await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '1' } });
      expect(refund.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
    });

    it('refuses what cannot be disputed, another merchant\'s or an unknown dispute, and evidence that is too big or not a document', async () => {
      const payment = await paid('1000');
      const refusals: Array<[string, unknown, number, string]> = [
        ['/sandbox/payments/PAY_NO_SUCH/disputes', {}, 404, 'ORDER_NOT_EXIST'],
        [`/sandbox/payments/${payment.paymentId}/disputes`, { amount: { currency: 'EUR', value: '10' } }, 400, 'PARAM_ILLEGAL'],
        [`/sandbox/payments/${payment.paymentId}/disputes`, { amount: { value: '1001' } }, 400, 'PARAM_ILLEGAL'],
        [`/sandbox/payments/${payment.paymentId}/disputes`, { amount: { value: '0' } }, 400, 'PARAM_ILLEGAL'],
        [`/sandbox/payments/${payment.paymentId}/disputes`, { defenseDueInMs: 10 }, 400, 'PARAM_ILLEGAL'],
        [`/sandbox/payments/${payment.paymentId}/disputes`, { reasonCode: 'x'.repeat(65) }, 400, 'PARAM_ILLEGAL'],
        ['/sandbox/disputes/DSP_NO_SUCH/judge', { result: 'WIN' }, 404, 'DISPUTE_NOT_FOUND_OR_NO_ACCESS'],
        ['/sandbox/disputes/DSP_NO_SUCH/cancel', {}, 404, 'DISPUTE_NOT_FOUND_OR_NO_ACCESS'],
      ];
      for (const [path, body, status, code] of refusals) {
        const answer = await post(path, body);
        expect([answer.status, answer.json.result.resultCode], `${path} ${JSON.stringify(body)}`).toEqual([status, code]);
      }
      // A pending payment cannot be disputed; nor a failed one.
      const pending = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      expect((await post(`/sandbox/payments/${pending}/disputes`)).json.result.resultCode).toBe('ORDER_STATUS_INVALID');

      // Two disputes share what was paid, and refunds count.
      const first = await open(payment.paymentId, { amount: { value: '300' } });
      expect((await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '200' } })).body.result.resultCode).toBe('SUCCESS');
      const second = await open(payment.paymentId);
      expect(second.disputeAmount.value).toBe('500');
      expect((await post(`/sandbox/payments/${payment.paymentId}/disputes`)).json.result.resultCode).toBe('ORDER_STATUS_INVALID');
      // A disputed payment cannot be cancelled (cancel would reverse the whole of it).
      expect((await t.call('payments/cancel', { paymentId: payment.paymentId })).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      expect((await post(`/sandbox/disputes/${first.disputeId}/judge`, { result: 'WIN' })).json.result.resultCode).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
      expect((await post(`/sandbox/disputes/${first.disputeId}/judge`, { result: 'maybe' })).status).toBe(400);

      // Another merchant's dispute, an unknown one: not found, for every endpoint.
      const calls = [
        ['payments/acceptDispute', {}],
        ['payments/supplyDefenseDocument', { disputeEvidence: PDF.toString('base64') }],
        ['payments/downloadDisputeEvidence', { disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' }],
      ] as const;
      for (const [endpoint, body] of calls) {
        const theirs = await t.call(endpoint, { disputeId: first.disputeId, ...body }, asOther());
        expect(theirs.body.result, endpoint).toMatchObject({ resultCode: 'DISPUTE_NOT_FOUND_OR_NO_ACCESS', resultStatus: 'F' });
        const unknown = await t.call(endpoint, { disputeId: 'DSP_NO_SUCH', ...body });
        expect(unknown.body.result, endpoint).toMatchObject({ resultCode: 'DISPUTE_NOT_FOUND_OR_NO_ACCESS', resultStatus: 'F' });
      }

      // Evidence: over 1,000,000 Base64 characters, not Base64, not a PDF or Word file; the dispute stays open.
      const tooBig = await t.call('payments/supplyDefenseDocument', { disputeId: first.disputeId, disputeEvidence: 'A'.repeat(1_000_004) });
      expect(tooBig.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
      expect(tooBig.body.result.resultMessage).toContain('disputeEvidence');
      const notBase64 = await t.call('payments/supplyDefenseDocument', { disputeId: first.disputeId, disputeEvidence: 'not base64!' });
      expect(notBase64.body.result.resultMessage).toMatch(/disputeEvidence.*Base64/);
      const notDocument = await t.call('payments/supplyDefenseDocument', { disputeId: first.disputeId, disputeEvidence: Buffer.from('just text').toString('base64') });
      expect(notDocument.body.result.resultMessage).toMatch(/disputeEvidence.*PDF or a Word/);
      const badType = await t.call('payments/downloadDisputeEvidence', { disputeId: first.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_AI' });
      expect(badType.body.result.resultCode).toBe('PARAM_ILLEGAL');
      // The largest document the limit lets through is taken.
      const largest = Buffer.concat([PDF, Buffer.alloc(750_000 - PDF.length, 7)]);
      expect(largest.toString('base64')).toHaveLength(1_000_000);
      const taken = await t.call('payments/supplyDefenseDocument', { disputeId: first.disputeId, disputeEvidence: largest.toString('base64') });
      expect(taken.body.result.resultCode).toBe('SUCCESS');
      const back = await t.call('payments/downloadDisputeEvidence', { disputeId: first.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' });
      expect(Buffer.from(back.body.disputeEvidence as string, 'base64').equals(largest)).toBe(true);
      await money(payment.paymentId);
    });

    it('a notify URL: the payment\'s, else the client\'s default for DISPUTE', async () => {
      const payment = await paid('100', { paymentNotifyUrl: undefined });
      const none = await open(payment.paymentId, { amount: { value: '10' } });
      expect((await notes(none.disputeId))[0]).toMatchObject({ url: null });
      const set = await fetch(`${t.baseUrl}/admin/clients/${t.client.client.clientId}/notify-urls/DISPUTE`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://merchant.example/disputes' }),
      });
      expect(set.status).toBe(200);
      const withDefault = await open(payment.paymentId, { amount: { value: '10' } });
      expect((await notes(withDefault.disputeId))[0]).toMatchObject({ notifyType: 'DISPUTE', url: 'https://merchant.example/disputes' });
    });

    it('#amsgate:dispute-after=DURATION: the payment succeeds at once and a dispute opens DURATION later on the gateway clock', async () => {
      const body = cashierPay({ paymentNotifyUrl: NOTIFY_URL });
      (body.order as Record<string, unknown>).referenceOrderId = 'order-d#amsgate:dispute-after=2h';
      const answer = await t.call('payments/pay', body);
      expect(answer.body.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
      const paymentId = answer.body.paymentId as string;
      const paidAt = Date.parse((await t.call('payments/inquiryPayment', { paymentId })).body.paymentTime as string);
      const scheduled = async () => ((await (await fetch(`${t.baseUrl}/admin/payments/${paymentId}`)).json()) as { disputes: DisputeView[] }).disputes;
      const [waiting] = await scheduled();
      expect(waiting).toMatchObject({ status: 'SCHEDULED' });
      // Not open yet: the merchant cannot see it.
      expect((await t.call('payments/acceptDispute', { disputeId: waiting!.disputeId })).body.result.resultCode).toBe('DISPUTE_NOT_FOUND_OR_NO_ACCESS');
      expect(await notes(waiting!.disputeId)).toEqual([]);

      await advance('1h');
      expect((await scheduled())[0]!.status).toBe('SCHEDULED');
      await advance('1h');
      const [opened] = await scheduled();
      expect(opened).toMatchObject({ status: 'OPEN', disputeAmount: { currency: 'USD', value: '1000' } });
      expect(Math.abs(Date.parse(opened!.disputeTime) - (paidAt + 2 * HOUR))).toBeLessThan(1_000);
      expect((await notes(opened!.disputeId)).map((n) => n.body)).toEqual([
        { ...common(opened!, { paymentId, paymentRequestId: body.paymentRequestId as string }), disputeNotificationType: 'DISPUTE_CREATED', defenseDueTime: wire(opened!.defenseDueTime) },
      ]);
      expect(await money(paymentId)).toMatchObject({ merchant: 0n, chargedBack: 1000n });

      // Refunded in full before it opens: it is dropped.
      const refunded = cashierPay();
      (refunded.order as Record<string, unknown>).referenceOrderId = 'order-r#amsgate:dispute-after=1h';
      const refundedId = (await t.call('payments/pay', refunded)).body.paymentId as string;
      expect((await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: refundedId, refundAmount: { currency: 'USD', value: '1000' } })).body.result.resultCode).toBe('SUCCESS');
      await advance('2h');
      expect(((await (await fetch(`${t.baseUrl}/admin/payments/${refundedId}`)).json()) as { disputes: unknown[] }).disputes).toEqual([]);

      // A malformed marker is refused before anything is written.
      const bad = cashierPay();
      (bad.order as Record<string, unknown>).referenceOrderId = 'order-b#amsgate:dispute-after=soon';
      const refused = await t.call('payments/pay', bad);
      expect(refused.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL' });
      expect(refused.body.result.resultMessage).toContain('order.referenceOrderId');
    });

    it('the dashboard opens a dispute from the payment page (CSRF-checked), and only on a successful payment', async () => {
      const payment = await paid('700');
      const session = new DashboardSession(t.baseUrl);
      const page = `/dashboard/payments/${payment.paymentId}`;
      expect((await session.get(page)).html).toContain('id="open-dispute"');
      const opened = await session.post(`${page}/disputes`, { reasonCode: '13.3', amount: '200', defenseDueIn: '3d' }, { csrfFrom: page });
      expect(opened.status).toBe(303);
      expect(flashOf(opened.location)).toMatch(/^Dispute DSP\w+ of 2\.00 USD opened \(DISPUTE_CREATED notified\)\.$/);
      const shown = await session.follow(opened);
      expect(decodeHtml(shown.html)).toContain('<code>13.3</code> Not as described or defective merchandise or services');
      const history = (await (await fetch(`${t.baseUrl}/admin/payments/${payment.paymentId}`)).json()) as { disputes: DisputeView[] };
      expect(history.disputes).toHaveLength(1);
      expect(Date.parse(history.disputes[0]!.defenseDueTime) - Date.parse(history.disputes[0]!.disputeTime)).toBe(3 * DAY);
      // Without the page's CSRF token: refused.
      const forged = await session.post(`${page}/disputes`, { _csrf: 'forged', amount: '1' });
      expect(forged.status).toBe(403);
      // A pending payment's page has no form.
      const pending = (await t.call('payments/pay', cashierPay())).body.paymentId as string;
      expect((await session.get(`/dashboard/payments/${pending}`)).html).not.toContain('id="open-dispute"');
    });

    it('the dashboard judges a defended dispute won and cancels an open one as the buyer; GET /admin/disputes/{id} shows each', async () => {
      const payment = await paid('900');
      const defended = await open(payment.paymentId, { amount: { value: '500' } });
      expect((await t.call('payments/supplyDefenseDocument', { disputeId: defended.disputeId, disputeEvidence: PDF.toString('base64') })).body.result.resultCode).toBe('SUCCESS');
      const undefended = await open(payment.paymentId);
      expect(undefended.disputeAmount.value).toBe('400');
      const session = new DashboardSession(t.baseUrl);
      const page = `/dashboard/payments/${payment.paymentId}`;
      const shown = await session.get(page);
      expect(shown.html).toContain(`id="judge-win-${defended.disputeId}"`);
      expect(shown.html).not.toContain(`id="judge-win-${undefended.disputeId}"`);
      expect(shown.html).toContain(`id="cancel-${undefended.disputeId}"`);

      const won = await session.post(`/dashboard/disputes/${defended.disputeId}/judge`, { result: 'WIN' }, { csrfFrom: page });
      expect(flashOf(won.location)).toBe(`Dispute ${defended.disputeId} judged: the merchant won (DISPUTE_JUDGED notified).`);
      const cancelled = await session.post(`/dashboard/disputes/${undefended.disputeId}/cancel`, {}, { csrfFrom: page });
      expect(flashOf(cancelled.location)).toBe(`Dispute ${undefended.disputeId} cancelled by the buyer (DISPUTE_CANCELLED notified).`);
      expect(await typesOf(defended.disputeId)).toEqual(['DISPUTE_CREATED', 'DEFENSE_SUPPLIED', 'DISPUTE_JUDGED']);
      expect(await typesOf(undefended.disputeId)).toEqual(['DISPUTE_CREATED', 'DISPUTE_CANCELLED']);
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK', 'CHARGEBACK_REVERSAL', 'CHARGEBACK_REVERSAL']);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 900n, chargedBack: 0n, disputeHold: 0n });

      const view = async (id: string) => {
        const response = await fetch(`${t.baseUrl}/admin/disputes/${id}`);
        return { status: response.status, json: (await response.json()) as { dispute?: DisputeView } };
      };
      expect((await view(defended.disputeId)).json.dispute).toMatchObject({ disputeId: defended.disputeId, paymentId: payment.paymentId, status: 'JUDGED', judgedResult: 'WON' });
      expect((await view(undefended.disputeId)).json.dispute).toMatchObject({ status: 'CANCELLED', judgedResult: null });
      expect((await view('DSP_NO_SUCH')).status).toBe(404);
    });

    it('at once: three accepts act once; an accept racing the deadline\'s judgement leaves one outcome; the amount moves once', async () => {
      const payment = await paid('1000');
      const dispute = await open(payment.paymentId, { amount: { value: '400' } });
      const answers = await Promise.all([1, 2, 3].map(() => t.call('payments/acceptDispute', { disputeId: dispute.disputeId })));
      expect(answers.map((a) => a.body.result.resultCode).sort()).toEqual(['REPEAT_REQUEST', 'REPEAT_REQUEST', 'SUCCESS']);
      expect(await typesOf(dispute.disputeId)).toEqual(['DISPUTE_CREATED', 'DISPUTE_ACCEPTED']);
      expect(await movements(payment.paymentId)).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS']);
      expect(await money(payment.paymentId)).toMatchObject({ merchant: 600n, chargedBack: 400n, disputeHold: 0n });

      // Each accept reads the clock before the deadline; the clock then passes it and due work judges: whichever moves the
      // dispute first wins, the other is refused (or finds nothing to do).
      const raced: Array<{ paymentId: string; dispute: DisputeView }> = [];
      for (let i = 0; i < 4; i++) {
        const p = await paid('500');
        raced.push({ paymentId: p.paymentId, dispute: await open(p.paymentId, { defenseDueInMs: 2 * DAY }) });
      }
      const clientId = t.client.client.clientId;
      const accepting = raced.map(({ dispute: d }) =>
        t.gateway.disputes.accept(clientId, { disputeId: d.disputeId }).then(() => 'SUCCESS', (error: unknown) => (error as { code?: string }).code));
      clock.advance(3 * DAY);
      const [codes] = await Promise.all([Promise.all(accepting), t.gateway.runDueWork()]);
      for (const [i, { paymentId, dispute: d }] of raced.entries()) {
        const [stored] = await t.gateway.disputes.listForPayment(paymentId);
        if (codes[i] === 'SUCCESS') {
          expect(stored, d.disputeId).toMatchObject({ status: 'ACCEPTED', acceptReason: 'MERCHANT_ACCEPTED' });
          expect(await typesOf(d.disputeId)).toEqual(['DISPUTE_CREATED', 'DISPUTE_ACCEPTED']);
        } else {
          expect(codes[i], d.disputeId).toBe('TIME_EXCEEDS_LIMIT');
          expect(stored, d.disputeId).toMatchObject({ status: 'JUDGED', judgedResult: 'LOST', acceptReason: 'TIMEOUT' });
          expect(await typesOf(d.disputeId)).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT', 'DISPUTE_JUDGED']);
        }
        expect(await movements(paymentId), d.disputeId).toEqual(['PAY', 'CHARGEBACK', 'CHARGEBACK_LOSS']);
        expect(await money(paymentId)).toMatchObject({ merchant: 0n, chargedBack: 500n, disputeHold: 0n });
      }
    });

    it('at once: a refund and a dispute of the same payment never take more than was paid', async () => {
      for (let round = 0; round < 3; round++) {
        const payment = await paid('1000');
        const [refund, dispute] = await Promise.all([
          t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '700' } }),
          post(`/sandbox/payments/${payment.paymentId}/disputes`, { amount: { value: '700' } }),
        ]);
        const refunded = refund.body.result.resultCode === 'SUCCESS';
        const disputed = dispute.status === 200;
        expect([refunded, disputed].filter(Boolean), JSON.stringify([refund.body.result, dispute.json.result])).toHaveLength(1);
        if (refunded) expect([dispute.status, dispute.json.result.resultCode]).toEqual([400, 'PARAM_ILLEGAL']);
        else expect(refund.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
        // What is left (300) can still go, once.
        const rest = await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '301' } });
        expect(rest.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
        expect((await t.call('payments/refund', { refundRequestId: uniqueId('rf'), paymentId: payment.paymentId, refundAmount: { currency: 'USD', value: '300' } })).body.result.resultCode).toBe('SUCCESS');
        const m = await money(payment.paymentId);
        expect(m.refunded + m.chargedBack).toBe(1000n);
        expect(m.merchant).toBe(0n);
      }
    });

    // Last: it moves the clock far ahead.
    it('a deadline reached before its alert went out (a batch limit, another process) sends the alert first, each at its own time', async () => {
      await advance('400d');
      // c: alerted just after opening, due in 2 h; d, opened 10 min later: alerted later than c, due earlier (1 h).
      const c = await open((await paid('100')).paymentId, { defenseDueInMs: 2 * HOUR });
      clock.advance(10 * 60_000);
      const d = await open((await paid('100')).paymentId, { defenseDueInMs: HOUR });
      expect(Date.parse(d.alertTime)).toBeGreaterThan(Date.parse(c.alertTime));
      expect(Date.parse(d.defenseDueTime)).toBeLessThan(Date.parse(c.defenseDueTime));
      clock.advance(3 * HOUR);
      // One dispute per step and run: the first run alerts c and judges d.
      let runs = 0;
      while ((await t.gateway.disputes.runDue(1)) > 0) runs++;
      expect(runs).toBeLessThanOrEqual(3);
      for (const x of [c, d]) {
        expect((await notes(x.disputeId)).map((n) => [n.body.disputeNotificationType, n.createdAt]), x.disputeId).toEqual([
          ['DISPUTE_CREATED', Date.parse(x.disputeTime)],
          ['DEFENSE_DUE_ALERT', Date.parse(x.alertTime)],
          ['DISPUTE_JUDGED', Date.parse(x.defenseDueTime)],
        ]);
      }
    });
  });
});

describe.skipIf(!postgresOk)('two gateway processes on one PostgreSQL', () => {
  it('judge a passed deadline once, alert once, and open a scheduled dispute once', async () => {
    const schema = `d_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const clock = new SandboxClock();
    const common = { port: 0, httpsPort: null, logger: false as const, sweepIntervalMs: 0, notifyDispatch: false, clock, databaseUrl: POSTGRES_URL, databaseSchema: schema };
    const a = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-da-')) });
    const b = await Gateway.open({ ...common, dataDir: mkdtempSync(join(tmpdir(), 'amsgate-db-')) });
    try {
      const created = await a.clients.create({ sandbox: true });
      const clientId = created.client.clientId;
      const disputeIds: string[] = [];
      const paymentIds: string[] = [];
      for (let i = 0; i < 8; i++) {
        const request = cashierPay({ paymentNotifyUrl: NOTIFY_URL });
        if (i % 2 === 1) (request.order as Record<string, unknown>).referenceOrderId = `order-${i}#amsgate:dispute-after=1h`;
        const answer = await a.run('payments/pay', clientId, request);
        const paymentId = answer.paymentId as string;
        paymentIds.push(paymentId);
        if (i % 2 === 0) {
          await a.payments.complete(paymentId, { kind: 'success' });
          disputeIds.push((await (i % 4 === 0 ? a : b).disputes.open(paymentId)).disputeId);
        }
      }
      clock.advance(8 * DAY);
      await Promise.all([a.runDueWork(), b.runDueWork(), a.runDueWork(), b.runDueWork()]);
      for (const paymentId of paymentIds) {
        const disputes = await a.disputes.listForPayment(paymentId);
        expect(disputes, paymentId).toHaveLength(1);
        const [dispute] = disputes;
        // Opened (those of the trigger) and judged: each step's notification once.
        expect(dispute).toMatchObject({ status: 'JUDGED', judgedResult: 'LOST', acceptReason: 'TIMEOUT' });
        const sent = (await a.notifications.repository.list({ resourceId: dispute!.disputeId })).reverse().map((n) => (JSON.parse(n.body) as { disputeNotificationType: string }).disputeNotificationType);
        expect(sent, paymentId).toEqual(['DISPUTE_CREATED', 'DEFENSE_DUE_ALERT', 'DISPUTE_JUDGED']);
        const journal = await a.database.db.selectFrom('journal_entries').select(['journal_id', 'movement']).where('payment_id', '=', paymentId).execute();
        expect([...new Map(journal.map((e) => [e.journal_id, e.movement])).values()].sort(), paymentId).toEqual(['CHARGEBACK', 'CHARGEBACK_LOSS', 'PAY']);
      }
      expect((await checkLedger(a.database)).violations).toEqual([]);
      expect(disputeIds).toHaveLength(4);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });
});
