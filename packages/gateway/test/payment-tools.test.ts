/**
 * The calls beside a payment, through real signed HTTP on SQLite and
 * PostgreSQL: payments/createDeviceCertificate (an X.509 certificate over a
 * device key, signed with the client's Antom key, idempotent by
 * deviceRequestId), payments/syncArrear (Auto Debit payments in arrears
 * only) and payments/uploadInvoiceShippingFile (stored, size- and
 * format-checked, idempotent by fileId, on the dashboard timeline). Every
 * refusal, and another client's data never reachable.
 */
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { importPublicKey } from '@amsgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPaymentTimeline } from '../src/admin/read-models/payment-timeline.js';
import type { CreatedClient } from '../src/auth/clients-repository.js';
import { agreementPay, cashierPay, DIALECTS, postgresAvailable, startTestGateway, uniqueId, type CallOptions, type TestGateway } from './harness.js';

const postgresOk = await postgresAvailable();

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');
const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits });
const ec = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve });

/** Files of each accepted format (their first bytes are what is checked). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml')]);
const DOC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x00]);

describe.each(DIALECTS)('payment tools on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    let t: TestGateway;
    let other: CreatedClient;
    let asOther: CallOptions;
    beforeAll(async () => {
      t = await startTestGateway(dialect, { notifyDispatch: false });
      other = await t.gateway.clients.create({ sandbox: true, name: 'another merchant' });
      asOther = { clientId: other.client.clientId, privateKey: other.merchantPrivateKey as string };
    });
    afterAll(async () => t?.close());

    const db = () => t.gateway.database.db;

    // -----------------------------------------------------------------------
    describe('payments/createDeviceCertificate', () => {
      const create = (body: Record<string, unknown>, options?: CallOptions) => t.call('payments/createDeviceCertificate', body, options);
      const certificateOf = (answer: { body: Record<string, unknown> }) => new X509Certificate(Buffer.from(answer.body.deviceCertificate as string, 'base64'));

      it('certifies an RSA device key: X.509 over the key, signed with the client\'s Antom key, for a year', async () => {
        const device = rsa();
        const deviceRequestId = uniqueId('dev');
        const before = Date.now();
        const answer = await create({ deviceRequestId, devicePublicKey: spki(device.publicKey) });
        expect(answer.signatureValid).toBe(true);
        expect(answer.body.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
        const certificate = certificateOf(answer);
        expect(certificate.verify(importPublicKey(t.client.client.gatewayPublicKey))).toBe(true);
        expect(certificate.verify(importPublicKey(other.client.gatewayPublicKey))).toBe(false);
        expect(spki(certificate.publicKey)).toBe(spki(device.publicKey));
        expect(certificate.subject).toBe(`O=${t.client.client.clientId}\nCN=${deviceRequestId}`);
        expect(certificate.issuer).toBe(`O=amsgate\nCN=Device CA of ${t.client.client.clientId} (key version 1)`);
        expect(certificate.ca).toBe(false);
        const from = Date.parse(certificate.validFrom);
        expect(from).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(from).toBeLessThanOrEqual(Date.now());
        expect(Date.parse(certificate.validTo) - from).toBe(365 * 86_400_000);
        // The serial number is derived from the client and the request id: the same request, the same certificate.
        const serial = createHash('sha256').update(`amsgate device certificate\u0000${t.client.client.clientId}\u0000${deviceRequestId}`).digest().subarray(0, 16);
        serial[0] = (serial[0]! & 0x7f) | 0x40;
        expect(certificate.serialNumber).toBe(serial.toString('hex').toUpperCase());
        const row = await db().selectFrom('device_certificates').selectAll().where('device_request_id', '=', deviceRequestId).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ client_id: t.client.client.clientId, device_public_key: spki(device.publicKey), certificate: answer.body.deviceCertificate, serial_number: serial.toString('hex') });
        expect(Number(row.gateway_key_version)).toBe(1);
      });

      it('certifies an EC key on P-256 or P-384; its DER and its PEM are the same key', async () => {
        for (const curve of ['prime256v1', 'secp384r1']) {
          const device = ec(curve);
          const deviceRequestId = uniqueId('dev');
          const answer = await create({ deviceRequestId, devicePublicKey: device.publicKey.export({ type: 'spki', format: 'pem' }) });
          expect(answer.body.result.resultCode).toBe('SUCCESS');
          const certificate = certificateOf(answer);
          expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe(curve);
          expect(certificate.verify(importPublicKey(t.client.client.gatewayPublicKey))).toBe(true);
          // The same key as base64 DER: the same request, answered the same.
          expect((await create({ deviceRequestId, devicePublicKey: spki(device.publicKey) })).body.deviceCertificate).toBe(answer.body.deviceCertificate);
        }
      });

      it('is idempotent by deviceRequestId: a repeat answers the certificate issued (one row), another key is REPEAT_REQ_INCONSISTENT', async () => {
        const device = rsa();
        const deviceRequestId = uniqueId('dev');
        const body = { deviceRequestId, devicePublicKey: spki(device.publicKey) };
        const [first, second] = await Promise.all([create(body), create(body)]);
        expect(first.body.result.resultCode).toBe('SUCCESS');
        expect(second.body).toEqual(first.body);
        expect((await create(body)).body).toEqual(first.body);
        const rows = await db().selectFrom('device_certificates').select('certificate').where('device_request_id', '=', deviceRequestId).execute();
        expect(rows).toHaveLength(1);
        const another = await create({ deviceRequestId, devicePublicKey: spki(rsa().publicKey) });
        expect(another.body.result).toEqual({ resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F', resultMessage: `deviceRequestId ${deviceRequestId} was used with different devicePublicKey` });
        expect(another.body).not.toHaveProperty('deviceCertificate');
      });

      it('request ids are per client: another client\'s certificate for the same id is its own, signed with its key', async () => {
        const device = rsa();
        const body = { deviceRequestId: uniqueId('dev'), devicePublicKey: spki(device.publicKey) };
        const mine = await create(body);
        const theirs = await create(body, asOther);
        expect(theirs.body.result.resultCode).toBe('SUCCESS');
        expect(theirs.body.deviceCertificate).not.toBe(mine.body.deviceCertificate);
        const certificate = certificateOf(theirs);
        expect(certificate.verify(importPublicKey(other.client.gatewayPublicKey))).toBe(true);
        expect(certificate.verify(importPublicKey(t.client.client.gatewayPublicKey))).toBe(false);
        expect(certificate.subject).toContain(`O=${other.client.clientId}`);
        // And a key the other client certified under an id does not make this client's same id inconsistent.
        const otherKey = await create({ deviceRequestId: body.deviceRequestId, devicePublicKey: spki(rsa().publicKey) }, asOther);
        expect(otherKey.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
        expect((await create(body)).body).toEqual(mine.body);
      });

      it('refuses a key that is not a usable public key with PARAM_ILLEGAL naming devicePublicKey, never echoing it', async () => {
        const deviceRequestId = uniqueId('dev');
        const refused = async (devicePublicKey: string) => {
          const answer = await create({ deviceRequestId, devicePublicKey });
          expect(answer.body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F' });
          expect(answer.body.result.resultMessage).toMatch(/^devicePublicKey: /);
          expect(answer.text).not.toContain(devicePublicKey.replace(/\s+/g, '').slice(0, 40));
          return answer.body.result.resultMessage;
        };
        expect(await refused('not a key!')).toMatch(/neither PEM nor base64 DER/);
        expect(await refused(Buffer.from('just some bytes, not DER').toString('base64'))).toMatch(/is not a PKCS#8, PKCS#1 or SPKI RSA key/);
        expect(await refused(spki(rsa(1024).publicKey))).toMatch(/has 1024 bits; at least 2048 are needed/);
        expect(await refused(rsa().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toMatch(/This is a private key/);
        expect(await refused(spki(generateKeyPairSync('ed25519').publicKey))).toBe('devicePublicKey: must be an RSA key of at least 2048 bits or an EC key on P-256 or P-384, got an ed25519 key');
        expect(await refused(spki(ec('secp256k1').publicKey))).toBe('devicePublicKey: must be an RSA key of at least 2048 bits or an EC key on P-256 or P-384, got an EC key on secp256k1');
        // Nothing was claimed or stored for the id: a good key may still use it.
        expect(await db().selectFrom('device_certificates').select('certificate').where('device_request_id', '=', deviceRequestId).execute()).toHaveLength(0);
        expect((await create({ deviceRequestId, devicePublicKey: spki(rsa().publicKey) })).body.result.resultCode).toBe('SUCCESS');
      });

      it('needs both fields', async () => {
        expect((await create({ devicePublicKey: spki(rsa().publicKey) })).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^deviceRequestId: /) });
        expect((await create({ deviceRequestId: uniqueId('dev') })).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^devicePublicKey: /) });
        expect((await create({ deviceRequestId: 'd'.repeat(65), devicePublicKey: spki(rsa().publicKey) })).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^deviceRequestId: must be at most 64/) });
      });
    });

    // -----------------------------------------------------------------------
    describe('payments/syncArrear', () => {
      const sync = (body: Record<string, unknown>, options?: CallOptions) => t.call('payments/syncArrear', body, options);

      /** An access token from consult → the authorisation page's control API → applyToken, for `as`. */
      async function accessToken(options: CallOptions = {}): Promise<string> {
        const consult = await t.call('authorizations/consult', {
          customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: uniqueId('state'), terminalType: 'WEB',
        }, options);
        const consultId = (consult.body.authUrl as string).split('/').pop()!;
        const agreed = await fetch(`${t.baseUrl}/sandbox/authorizations/${consultId}/agree`, { method: 'POST', body: '{}' });
        const authCode = ((await agreed.json()) as { authCode: string }).authCode;
        const applied = await t.call('authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode }, options);
        return applied.body.accessToken as string;
      }

      /** An Auto Debit payment of `value` (an amount ending 9951 fails with USER_BALANCE_NOT_ENOUGH, 9952 USER_AMOUNT_EXCEED_LIMIT, 9953 RISK_REJECT). */
      async function autoDebit(value: string, options: CallOptions = {}): Promise<{ paymentId: string; paymentRequestId: string; resultCode: string }> {
        const body = agreementPay(await accessToken(options), { paymentAmount: { currency: 'USD', value } });
        const answer = await t.call('payments/pay', body, options);
        return { paymentId: answer.body.paymentId as string, paymentRequestId: body.paymentRequestId as string, resultCode: answer.body.result.resultCode };
      }

      const syncsOf = (paymentId: string) => db().selectFrom('arrear_syncs').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').orderBy('sync_id').execute();

      it('an Auto Debit payment the user could not pay: SUCCESS by paymentId or paymentRequestId, each call recorded, the payment unchanged', async () => {
        const payment = await autoDebit('19951');
        expect(payment.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
        const first = await sync({ paymentId: payment.paymentId });
        expect(first.signatureValid).toBe(true);
        expect(first.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
        expect((await sync({ paymentRequestId: payment.paymentRequestId })).body.result.resultCode).toBe('SUCCESS');
        const rows = await syncsOf(payment.paymentId);
        expect(rows.map((row) => [row.client_id, row.result_code])).toEqual([[t.client.client.clientId, 'USER_BALANCE_NOT_ENOUGH'], [t.client.client.clientId, 'USER_BALANCE_NOT_ENOUGH']]);
        expect(rows.every((row) => row.sync_id.startsWith('ARR'))).toBe(true);
        expect((await t.call('payments/inquiryPayment', { paymentId: payment.paymentId })).body).toMatchObject({ paymentStatus: 'FAIL', paymentResultCode: 'USER_BALANCE_NOT_ENOUGH' });
        const limit = await autoDebit('29952');
        expect(limit.resultCode).toBe('USER_AMOUNT_EXCEED_LIMIT');
        expect((await sync({ paymentId: limit.paymentId })).body.result.resultCode).toBe('SUCCESS');
        // On the dashboard timeline.
        const { timeline } = (await loadPaymentTimeline(db(), undefined, payment.paymentId))!;
        const arrears = timeline.filter((event) => event.kind === 'arrear');
        expect(arrears.map((event) => event.detail)).toEqual(['handed back for collection (failed with USER_BALANCE_NOT_ENOUGH)', 'handed back for collection (failed with USER_BALANCE_NOT_ENOUGH)']);
        expect(arrears[0]!.title).toBe(`Arrear synced ${rows[0]!.sync_id}`);
      });

      it('refuses what is not in arrears: paid (ORDER_STATUS_INVALID), cancelled (ORDER_IS_CANCELED), failed by risk control, not Auto Debit', async () => {
        const paid = await autoDebit('1000');
        expect(paid.resultCode).toBe('SUCCESS');
        expect((await sync({ paymentId: paid.paymentId })).body.result).toEqual({
          resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F', resultMessage: `Payment ${paid.paymentId} was paid; nothing is in arrears`,
        });
        expect((await t.call('payments/cancel', { paymentId: paid.paymentId })).body.result.resultCode).toBe('SUCCESS');
        expect((await sync({ paymentRequestId: paid.paymentRequestId })).body.result).toEqual({
          resultCode: 'ORDER_IS_CANCELED', resultStatus: 'F', resultMessage: `Payment ${paid.paymentId} was cancelled; nothing is in arrears`,
        });
        const risky = await autoDebit('39953');
        expect(risky.resultCode).toBe('RISK_REJECT');
        expect((await sync({ paymentId: risky.paymentId })).body.result).toMatchObject({
          resultCode: 'ORDER_STATUS_INVALID', resultMessage: expect.stringMatching(new RegExp(`^Payment ${risky.paymentId} failed with RISK_REJECT, which leaves no arrear`)),
        });
        const cashier = await t.call('payments/pay', cashierPay());
        expect(cashier.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
        expect((await sync({ paymentId: cashier.body.paymentId })).body.result).toEqual({
          resultCode: 'ORDER_STATUS_INVALID', resultStatus: 'F', resultMessage: `Payment ${cashier.body.paymentId as string} is a CASHIER_PAYMENT: only an Auto Debit payment (AGREEMENT_PAYMENT) can be in arrears`,
        });
        for (const id of [paid.paymentId, risky.paymentId, cashier.body.paymentId as string]) expect(await syncsOf(id)).toHaveLength(0);
      });

      it('another client\'s payment in arrears, or none, is ORDER_NOT_EXIST; it needs one of the ids', async () => {
        const theirs = await autoDebit('19951', asOther);
        expect(theirs.resultCode).toBe('USER_BALANCE_NOT_ENOUGH');
        expect((await sync({ paymentId: theirs.paymentId })).body.result).toEqual({ resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F', resultMessage: `No payment with paymentId ${theirs.paymentId}` });
        expect((await sync({ paymentRequestId: theirs.paymentRequestId })).body.result).toEqual({
          resultCode: 'ORDER_NOT_EXIST', resultStatus: 'F', resultMessage: `No payment with paymentRequestId ${theirs.paymentRequestId}`,
        });
        expect(await syncsOf(theirs.paymentId)).toHaveLength(0);
        // Its own client may.
        expect((await sync({ paymentId: theirs.paymentId }, asOther)).body.result.resultCode).toBe('SUCCESS');
        expect((await sync({ paymentId: 'PAY-NOT-THERE' })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
        expect((await sync({})).body.result).toMatchObject({ resultCode: 'PARAM_ILLEGAL', resultMessage: expect.stringMatching(/^paymentId: is required: give paymentId or paymentRequestId/) });
      });
    });

    // -----------------------------------------------------------------------
    describe('payments/uploadInvoiceShippingFile', () => {
      const upload = (body: Record<string, unknown>, options?: CallOptions) => t.call('payments/uploadInvoiceShippingFile', body, options);

      async function payment(paymentMethodType: string, options: CallOptions = {}): Promise<{ paymentId: string; paymentRequestId: string }> {
        // A card payment needs paymentFactor (the pay schema's rule).
        const body = cashierPay({ paymentMethod: { paymentMethodType }, ...(paymentMethodType === 'CARD' ? { paymentFactor: { isAuthorization: false } } : {}) });
        const answer = await t.call('payments/pay', body, options);
        expect(answer.body.result.resultCode).toBe('PAYMENT_IN_PROCESS');
        return { paymentId: answer.body.paymentId as string, paymentRequestId: body.paymentRequestId as string };
      }

      const file = (paymentRequestId: string, overrides: Record<string, unknown> = {}) => ({
        paymentRequestId, fileId: uniqueId('f').slice(-20), uploadFile: PDF.toString('base64'), fileType: 'Invoice', fileName: 'invoice-1.pdf', ...overrides,
      });
      const rowsOf = (paymentId: string) => db().selectFrom('invoice_shipping_files').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').orderBy('file_id').execute();

      it('stores an invoice of a UPI payment: type, name, format, size, digest and the base64 content', async () => {
        const { paymentId, paymentRequestId } = await payment('UPI');
        const body = file(paymentRequestId);
        const answer = await upload(body);
        expect(answer.signatureValid).toBe(true);
        expect(answer.body).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } });
        const [row] = await rowsOf(paymentId);
        expect(row).toMatchObject({
          client_id: t.client.client.clientId, file_id: body.fileId, payment_request_id: paymentRequestId, file_type: 'Invoice', file_name: 'invoice-1.pdf', file_format: 'PDF',
          content: PDF.toString('base64'), sha256: createHash('sha256').update(PDF).digest('hex'),
        });
        expect(Number(row!.size_bytes)).toBe(PDF.length);
      });

      it('takes an air waybill (fileType in any case) as JPEG, DOCX or DOC, base64 with line breaks, for card and Net Banking payments', async () => {
        const card = await payment('CARD');
        const banking = await payment('ONLINEBANKING_NETBANKING');
        const uploads = [
          { target: card, bytes: JPEG, format: 'JPEG', fileType: 'awb' },
          { target: card, bytes: DOCX, format: 'DOCX', fileType: 'INVOICE' },
          { target: banking, bytes: DOC, format: 'DOC', fileType: 'AWB' },
        ];
        for (const { target, bytes, format, fileType } of uploads) {
          const base64 = bytes.toString('base64');
          const body = file(target.paymentRequestId, { fileType, uploadFile: `${base64.slice(0, 8)}\r\n${base64.slice(8)}`, fileName: `file.${format.toLowerCase()}` });
          expect((await upload(body)).body.result.resultCode).toBe('SUCCESS');
          const row = await db().selectFrom('invoice_shipping_files').selectAll().where('file_id', '=', body.fileId as string).executeTakeFirstOrThrow();
          expect(row).toMatchObject({ file_format: format, file_type: fileType.toUpperCase() === 'AWB' ? 'AWB' : 'Invoice', content: base64 });
        }
        expect(await rowsOf(card.paymentId)).toHaveLength(2);
      });

      it('is idempotent by fileId: the same file answers the same (one row); other content, name, type or payment is REPEAT_REQ_INCONSISTENT', async () => {
        const { paymentId, paymentRequestId } = await payment('UPI');
        const body = file(paymentRequestId);
        const [first, second] = await Promise.all([upload(body), upload(body)]);
        expect(first.body.result.resultCode).toBe('SUCCESS');
        expect(second.body).toEqual(first.body);
        // The same bytes, their base64 broken into lines: the same file.
        const wrapped = (body.uploadFile as string).replace(/(.{16})/g, '$1\n');
        expect((await upload({ ...body, uploadFile: wrapped })).body.result.resultCode).toBe('SUCCESS');
        expect(await rowsOf(paymentId)).toHaveLength(1);
        const inconsistent = async (changes: Record<string, unknown>, fields: string) => {
          expect((await upload({ ...body, ...changes })).body.result).toEqual({
            resultCode: 'REPEAT_REQ_INCONSISTENT', resultStatus: 'F', resultMessage: `fileId ${body.fileId as string} was used with different ${fields}`,
          });
        };
        await inconsistent({ uploadFile: Buffer.concat([PDF, Buffer.from('more')]).toString('base64') }, 'uploadFile');
        await inconsistent({ fileName: 'other.pdf' }, 'fileName');
        await inconsistent({ fileType: 'AWB' }, 'fileType');
        const another = await payment('UPI');
        await inconsistent({ paymentRequestId: another.paymentRequestId }, 'paymentRequestId');
        expect(await rowsOf(paymentId)).toHaveLength(1);
        expect(await rowsOf(another.paymentId)).toHaveLength(0);
      });

      it('fileIds are per client; another client\'s paymentRequestId is not found (PROCESS_FAIL), nor is an unknown one', async () => {
        const mine = await payment('UPI');
        const theirs = await payment('UPI', asOther);
        const body = file(mine.paymentRequestId);
        expect((await upload(body)).body.result.resultCode).toBe('SUCCESS');
        // The other client's own file under the same fileId is its own.
        expect((await upload({ ...body, paymentRequestId: theirs.paymentRequestId, uploadFile: JPEG.toString('base64') }, asOther)).body.result.resultCode).toBe('SUCCESS');
        expect((await rowsOf(theirs.paymentId)).map((row) => row.client_id)).toEqual([other.client.clientId]);
        const foreign = await upload(file(theirs.paymentRequestId));
        expect(foreign.body.result).toEqual({ resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: `paymentRequestId: no payment ${theirs.paymentRequestId}` });
        expect((await upload(file('no-such-payment'))).body.result).toMatchObject({ resultCode: 'PROCESS_FAIL', resultMessage: 'paymentRequestId: no payment no-such-payment' });
        expect(await rowsOf(theirs.paymentId)).toHaveLength(1);
      });

      it('refuses a payment of another method (PROCESS_FAIL), a file that is not base64 of a PDF, DOC, DOCX or JPEG, or too long (PARAM_ILLEGAL)', async () => {
        const wallet = await payment('ALIPAY_CN');
        expect((await upload(file(wallet.paymentRequestId))).body.result).toEqual({
          resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: `Payment ${wallet.paymentRequestId} is by ALIPAY_CN: invoices and air waybills are taken for UPI, Net Banking and card payments only`,
        });
        const { paymentId, paymentRequestId } = await payment('UPI');
        const illegal = async (changes: Record<string, unknown>, message: string | RegExp) => {
          const result = (await upload(file(paymentRequestId, changes))).body.result;
          expect(result.resultCode).toBe('PARAM_ILLEGAL');
          if (typeof message === 'string') expect(result.resultMessage).toBe(message);
          else expect(result.resultMessage).toMatch(message);
        };
        await illegal({ uploadFile: 'not base64!' }, 'uploadFile: must be base64 (A-Z, a-z, 0-9, +, / and = padding)');
        await illegal({ uploadFile: 'JVBERi0' }, 'uploadFile: must be base64 (A-Z, a-z, 0-9, +, / and = padding)');
        await illegal({ uploadFile: Buffer.from('plain text, no PDF').toString('base64') }, 'uploadFile: must be a PDF, DOC, DOCX or JPEG file');
        await illegal({ uploadFile: '' }, 'uploadFile: must not be empty');
        await illegal({ fileType: 'Receipt' }, /^fileType: /);
        await illegal({ fileId: 'f'.repeat(21) }, /^fileId: must be at most 20 characters/);
        await illegal({ fileName: `${'n'.repeat(61)}.pdf` }, /^fileName: must be at most 64 characters/);
        // The docs' limit: 1,000,000 characters of base64 (750,000 bytes of file), one more block is refused.
        const largest = Buffer.concat([PDF, Buffer.alloc(750_000 - PDF.length, 0x20)]).toString('base64');
        expect(largest).toHaveLength(1_000_000);
        await illegal({ uploadFile: `${largest}AAAA` }, 'uploadFile: must be at most 1000000 characters, got 1000004');
        expect(await rowsOf(paymentId)).toHaveLength(0);
        const body = file(paymentRequestId, { uploadFile: largest });
        expect((await upload(body)).body.result.resultCode).toBe('SUCCESS');
        const [row] = await rowsOf(paymentId);
        expect(Number(row!.size_bytes)).toBe(750_000);
        expect(row!.content).toBe(largest);
      });

      it('shows on the dashboard payment timeline (name, format, size, digest; never the content)', async () => {
        const { paymentId, paymentRequestId } = await payment('UPI');
        const invoice = file(paymentRequestId, { fileName: 'INV-2024-001.pdf' });
        const waybill = file(paymentRequestId, { fileType: 'AWB', fileName: 'awb.jpg', uploadFile: JPEG.toString('base64') });
        expect((await upload(invoice)).body.result.resultCode).toBe('SUCCESS');
        expect((await upload(waybill)).body.result.resultCode).toBe('SUCCESS');
        const { timeline } = (await loadPaymentTimeline(db(), undefined, paymentId))!;
        const files = timeline.filter((event) => event.kind === 'file');
        expect(files.map((event) => event.title)).toEqual([`Invoice ${invoice.fileId} uploaded`, `Air waybill ${waybill.fileId} uploaded`]);
        expect(files[0]!.detail).toBe(`INV-2024-001.pdf (PDF, ${PDF.length} bytes; SHA-256 ${createHash('sha256').update(PDF).digest('hex').slice(0, 16)}…)`);
        const page = await fetch(`${t.baseUrl}/dashboard/payments/${paymentId}`);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain(`Invoice ${invoice.fileId} uploaded`);
        expect(html).toContain('awb.jpg (JPEG, 11 bytes;');
        expect(html).toMatch(/<tr class="event-file" data-kind="file">/);
        expect(html).not.toContain(PDF.toString('base64'));
        // The control API's JSON carries the same events.
        const view = (await (await fetch(`${t.baseUrl}/admin/payments/${paymentId}`)).json()) as { timeline: Array<{ kind: string; title: string }> };
        expect(view.timeline.filter((event) => event.kind === 'file').map((event) => event.title)).toEqual(files.map((event) => event.title));
      });
    });
  });
});
