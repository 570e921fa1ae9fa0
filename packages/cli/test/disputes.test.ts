/**
 * `amsgate sandbox dispute open | judge | cancel` go through the running
 * sandbox gateway's control API: the dispute opens on the gateway (its
 * clock, journal and notifications), and the merchant's side is the AMS
 * endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/commands/serve.js';
import { run, signedPost, startSandbox, type SandboxCredentials } from './helpers.js';

interface DisputeView {
  disputeId: string;
  paymentId: string;
  status: string;
  judgedResult: string | null;
  disputeAmount: { currency: string; value: string };
  reasonCode: string;
  defenseDueTime: string;
  disputeTime: string;
}

describe('amsgate sandbox dispute (through the control API)', () => {
  let dataDir: string;
  let server: RunningServer;
  let credentials: SandboxCredentials;

  beforeAll(async () => {
    ({ dataDir, server, credentials } = await startSandbox('amsgate-sandbox-dispute-'));
  });
  afterAll(async () => server?.stop());

  async function pay(complete = true): Promise<string> {
    const response = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/pay', {
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: `cli-dispute-${Date.now()}-${Math.random()}`,
      paymentAmount: { currency: 'USD', value: '1000' },
      order: { referenceOrderId: `order-${Date.now()}`, orderDescription: 'Test order', orderAmount: { currency: 'USD', value: '1000' } },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: 'https://merchant.example/return',
      env: { terminalType: 'WEB' },
    });
    const paymentId = ((await response.json()) as { paymentId: string }).paymentId;
    if (complete) expect((await run(['sandbox', 'complete', paymentId, '--data-dir', dataDir])).code).toBe(0);
    return paymentId;
  }

  async function disputesOf(paymentId: string): Promise<DisputeView[]> {
    const response = await fetch(`${credentials.baseUrl}/admin/payments/${paymentId}`);
    return ((await response.json()) as { disputes: DisputeView[] }).disputes;
  }

  it('open PAYMENT_ID --reason --amount: opens it on the gateway and says so; --json prints the dispute', async () => {
    const paymentId = await pay();
    const opened = await run(['sandbox', 'dispute', 'open', paymentId, '--reason', '10.4', '--amount', '400', '--data-dir', dataDir]);
    expect(opened.code, opened.text).toBe(0);
    const [dispute] = await disputesOf(paymentId);
    expect(dispute).toMatchObject({ status: 'OPEN', reasonCode: '10.4', disputeAmount: { currency: 'USD', value: '400' } });
    expect(opened.out).toEqual([`Dispute ${dispute!.disputeId} opened on payment ${paymentId}: 400 USD (minor units), reason 10.4; defense due ${dispute!.defenseDueTime}`]);

    const json = await run(['sandbox', 'dispute', 'open', paymentId, '--defense-due', '48h', '--json', '--base-url', credentials.baseUrl, '--data-dir', dataDir]);
    expect(json.code, json.text).toBe(0);
    const printed = JSON.parse(json.out.join('\n')) as DisputeView;
    expect(printed).toMatchObject({ paymentId, status: 'OPEN', reasonCode: '13.1', disputeAmount: { currency: 'USD', value: '600' } });
    expect(Date.parse(printed.defenseDueTime) - Date.parse(printed.disputeTime)).toBe(48 * 3_600_000);

    // The merchant sees it through the AMS endpoints.
    const accepted = await signedPost(credentials.baseUrl, credentials, '/ams/api/v1/payments/acceptDispute', { disputeId: printed.disputeId });
    expect(((await accepted.json()) as { result: { resultCode: string } }).result.resultCode).toBe('SUCCESS');
  });

  it('judge and cancel a dispute; --rdr resolves at once', async () => {
    const paymentId = await pay();
    const opened = JSON.parse((await run(['sandbox', 'dispute', 'open', paymentId, '--amount', '300', '--json', '--data-dir', dataDir])).out.join('\n')) as DisputeView;
    // The merchant's side through `amsgate call`, by the SDK method names the definitions give.
    const document = Buffer.from([...Buffer.from('%PDF-1.4\n'), 0, 0xff, 0x80, ...Buffer.from('\n%%EOF\n')]);
    const defended = await run(['call', 'supplyDefenseDocument', '--data', JSON.stringify({ disputeId: opened.disputeId, disputeEvidence: document.toString('base64') }), '--json', '--data-dir', dataDir]);
    expect(defended.code, defended.text).toBe(0);
    expect(JSON.parse(defended.out.join('\n'))).toMatchObject({ signature: 'verified', resultStatus: 'S', response: { disputeId: opened.disputeId } });
    const downloaded = await run(['call', 'downloadDisputeEvidence', '--data', JSON.stringify({ disputeId: opened.disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_FILE' }), '--json', '--data-dir', dataDir]);
    expect(downloaded.code, downloaded.text).toBe(0);
    const file = (JSON.parse(downloaded.out.join('\n')) as { response: { disputeEvidence: string; disputeEvidenceFormat: string } }).response;
    expect(file.disputeEvidenceFormat).toBe('PDF');
    expect(Buffer.from(file.disputeEvidence, 'base64').equals(document)).toBe(true);
    const again = await run(['call', 'acceptDispute', '--data', JSON.stringify({ disputeId: opened.disputeId }), '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.out[2]).toMatch(/^result: F REPEAT_REQUEST/);
    const judged = await run(['sandbox', 'dispute', 'judge', opened.disputeId, '--result', 'win', '--data-dir', dataDir]);
    expect(judged.code, judged.text).toBe(0);
    expect(judged.out).toEqual([`Dispute ${opened.disputeId} judged: the merchant won`]);

    const second = JSON.parse((await run(['sandbox', 'dispute', 'open', paymentId, '--json', '--data-dir', dataDir])).out.join('\n')) as DisputeView;
    expect(second.disputeAmount.value).toBe('1000');
    const cancelled = await run(['sandbox', 'dispute', 'cancel', second.disputeId, '--data-dir', dataDir]);
    expect(cancelled.code, cancelled.text).toBe(0);
    expect(cancelled.out).toEqual([`Dispute ${second.disputeId} cancelled by the buyer: the amount went back to the merchant`]);

    const rdr = await run(['sandbox', 'dispute', 'open', paymentId, '--rdr', '--data-dir', dataDir]);
    expect(rdr.code, rdr.text).toBe(0);
    expect(rdr.out[0]).toMatch(/resolved by RDR: the amount went to the buyer$/);
    expect((await disputesOf(paymentId)).map((d) => [d.status, d.judgedResult])).toEqual([['JUDGED', 'WON'], ['CANCELLED', null], ['RESOLVED', null]]);
  });

  it('exit codes: 2 unknown payment or dispute, bad amount; 1 a payment or dispute whose state does not allow it', async () => {
    const unknown = await run(['sandbox', 'dispute', 'open', 'PAY_NO_SUCH', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual(['amsgate: ORDER_NOT_EXIST: No payment PAY_NO_SUCH']);

    const pending = await run(['sandbox', 'dispute', 'open', await pay(false), '--data-dir', dataDir]);
    expect(pending.code).toBe(1);
    expect(pending.err.join('\n')).toMatch(/ORDER_STATUS_INVALID: Payment \w+ is PROCESSING/);

    const paymentId = await pay();
    const tooMuch = await run(['sandbox', 'dispute', 'open', paymentId, '--amount', '1001', '--data-dir', dataDir]);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.err.join('\n')).toContain('PARAM_ILLEGAL: amount.value: 1001 exceeds');

    const opened = JSON.parse((await run(['sandbox', 'dispute', 'open', paymentId, '--json', '--data-dir', dataDir])).out.join('\n')) as DisputeView;
    const notDefended = await run(['sandbox', 'dispute', 'judge', opened.disputeId, '--result', 'lose', '--data-dir', dataDir]);
    expect(notDefended.code).toBe(1);
    expect(notDefended.err.join('\n')).toContain('NOT_ALLOW_IN_CURRENT_STATUS: Only a defended dispute can be judged');
    const noSuch = await run(['sandbox', 'dispute', 'cancel', 'DSP_NO_SUCH', '--data-dir', dataDir]);
    expect(noSuch.code).toBe(2);
    expect(noSuch.err.join('\n')).toContain('DISPUTE_NOT_FOUND_OR_NO_ACCESS');
    const badResult = await run(['sandbox', 'dispute', 'judge', opened.disputeId, '--result', 'maybe', '--data-dir', dataDir]);
    expect(badResult.code).toBe(2);
  });
});
