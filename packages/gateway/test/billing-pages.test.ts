/**
 * Billing's customer-facing pages over HTTP on SQLite and PostgreSQL: the
 * hosted invoice with the product's own amounts (a coupon and GST, exact),
 * its link refused when wrong, replaced, voided or expired; invoice and
 * receipt exports as exact CSV and as an XLSX read back; the customer portal;
 * a product's placeholder image. Every refusal is the same 404 page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointPath, EndpointResponse } from '@amsgate/protocol';
import { insertResource } from '../src/resources/resource-store.js';
import { newResourceId } from '../src/ids.js';
import { TAX_REGISTRATION } from '../src/products/tax/kinds.js';
import { DIALECTS, gatewayWithOtherClient, postgresAvailable, uniqueId, type TestGateway } from './harness.js';
import { xlsxRows } from './stored-zip-reader.js';

const postgresOk = await postgresAvailable();
const DAY_MS = 86_400_000;

interface Fetched {
  status: number;
  headers: Headers;
  text: string;
}

describe.each(DIALECTS)('billing pages on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const fixture = gatewayWithOtherClient(dialect, { notifyDispatch: false });
    let t: TestGateway;
    let notFoundPage = '';
    beforeAll(async () => {
      t = fixture.gateway();
      await t.gateway.database.transaction((tx) => insertResource(tx, TAX_REGISTRATION, t.client.client.clientId, {
        id: newResourceId('TXR', 0), status: 'ACTIVE', now: Date.now(),
        doc: { taxType: 'GST', jurisdiction: { country: 'SG' }, registrationType: 'STANDARD', taxId: 'SG-T1', activeFrom: 0 },
      }));
      notFoundPage = (await get('/billing/invoices/INVnothing/view?token=nothing')).text;
    });

    async function ok<P extends EndpointPath>(path: P, body: Record<string, unknown>, options: Parameters<TestGateway['call']>[2] = {}): Promise<EndpointResponse<P>> {
      const answer = await t.call(path, body, options);
      expect(answer.body.result, `${path}: ${answer.body.result.resultMessage}`).toMatchObject({ resultCode: 'SUCCESS' });
      return answer.body as EndpointResponse<P>;
    }
    async function get(pathOrUrl: string): Promise<Fetched> {
      const response = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${t.baseUrl}${pathOrUrl}`);
      return { status: response.status, headers: response.headers, text: await response.text() };
    }
    /** A refusal: 404 with the very page an unknown id gets. */
    async function refusedPage(pathOrUrl: string, why: string): Promise<void> {
      const page = await get(pathOrUrl);
      expect(page.status, why).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // The nonce differs per response; nothing else may.
      expect(page.text.replace(/nonce="[^"]+"/g, ''), why).toBe(notFoundPage.replace(/nonce="[^"]+"/g, ''));
    }
    /** `#id`'s text on a page (the pages give each value an id). */
    function textOf(page: string, id: string): string | undefined {
      return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page)?.[1];
    }
    const pathOf = (url: string) => url.slice(t.baseUrl.length);

    const email = () => `${uniqueId('c')}@example.com`;
    const customer = async (extra: Record<string, unknown> = {}) => (await ok('billing/customer/create', { customerRequestId: uniqueId('cus'), email: email(), ...extra })).customerId as string;
    async function catalog() {
      const productId = (await ok('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Widget' })).productId as string;
      const price = async (value: string) => (await ok('billing/price/create', { priceRequestId: uniqueId('prc'), productId, unitAmount: { currency: 'USD', value } })).priceId as string;
      const couponId = (await ok('billing/coupon/create', { couponRequestId: uniqueId('cpn'), discountType: 'PERCENT', percentOff: '12.5', durationType: 'FOREVER' })).couponId as string;
      return { productId, widget: await price('1999'), setup: await price('1001'), couponId };
    }
    /** A DRAFT invoice: 3 × 19.99 + 10.01, 12.5% off, 9% GST → 66.74 USD (billing-invoices.test.ts works the sums). */
    async function gstInvoice(customerId: string, extra: Record<string, unknown> = {}): Promise<string> {
      const { widget, setup, couponId } = await catalog();
      return (await ok('billing/invoice/create', {
        invoiceRequestId: uniqueId('inv').replaceAll('-', '_'), customerId, currency: 'USD', description: 'Order <42> & "more"',
        items: [{ priceId: widget, quantity: 3, description: 'Widget' }, { priceId: setup, quantity: 1, description: 'Set-up, once' }],
        discounts: [{ couponId }], ...extra,
      })).invoiceId as string;
    }
    const simpleInvoice = async (customerId: string, value = '2500', quantity = 4) =>
      (await ok('billing/invoice/create', { invoiceRequestId: uniqueId('inv').replaceAll('-', '_'), customerId, currency: 'USD', items: [{ description: 'Work', unitAmount: { currency: 'USD', value }, quantity }] })).invoiceId as string;
    const finalize = async (invoiceId: string) => (await ok('billing/invoice/finalize', { invoiceId })).hostedInvoiceUrl as string;

    it('shows the hosted invoice with the product\'s amounts, escaped, under the page security headers, and no payment details', async () => {
      const customerId = await customer({ country: 'SG', firstName: 'Ada', lastName: 'Lovelace' });
      const invoiceId = await gstInvoice(customerId, { paymentMethod: { paymentMethodType: 'CARD', paymentMethodId: 'pm-secret-4111111111111111' } });
      const url = await finalize(invoiceId);
      expect(url).toMatch(new RegExp(`^${t.baseUrl}/billing/invoices/${invoiceId}/view\\?token=[A-Za-z0-9_-]{32}$`));
      const details = await ok('billing/invoice/inquireDetails', { invoiceId });
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';.*frame-ancestors 'none'$/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(textOf(page.text, 'invoice-number')).toBe(details.invoiceNumber);
      expect(textOf(page.text, 'status')).toBe('OPEN');
      expect(textOf(page.text, 'customer')).toBe(`Ada Lovelace &lt;${details.customerEmail}&gt;`);
      expect(textOf(page.text, 'currency')).toBe('USD');
      expect(textOf(page.text, 'due-date')).toBe(details.dueDate);
      expect(textOf(page.text, 'description')).toBe('Order &lt;42&gt; &amp; &quot;more&quot;');
      expect([...page.text.matchAll(/<td class="line-[a-z]+">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual([
        'Widget', '3', '19.99 USD', '59.97 USD',
        'Set-up, once', '1', '10.01 USD', '10.01 USD',
      ]);
      expect(['subtotal', 'discount', 'tax', 'total', 'paid', 'remaining', 'amount-due'].map((id) => textOf(page.text, id))).toEqual([
        '69.98 USD', '8.75 USD', '5.51 USD', '66.74 USD', '0.00 USD', '66.74 USD', '66.74 USD',
      ]);
      expect(page.text).not.toContain('4111111111111111');
      expect(page.text).not.toContain('pm-secret');
      expect(page.text).not.toContain(t.client.client.clientId);
    });

    it('refuses a wrong, missing, repeated or another invoice\'s token, and an unknown id, with the same 404', async () => {
      const customerId = await customer();
      const a = await simpleInvoice(customerId);
      const b = await simpleInvoice(customerId);
      const urlA = await finalize(a);
      const urlB = await finalize(b);
      const tokenA = new URL(urlA).searchParams.get('token')!;
      const tokenB = new URL(urlB).searchParams.get('token')!;
      expect((await get(urlA)).status).toBe(200);
      await refusedPage(`/billing/invoices/${a}/view?token=${tokenB}`, 'another invoice\'s token');
      await refusedPage(`/billing/invoices/${a}/view?token=${tokenA.slice(0, -1)}`, 'a token one character short');
      await refusedPage(`/billing/invoices/${a}/view?token=${tokenA}x`, 'a token one character long');
      await refusedPage(`/billing/invoices/${a}/view`, 'no token');
      await refusedPage(`/billing/invoices/${a}/view?token=`, 'an empty token');
      // The server reads a repeated query parameter's first value only.
      await refusedPage(`/billing/invoices/${a}/view?token=${tokenB}&token=${tokenA}`, 'a wrong token before the right one');
      await refusedPage(`/billing/invoices/INV0000000000AAAAAAAAAAAAAAAA/view?token=${tokenB}`, 'an unknown id with a real token');
      // A DRAFT has no token until createViewLink gives it one; the page then shows the draft.
      const draft = await simpleInvoice(customerId, '100', 1);
      const link = await ok('billing/invoice/createViewLink', { invoiceId: draft });
      const draftPage = await get(link.viewUrl as string);
      expect(draftPage.status).toBe(200);
      expect(textOf(draftPage.text, 'status')).toBe('DRAFT');
      expect(textOf(draftPage.text, 'total')).toBe('1.00 USD');
    });

    it('a new view link replaces the old one; a void invalidates every link, even one made after it', async () => {
      const customerId = await customer();
      const id = await simpleInvoice(customerId);
      const first = await finalize(id);
      const second = await ok('billing/invoice/createViewLink', { invoiceId: id, linkExpiryDays: 3 });
      expect((await get(second.viewUrl as string)).status).toBe(200);
      await refusedPage(pathOf(first), 'the link the new one replaced');
      await ok('billing/invoice/void', { invoiceId: id });
      await refusedPage(pathOf(second.viewUrl as string), 'a voided invoice\'s link');
      const afterVoid = await t.call('billing/invoice/createViewLink', { invoiceId: id });
      // Billing may refuse the new link; if it makes one, the page must still refuse it.
      if (afterVoid.body.result.resultCode === 'SUCCESS') await refusedPage(pathOf(afterVoid.body.viewUrl as string), 'a link made after the void');
      else expect(afterVoid.body.result.resultCode).toBe('NOT_ALLOW_IN_CURRENT_STATUS');
    });

    it('serves a paid invoice\'s receipt at its fileUrl, by token only', async () => {
      const customerId = await customer({ country: 'SG' });
      const paid = await simpleInvoice(customerId, '2500', 4);
      await finalize(paid);
      const receiptId = (await ok('billing/invoice/confirmPayment', { invoiceId: paid, confirmationType: 'OFFLINE', paymentMethod: 'CASH' })).receiptId as string;
      const receipt = await ok('billing/receipt/inquireDetails', { receiptId });
      expect(receipt.fileUrl).toMatch(new RegExp(`/billing/receipts/${receiptId}/view\\?token=[A-Za-z0-9_-]{20,}$`));
      const page = await get(receipt.fileUrl!);
      expect(page.status).toBe(200);
      expect(textOf(page.text, 'receipt-id')).toBe(receiptId);
      expect(textOf(page.text, 'amount-paid')).toBe(textOf(page.text, 'total'));
      expect(textOf(page.text, 'total')).toContain('109.00');
      await refusedPage(`/billing/receipts/${receiptId}/view?token=wrong`, 'a wrong token');
      await refusedPage(`/billing/receipts/${receiptId}/view`, 'no token');
      await refusedPage(`${pathOf(receipt.fileUrl!).replace(receiptId, 'RCP0000000000000000000000000')}`, 'another receipt id with this token');
    });

    it('exports invoices as exact CSV, in the order named, only the owner\'s, with the ALL preset\'s breakdown', async () => {
      const customerId = await customer({ country: 'SG', firstName: 'Grace', lastName: 'Hopper, "Amazing"' });
      const open = await gstInvoice(customerId);
      await finalize(open);
      const paid = await simpleInvoice(customerId, '2500', 4);
      await finalize(paid);
      const receiptId = (await ok('billing/invoice/confirmPayment', { invoiceId: paid, confirmationType: 'OFFLINE', paymentMethod: 'BANK_TRANSFER', reference: 'wire-9' })).receiptId as string;
      const [o, p] = [await ok('billing/invoice/inquireDetails', { invoiceId: open }), await ok('billing/invoice/inquireDetails', { invoiceId: paid })];

      const exported = await ok('billing/invoice/export', { downloadType: 'INVOICE', fileFormat: 'csv', invoiceIds: [paid, open, 'INVnotmine'] });
      expect(exported.fileFormat).toBe('text/csv');
      const file = await get(exported.fileUrl as string);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${exported.fileName}"`);
      expect(file.headers.get('cache-control')).toBe('no-store');
      const mail = o.customerEmail!;
      expect(file.text).toBe(
        'Invoice ID,Invoice number,Status,Customer ID,Customer email,Currency,Total,Paid,Remaining,Due date,Created\r\n'
        + `${paid},${p.invoiceNumber},PAID,${customerId},${mail},USD,109.00,109.00,0.00,${p.dueDate},${p.gmtCreate}\r\n`
        + `${open},${o.invoiceNumber},OPEN,${customerId},${mail},USD,66.74,0.00,66.74,${o.dueDate},${o.gmtCreate}\r\n`,
      );

      const all = await ok('billing/invoice/export', { downloadType: 'INVOICE', columnPreset: 'ALL', invoiceIds: [open] });
      const lines = (await get(all.fileUrl as string)).text.split('\r\n');
      expect(lines[0]).toBe('Invoice ID,Invoice number,Status,Customer ID,Customer name,Customer email,Subscription ID,Reason,Collection method,Currency,Subtotal,Discount,Tax,Total,Paid,Remaining,Due date,Period start,Period end,Paid time,Description,Created,Updated');
      expect(lines[1]).toBe(`${open},${o.invoiceNumber},OPEN,${customerId},"Grace Hopper, ""Amazing""",${mail},,MANUAL,CHARGE_AUTOMATICALLY,USD,69.98,8.75,5.51,66.74,0.00,66.74,${o.dueDate},,,,"Order <42> & ""more""",${o.gmtCreate},${o.gmtUpdate}`);
      expect(lines.slice(2)).toEqual(['']);

      // Another client naming our invoices gets a file without them.
      const theirs = await ok('billing/invoice/export', { downloadType: 'INVOICE', invoiceIds: [open, paid] }, fixture.asOther());
      expect((await get(theirs.fileUrl as string)).text).toBe('Invoice ID,Invoice number,Status,Customer ID,Customer email,Currency,Total,Paid,Remaining,Due date,Created\r\n');

      const receipts = await ok('billing/receipt/export', { downloadType: 'RECEIPT', receiptIds: [receiptId] });
      const receipt = await ok('billing/receipt/inquireDetails', { receiptId });
      const receiptFile = await get(receipts.fileUrl as string);
      expect(receiptFile.headers.get('content-disposition')).toBe(`attachment; filename="${receipts.fileName}"`);
      expect(receiptFile.text).toBe(
        'Receipt ID,Invoice ID,Status,Receipt type,Customer ID,Customer email,Currency,Total,Paid,Refunded,Paid time\r\n'
        + `${receiptId},${paid},ACTIVE,PAYMENT,${customerId},${mail},USD,109.00,109.00,0.00,${receipt.paidTime}\r\n`,
      );
    });

    it('exports XLSX: a workbook with the same rows, amounts as numbers', async () => {
      const customerId = await customer({ country: 'SG' });
      const open = await gstInvoice(customerId);
      await finalize(open);
      const o = await ok('billing/invoice/inquireDetails', { invoiceId: open });
      const exported = await ok('billing/invoice/export', { downloadType: 'INVOICE', fileFormat: 'xlsx', invoiceIds: [open] });
      expect(exported.fileFormat).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(exported.fileName).toMatch(/^invoices_\d{8}_\d{8}_\d+\.xlsx$/);
      const response = await fetch(exported.fileUrl as string);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${exported.fileName}"`);
      const rows = xlsxRows(Buffer.from(await response.arrayBuffer()));
      expect(rows).toEqual([
        ['Invoice ID', 'Invoice number', 'Status', 'Customer ID', 'Customer email', 'Currency', 'Total', 'Paid', 'Remaining', 'Due date', 'Created'],
        [open, o.invoiceNumber, 'OPEN', customerId, o.customerEmail, 'USD', '66.74', '0.00', '66.74', o.dueDate, o.gmtCreate],
      ]);
    });

    it('refuses an export with a wrong or missing token, or an unknown id', async () => {
      const exported = await ok('billing/invoice/export', { downloadType: 'INVOICE', invoiceIds: [] });
      const url = new URL(exported.fileUrl as string);
      const token = url.searchParams.get('token')!;
      expect((await get(url.href)).status).toBe(200);
      await refusedPage(`${url.pathname}?token=${token.slice(1)}`, 'a wrong export token');
      await refusedPage(url.pathname, 'no export token');
      await refusedPage(`/billing/exports/BEXnothing?token=${token}`, 'an unknown export with a real token');
    });

    it('the portal lists the customer\'s finalized invoices, newest first, linking those whose view link is valid', async () => {
      const customerId = await customer({ firstName: 'Alan', lastName: 'Turing' });
      const first = await simpleInvoice(customerId, '1000', 1);
      const second = await simpleInvoice(customerId, '2000', 1);
      const voided = await simpleInvoice(customerId, '3000', 1);
      const draft = await simpleInvoice(customerId, '4000', 1);
      await finalize(first);
      const secondUrl = await finalize(second);
      await finalize(voided);
      await ok('billing/invoice/void', { invoiceId: voided });
      await ok('billing/invoice/confirmPayment', { invoiceId: first, confirmationType: 'OFFLINE', paymentMethod: 'CASH' });
      const otherCustomer = await customer();
      await finalize(await simpleInvoice(otherCustomer, '5000', 1));

      const link = await ok('billing/customer/createPortalLink', { customerId });
      expect(link.portalUrl).toBe(`${t.baseUrl}/billing/portal/${link.token}`);
      const page = await get(link.portalUrl as string);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(textOf(page.text, 'customer-name')).toBe('Alan Turing');
      const rows = [...page.text.matchAll(/<tr data-invoice-id="([^"]+)">\s*<td class="invoice-number">(?:<a href="([^"]+)">)?([^<]+)(?:<\/a>)?<\/td>\s*<td class="invoice-status">([^<]+)<\/td>\s*<td class="invoice-total">([^<]+)<\/td>\s*<td class="invoice-remaining">([^<]+)<\/td>/g)]
        .map((m) => ({ id: m[1], href: m[2]?.replaceAll('&amp;', '&'), number: m[3], status: m[4], total: m[5], remaining: m[6] }));
      const numberOf = async (invoiceId: string) => (await ok('billing/invoice/inquireDetails', { invoiceId })).invoiceNumber;
      const firstUrl = (await ok('billing/invoice/inquireDetails', { invoiceId: first })).hostedInvoiceUrl as string;
      expect(rows).toEqual([
        { id: voided, href: undefined, number: await numberOf(voided), status: 'VOID', total: '30.00 USD', remaining: '30.00 USD' },
        { id: second, href: pathOf(secondUrl), number: await numberOf(second), status: 'OPEN', total: '20.00 USD', remaining: '20.00 USD' },
        { id: first, href: pathOf(firstUrl), number: await numberOf(first), status: 'PAID', total: '10.00 USD', remaining: '0.00 USD' },
      ]);
      expect(page.text).not.toContain(draft);
      expect((await get(rows[1]!.href!)).status).toBe(200);

      const subscriptionsOnly = await ok('billing/customer/createPortalLink', { customerId, features: ['SUBSCRIPTION'] });
      const limited = await get(subscriptionsOnly.portalUrl as string);
      expect(limited.status).toBe(200);
      expect(limited.text).not.toContain('id="invoices"');
      expect(limited.text).toContain('id="no-subscriptions"');

      await refusedPage(`/billing/portal/${(link.token as string).slice(0, -2)}xx`, 'a wrong portal token');
      await ok('billing/customer/delete', { customerId });
      await refusedPage(pathOf(link.portalUrl as string), 'the portal of a deleted customer');
    });

    it('serves a product\'s recorded placeholder image as SVG, and nothing it did not record', async () => {
      const productId = (await ok('billing/product/create', { productRequestId: uniqueId('prd'), name: 'Tea, Cakes' })).productId as string;
      const image = await ok('billing/product/uploadImage', { productId });
      const svg = await get(image.imageUrl as string);
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(svg.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(svg.text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.text).toContain('>Tea, Cakes</text>');
      expect(svg.text).toContain(`>${image.imageName}</text>`);
      const missing = await get(`/billing/products/${productId}/images/${productId}-1.png`);
      expect(missing.status).toBe(404);
      expect((await get(`/billing/products/PRDnothing/images/${image.imageName}`)).status).toBe(404);
      // A product's image list replaced without it: no longer served.
      await ok('billing/product/update', { productId, images: ['https://cdn.example/tea.png'] });
      expect((await get(image.imageUrl as string)).status).toBe(404);
    });

    // Last: it moves the sandbox clock.
    it('refuses every link once it expires: view link, export, portal', async () => {
      const customerId = await customer();
      const id = await simpleInvoice(customerId);
      await finalize(id);
      const view = await ok('billing/invoice/createViewLink', { invoiceId: id, linkExpiryDays: 1 });
      const exported = await ok('billing/invoice/export', { downloadType: 'INVOICE', invoiceIds: [id] });
      const portal = await ok('billing/customer/createPortalLink', { customerId });
      const clock = t.gateway.sandboxClock!;
      // Still open just before each expiry.
      clock.advance(Date.parse(view.expiresAt as string) - clock.now() - 60_000);
      expect((await get(view.viewUrl as string)).status).toBe(200);
      clock.advance(60_000);
      await refusedPage(pathOf(view.viewUrl as string), 'an expired view link');
      expect((await get(exported.fileUrl as string)).status).toBe(200);
      clock.advance(7 * DAY_MS);
      await refusedPage(pathOf(exported.fileUrl as string), 'an expired export (7 days)');
      await refusedPage(pathOf(portal.portalUrl as string), 'an expired portal link (24 hours)');
    });
  });
});
