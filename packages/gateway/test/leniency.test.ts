/**
 * Every leniency in reading a request, through real signed HTTP (SQLite):
 * what the gateway accepts beyond a strict reading, and who needs it. What
 * no official SDK sends and no Antom page shows is refused, naming the field.
 * SDK paths are in the alipay/global-open-sdk-{java,python,go,php,dotnet}
 * repositories; doc pages are those cited in shared/spec/signature.md and
 * errors-and-idempotency.md.
 *
 * | Leniency                                              | Answer   | Who needs it |
 * |-------------------------------------------------------|----------|--------------|
 * | header names in any case (Request-Time, Client-Id)    | allowed  | java tools/Constants.java, go defaultAlipayClient.go buildBaseHeader, python default_alipay_client.py |
 * | spaces/tabs around a header value                      | allowed  | HTTP strips them (RFC 9110 §5.5); php client/BaseAlipayClient.php sends "client-id:X" |
 * | other whitespace (U+00A0) around client-id/request-time| refused  | nobody: PARAM_ILLEGAL naming the header |
 * | one space after each comma in `signature`             | allowed  | Antom doc "digital_signature" (example header) |
 * | `signature` parts in another order                    | refused  | nobody (all five SDKs send algorithm,keyVersion,signature) |
 * | no keyVersion part (latest key)                       | allowed  | Antom doc "api_fund" (zh): the latest key version applies |
 * | keyVersion empty or with leading zeros                | refused  | nobody |
 * | unknown extra part in `signature`                     | refused  | nobody |
 * | part names or RSA256 in another letter case           | refused  | nobody |
 * | empty part / stray comma in `signature`               | refused  | nobody |
 * | no algorithm part                                     | refused  | nobody (pipeline.test.ts "PARAM_ILLEGAL naming the header") |
 * | two `signature` headers                               | refused  | nobody |
 * | lower-case percent escapes (%2b %2f %3d)              | allowed  | dotnet ams-dotnet/src/com/alipay/ams/util/SignatureUtil.cs (HttpUtility.UrlEncode) |
 * | raw "/" or "=" in the signature value                 | refused  | nobody: every SDK encodes them (java tools/SignatureTool.java URLEncoder, python tools/signature_tool.py quote_plus, go tools/SignatureTool.go QueryEscape, php client/SignatureTool.php urlencode, dotnet util/SignatureUtil.cs HttpUtility.UrlEncode); INVALID_SIGNATURE as for a raw "+" (pipeline.test.ts) |
 * | request-time epoch ms                                 | allowed  | java BaseAlipayClient.java (DateTool.getCurrentTimeMillis), go defaultAlipayClient.go, doc "digital_signature" |
 * | request-time ISO 8601 +00:00                          | allowed  | python com/alipay/ams/api/tools/date_tools.py |
 * | request-time ISO 8601 +0000                           | allowed  | php client/BaseAlipayClient.php date(DATE_ISO8601) |
 * | request-time ISO 8601 .fffffffZ                       | allowed  | dotnet ams-dotnet/src/com/alipay/ams/api/request/AMSRequest.cs ToString("o") |
 * | request-time ISO 8601 with a non-UTC offset           | allowed  | older doc "digital_signature" (pageVersion=16) example +08:00 |
 * | request-time epoch seconds, "," fraction, hour offset | refused  | nobody |
 * | request-time far from now (no skew window)            | allowed  | no Antom page states a window (errors-and-idempotency.md §7); the sandbox clock may be moved; opt-in maxClockSkewMs (pipeline.test.ts) |
 * | no Content-Type / an empty one                        | allowed  | doc "api_fund" header table does not require it |
 * | application/json without charset, sent twice          | allowed  | go defaultAlipayClient.go httpDo (Set "application/json", then Add the charset form) |
 * | no space before charset, letter case of type/charset  | allowed  | java net/DefaultHttpRPC.java ("application/json;charset=UTF-8"); RFC 9110 §8.3 |
 * | charset "utf8", parameters other than charset         | refused  | nobody: MEDIA_TYPE_NOT_ACCEPTABLE naming it |
 * | body starting with a byte order mark                  | refused  | nobody (RFC 8259 §8.1): PARAM_ILLEGAL naming (body) |
 * | whitespace around the JSON body                       | allowed  | JSON text grammar (RFC 8259 §2), signed byte for byte |
 * | unknown JSON fields, null values                      | allowed  | dropped: dotnet util/JsonSerializerOptionsFactory.cs (IgnoreNullValues = false) sends every property, null or not, newer ones included (pay's subscriptionId, taxCalculationId); php's hand-written request classes (request/auth, customs, risk) send unset public properties as null; python request/auth/alipay_auth_create_session_request.py sends productCodeType. No Antom page says unknown fields are refused |
 * | customs/declare `suborderId` for `subOrderId`        | allowed  | python request/declare/alipay_customs_declare_request.py and Antom's API reference (declare) spell it so; java/go send subOrderId; both with different values refused (customs-risk.test.ts) |
 * | customs/declare without `splitOrder` (= false)        | allowed  | go request/customs/AlipayCustomsDeclareRequest.go (bool, omitempty: false is never sent); python sends it only when true (customs-risk.test.ts) |
 * | billing/invoice/revise without `void` (= false)     | allowed  | go request/billing/AlipayInvoiceReviseRequest.go (bool, omitempty: false is never sent) (billing-invoices.test.ts) |
 * | query string on the path                              | allowed  | doc "digital_signature": the URI includes parameters |
 * | /ams/sandbox/api/... paths                            | allowed  | java BaseAlipayClient.java adjustSandboxUrl, go AdjustSandboxUrl, python/php adjust_sandbox_url |
 * | /ams/api//v1/payments/retrievePaymentSession          | allowed  | all five SDKs' AntomPathConstants RETRIEVE_PATH |
 * | any other doubled slash                               | refused  | nobody: signed NO_INTERFACE_DEF (pipeline.test.ts "a path with a doubled slash ...") |
 * | trailing slash on the path                            | refused  | nobody: signed NO_INTERFACE_DEF |
 * | absolute-form request target                          | allowed  | python SDK (pipeline.test.ts "accepts an absolute-form request target") |
 * | empty agent-token                                     | allowed  | go defaultAlipayClient.go buildBaseHeader always sends it |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { startTestGateway, type TestGateway } from './harness.js';
import { rawRequest } from './raw-http.js';

const INQUIRY_PATH = '/ams/api/v1/payments/inquiryPayment';
const inquiry = { paymentId: 'PAY-NOT-THERE' };
const BODY = JSON.stringify(inquiry);

describe('request leniencies (SQLite)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('sqlite');
  });
  afterAll(async () => t?.close());

  const clientId = () => t.client.client.clientId;
  const signFor = (time: string, body: string | Buffer = BODY, uri = INQUIRY_PATH) =>
    signHeader({ uri, clientId: clientId(), time, body }, importPrivateKey(t.client.merchantPrivateKey!), 1);

  /** Calls inquiryPayment with the canonical signature over `time` rewritten by `edit`. */
  async function withSignature(edit: (canonical: string) => string, time = String(Date.now())) {
    return t.call('payments/inquiryPayment', inquiry, { time, headers: { signature: edit(signFor(time)) } });
  }

  function expectRefused(r: { body: { result: { resultCode: string; resultMessage: string } } }, code: string, ...mentions: string[]) {
    expect(r.body.result.resultCode).toBe(code);
    for (const mention of mentions) expect(r.body.result.resultMessage).toContain(mention);
  }

  describe('headers', () => {
    it('accepts header names in any case (Java, Go, Python send Request-Time, Signature, Client-Id)', async () => {
      const time = String(Date.now());
      const r = await rawRequest(t.baseUrl, {
        path: INQUIRY_PATH,
        headers: { 'Content-Type': 'application/json; charset=UTF-8', 'Client-Id': clientId(), 'Request-Time': time, Signature: signFor(time) },
        body: BODY,
      });
      expect(JSON.parse(r.body).result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('accepts spaces and tabs around a header value, stripped by HTTP (PHP sends "client-id:X")', async () => {
      const time = String(Date.now());
      const r = await rawRequest(t.baseUrl, {
        path: INQUIRY_PATH,
        headers: { 'content-type': 'application/json', 'client-id': `\t${clientId()}  `, 'request-time': `  ${time}\t`, signature: ` ${signFor(time)} ` },
        body: BODY,
      });
      expect(JSON.parse(r.body).result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('refuses other whitespace (U+00A0) around client-id or request-time, naming the header', async () => {
      const time = String(Date.now());
      const headers = { 'content-type': 'application/json', 'client-id': clientId(), 'request-time': time, signature: signFor(time) };
      const paddedTime = await rawRequest(t.baseUrl, { path: INQUIRY_PATH, headers: { ...headers, 'request-time': `${time}\u00a0` }, body: BODY });
      expectRefused({ body: JSON.parse(paddedTime.body) }, 'PARAM_ILLEGAL', 'request-time header is malformed');
      const paddedId = await rawRequest(t.baseUrl, { path: INQUIRY_PATH, headers: { ...headers, 'client-id': `${clientId()}\u00a0` }, body: BODY });
      expectRefused({ body: JSON.parse(paddedId.body) }, 'PARAM_ILLEGAL', 'client-id header is malformed');
    });

    it('refuses two signature headers', async () => {
      const time = String(Date.now());
      const r = await rawRequest(t.baseUrl, {
        path: INQUIRY_PATH,
        headers: { 'content-type': 'application/json', 'client-id': clientId(), 'request-time': time, signature: [signFor(time), signFor(time)] },
        body: BODY,
      });
      expectRefused({ body: JSON.parse(r.body) }, 'PARAM_ILLEGAL', 'signature header is malformed');
    });

    it('treats an empty agent-token as absent (the Go SDK always sends one)', async () => {
      const r = await t.call('payments/inquiryPayment', inquiry, { headers: { 'agent-token': '' } });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });
  });

  describe('the signature header', () => {
    it('accepts one space after each comma (the docs\u2019 example)', async () => {
      const r = await withSignature((s) => s.replace(/,/g, ', '));
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(r.signatureValid).toBe(true);
    });

    it('refuses other whitespace in it: two spaces, a space before a comma or around "="', async () => {
      for (const edit of [(s: string) => s.replace(/,/g, ',  '), (s: string) => s.replace(/,/g, ' ,'), (s: string) => s.replace('algorithm=', 'algorithm =')]) {
        expectRefused(await withSignature(edit), 'PARAM_ILLEGAL', 'signature header is malformed', 'whitespace');
      }
    });

    it('refuses its parts in another order', async () => {
      const reordered = (s: string) => {
        const [algorithm, keyVersion, signature] = s.split(',');
        return [signature, keyVersion, algorithm].join(',');
      };
      expectRefused(await withSignature(reordered), 'PARAM_ILLEGAL', 'signature header is malformed', 'order algorithm, keyVersion, signature');
    });

    it('accepts no keyVersion part, verifying with the latest key (the docs)', async () => {
      const r = await withSignature((s) => s.replace('keyVersion=1,', ''));
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('refuses an empty keyVersion or one with leading zeros, naming keyVersion', async () => {
      expectRefused(await withSignature((s) => s.replace('keyVersion=1', 'keyVersion=')), 'PARAM_ILLEGAL', 'keyVersion is empty');
      expectRefused(await withSignature((s) => s.replace('keyVersion=1', 'keyVersion=01')), 'PARAM_ILLEGAL', 'keyVersion "01"');
    });

    it('refuses an unknown extra part', async () => {
      expectRefused(await withSignature((s) => `${s},charset=UTF-8`), 'PARAM_ILLEGAL', 'signature header is malformed', '"charset" is not one of');
    });

    it('refuses part names or the algorithm in another letter case', async () => {
      expectRefused(await withSignature((s) => s.replace('keyVersion', 'KeyVersion')), 'PARAM_ILLEGAL', '"KeyVersion" must be spelled keyVersion');
      expectRefused(await withSignature((s) => s.replace('RSA256', 'rsa256')), 'PARAM_ILLEGAL', 'algorithm "rsa256" must be spelled RSA256');
    });

    it('refuses an empty part (a stray comma)', async () => {
      expectRefused(await withSignature((s) => `${s},`), 'PARAM_ILLEGAL', 'empty part');
      expectRefused(await withSignature((s) => s.replace(',', ',,')), 'PARAM_ILLEGAL', 'empty part');
    });

    it('refuses a header without the algorithm part', async () => {
      expectRefused(await withSignature((s) => s.replace('algorithm=RSA256,', '')), 'PARAM_ILLEGAL', 'signature header is malformed', 'algorithm');
    });

    it('accepts lower-case percent escapes (.NET\u2019s HttpUtility.UrlEncode)', async () => {
      const r = await withSignature((s) => s.replace(/%2B|%2F|%3D/g, (escape) => escape.toLowerCase()));
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('refuses a raw "/" or "=" in the value (no SDK sends one): INVALID_SIGNATURE saying it is not URL-encoded', async () => {
      const rawEquals = await withSignature((s) => s.replace(/%3D/g, '='));
      expectRefused(rawEquals, 'INVALID_SIGNATURE', 'not URL-encoded', 'raw "="');
      // A 2048-bit signature always ends in "=" (encoded here): a "/" alone is refused too.
      const time = String(Date.now());
      const withSlash = await withSignature((s) => (s.includes('%2F') ? s.replace(/%2F/g, '/') : s.replace(/signature=/, 'signature=/')), time);
      expectRefused(withSlash, 'INVALID_SIGNATURE', 'not URL-encoded', 'raw "/"');
      expect(rawEquals.signatureValid).toBe(true);
    });
  });

  describe('request-time', () => {
    it.each([
      ['epoch milliseconds (Java, Go, the docs)', () => String(Date.now())],
      ['ISO 8601 with +00:00 (Python)', () => new Date().toISOString().replace(/\.\d+Z$/, '+00:00')],
      ['ISO 8601 with +0000 (PHP)', () => new Date().toISOString().replace(/\.\d+Z$/, '+0000')],
      ['ISO 8601 with seven fraction digits and Z (.NET)', () => new Date().toISOString().replace(/Z$/, '0000Z')],
      ['ISO 8601 with a non-UTC offset (the older docs)', () => '2019-05-28T12:12:12+08:00'],
    ])('accepts %s, signed verbatim', async (_label, time) => {
      const r = await t.call('payments/inquiryPayment', inquiry, { time: time() });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it.each([
      ['epoch seconds', () => String(Math.floor(Date.now() / 1000)), 'looks like seconds'],
      ['a "," before the fraction', () => '2026-11-26T01:02:03,123+00:00', 'use "."'],
      ['an offset without minutes', () => '2026-11-26T01:02:03+08', 'offset with minutes'],
    ])('refuses %s, naming request-time', async (_label, time, mention) => {
      const r = await t.call('payments/inquiryPayment', inquiry, { time: time() });
      expectRefused(r, 'PARAM_ILLEGAL', 'request-time header is malformed', mention);
      expect(r.signatureValid).toBe(true);
    });

    it('accepts a request-time far from now: no window unless maxClockSkewMs is configured', async () => {
      const r = await t.call('payments/inquiryPayment', inquiry, { time: String(Date.now() - 365 * 24 * 3600_000) });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });
  });

  describe('Content-Type', () => {
    it('accepts no Content-Type or an empty one', async () => {
      expect((await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': '\u0000' } })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect((await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': '' } })).body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('accepts application/json without a charset, sent twice as the Go SDK does', async () => {
      const time = String(Date.now());
      const r = await rawRequest(t.baseUrl, {
        path: INQUIRY_PATH,
        headers: { 'Content-type': ['application/json', 'application/json; charset=UTF-8'], 'Client-Id': clientId(), 'Request-Time': time, Signature: signFor(time) },
        body: BODY,
      });
      expect(JSON.parse(r.body).result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('accepts no space before charset and any letter case (Java\u2019s default; HTTP media types are case-insensitive)', async () => {
      for (const contentType of ['application/json;charset=UTF-8', 'Application/JSON; Charset=utf-8', 'application/json; charset="UTF-8"']) {
        const r = await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': contentType } });
        expect(r.body.result.resultCode, contentType).toBe('ORDER_NOT_EXIST');
      }
    });

    it('refuses the charset alias utf8 and any parameter but charset, naming it', async () => {
      expectRefused(await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': 'application/json; charset=utf8' } }), 'MEDIA_TYPE_NOT_ACCEPTABLE', 'charset "utf8"');
      expectRefused(
        await t.call('payments/inquiryPayment', inquiry, { headers: { 'content-type': 'application/json; charset=UTF-8; version=2' } }),
        'MEDIA_TYPE_NOT_ACCEPTABLE',
        'parameter "version"',
      );
    });
  });

  describe('the body', () => {
    it('refuses a body that starts with a byte order mark, naming (body)', async () => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BODY)]);
      const r = await t.call('payments/inquiryPayment', null, { rawBody: withBom });
      expectRefused(r, 'PARAM_ILLEGAL', '(body): starts with a byte order mark');
      expect(r.signatureValid).toBe(true);
    });

    it('accepts whitespace around the JSON text, verified over the bytes as sent', async () => {
      const r = await t.call('payments/inquiryPayment', null, { rawBody: ` ${BODY}\r\n` });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });

    it('accepts and ignores JSON fields the endpoint does not define', async () => {
      const r = await t.call('payments/inquiryPayment', { ...inquiry, fieldFromANewerSdk: { nested: [1, 2] } });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
    });
  });

  describe('the path', () => {
    it('accepts a query string, signed over the path with it (the docs: the URI includes parameters)', async () => {
      const r = await t.call('', inquiry, { path: `${INQUIRY_PATH}?trace=1` });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(r.signatureValid).toBe(true);
    });

    it('accepts the /ams/sandbox/api/ prefix the SDKs switch to for sandbox clients', async () => {
      const r = await t.call('', inquiry, { path: '/ams/sandbox/api/v1/payments/inquiryPayment' });
      expect(r.body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect(r.signatureValid).toBe(true);
    });

    it('routes /ams/api//v1/payments/retrievePaymentSession, the doubled slash every SDK sends, on both prefixes', async () => {
      for (const path of ['/ams/api//v1/payments/retrievePaymentSession', '/ams/sandbox/api//v1/payments/retrievePaymentSession']) {
        const r = await t.call('', { paymentRequestId: 'NOT-THERE' }, { path });
        expect(r.body.result.resultCode, path).toBe('ORDER_NOT_EXIST');
        expect(r.signatureValid, path).toBe(true);
      }
    });

    it('refuses a trailing slash with a signed NO_INTERFACE_DEF on HTTP 200', async () => {
      const r = await t.call('', inquiry, { path: `${INQUIRY_PATH}/` });
      expect(r.status).toBe(200);
      expectRefused(r, 'NO_INTERFACE_DEF', `${INQUIRY_PATH}/`);
      expect(r.signatureValid).toBe(true);
    });
  });
});
