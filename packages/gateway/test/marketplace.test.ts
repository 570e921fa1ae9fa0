/**
 * Marketplace end to end through signed HTTP on SQLite and PostgreSQL:
 * attachments (at Antom's own openapiv2_file path), sub-merchant
 * registration decided by the sandbox (control API, or by itself after its
 * delay on the sandbox clock) with notifyRegistration, settlement accounts,
 * settle splitting a payment that names a sub-merchant, balances from the
 * journal, payouts and transfers refused BALANCE_NOT_ENOUGH when short, every
 * documented refusal, another client's data unseen; and the journal
 * invariant under concurrent payouts: never an overdraft, and a balance that
 * always equals what was settled to it less its payouts and transfers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/sandbox/sandbox-clock.js';
import { toBigInt } from '../src/store/columns.js';
import { cashierPay, DIALECTS, postgresAvailable, uniqueId, type TestGateway, gatewayWithOtherClient } from './harness.js';

const postgresOk = await postgresAvailable();
const ATTACHMENT_PATH = '/ams/api/open/openapiv2_file/v1/business/attachment/submitAttachment';
const SHA = 'ab'.repeat(32);

const bankAccount = (no = '1234567890') => ({ bankAccountNo: no, accountHolderName: 'Seller Ltd', bankRegion: 'SG', accountHolderType: 'ENTERPRISE' });

function registration(referenceMerchantId: string, merchantInfo: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    registrationRequestId: uniqueId('reg'),
    settlementInfos: [{ settlementCurrency: 'USD', settlementBankAccount: bankAccount() }],
    merchantInfo: { referenceMerchantId, loginId: `${referenceMerchantId}@example.com`, legalEntityType: 'INDIVIDUAL', businessInfo: { doingBusinessAs: 'Seller' }, ...merchantInfo },
    paymentMethods: [{ paymentMethodType: 'ALIPAY_CN' }],
  };
}

function transfer(value: string, from: string | undefined, to: string | undefined, kind: 'payout' | 'transfer', currency = 'USD'): Record<string, unknown> {
  return {
    transferRequestId: uniqueId(kind),
    transferFromDetail: { transferFromMethod: { paymentMethodType: 'BALANCE_ACCOUNT', ...(from ? { customerId: from } : {}) }, transferFromAmount: { currency, value } },
    transferToDetail: {
      transferToMethod: { paymentMethodType: kind === 'payout' ? 'BANK_ACCOUNT' : 'BALANCE_ACCOUNT', ...(to ? { customerId: to } : {}) },
      transferToCurrency: currency,
      purposeCode: 'GDS',
    },
  };
}

describe.each(DIALECTS)('marketplace on %s', (dialect) => {
  describe.skipIf(dialect === 'postgres' && !postgresOk)('', () => {
    const clock = new SandboxClock();
    const fixture = gatewayWithOtherClient(dialect, { clock, notifyDispatch: false });
    let t: TestGateway;
    beforeAll(() => (t = fixture.gateway()));
    const asOther = fixture.asOther;

    const post = fixture.post;
    const decide = (referenceMerchantId: string, decision: 'approve' | 'reject', body: unknown = {}, clientId = t.client.client.clientId) =>
      post(`/sandbox/clients/${clientId}/sub-merchants/${referenceMerchantId}/${decision}`, body);

    async function registered(referenceMerchantId: string): Promise<void> {
      const answer = await t.call('merchants/register', registration(referenceMerchantId));
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      expect((await decide(referenceMerchantId, 'approve')).status).toBe(200);
    }

    /** A successful payment of `value` USD minor units naming `seller` (if any) in order.merchant. */
    async function paid(value: string, seller?: string): Promise<string> {
      const base = cashierPay({ paymentAmount: { currency: 'USD', value } });
      const order = { ...(base.order as Record<string, unknown>), orderAmount: { currency: 'USD', value }, ...(seller ? { merchant: { referenceMerchantId: seller } } : {}) };
      const answer = await t.call('payments/pay', { ...base, order });
      const paymentId = answer.body.paymentId as string;
      expect((await t.complete(paymentId)).status).toBe(200);
      return paymentId;
    }

    async function settle(paymentId: string, seller: string, marketplace: string) {
      return t.call('payments/settle', {
        settlementRequestId: uniqueId('stl'),
        paymentId,
        settlementDetails: [
          { settleTo: 'SELLER', settlementAmount: { currency: 'USD', value: seller } },
          { settleTo: 'MARKETPLACE', settlementAmount: { currency: 'USD', value: marketplace } },
        ],
      });
    }

    async function balance(referenceMerchantId?: string, currency = 'USD'): Promise<string | undefined> {
      const answer = await t.call('accounts/inquireBalance', referenceMerchantId ? { referenceMerchantId } : {});
      expect(answer.body.result.resultCode).toBe('SUCCESS');
      const balances = answer.body.accountBalances as Array<{ currency: string; availableBalance: { value: string }; totalBalance: { value: string }; frozenBalance: { value: string } }>;
      const entry = balances.find((b) => b.currency === currency);
      if (entry) {
        expect(entry.totalBalance.value).toBe(entry.availableBalance.value);
        expect(entry.frozenBalance.value).toBe('0');
      }
      return entry?.availableBalance.value;
    }

    it('uploads an attachment at Antom\'s openapiv2_file path (and its sandbox form) and answers its key; repeats answer the same key', async () => {
      const body = { submitAttachmentRequestId: uniqueId('att').slice(0, 32), attachmentType: 'ENTERPRISE_REGISTRATION', fileSha256: SHA };
      const first = await t.call('business/attachment/submitAttachment', body, { path: ATTACHMENT_PATH });
      expect(first.signatureValid).toBe(true);
      expect(first.body.result.resultCode).toBe('SUCCESS');
      expect(first.body.attachmentKey).toMatch(/^ATK/);
      expect(first.body.attachmentType).toBe('ENTERPRISE_REGISTRATION');
      const again = await t.call('business/attachment/submitAttachment', body, { path: ATTACHMENT_PATH.replace('/ams/api/', '/ams/sandbox/api/') });
      expect(again.body.attachmentKey).toBe(first.body.attachmentKey);
      const changed = await t.call('business/attachment/submitAttachment', { ...body, attachmentType: 'LOGO' }, { path: ATTACHMENT_PATH });
      expect(changed.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(changed.body.result.resultMessage).toContain('attachmentType');
      const bad = await t.call('business/attachment/submitAttachment', { ...body, submitAttachmentRequestId: 'att-bad', fileSha256: 'xyz' }, { path: ATTACHMENT_PATH });
      expect(bad.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(bad.body.result.resultMessage).toContain('fileSha256');
      // Not under /ams/api/v1/: that path is no endpoint.
      expect((await t.call('business/attachment/submitAttachment', body)).body.result.resultCode).toBe('NO_INTERFACE_DEF');
    });

    it('registers a sub-merchant PROCESSING, then the sandbox approves it after its delay and notifies REGISTRATION_RESULT', async () => {
      const ref = uniqueId('seller');
      const body = registration(ref);
      const answer = await t.call('merchants/register', body);
      expect(answer.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, registrationStatus: 'PROCESSING' });
      // Not usable while PROCESSING.
      expect((await t.call('accounts/inquireBalance', { referenceMerchantId: ref })).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await post('/sandbox/clock/advance', { by: '11s' })).status).toBe(200);
      expect((await t.call('merchants/register', body)).body.registrationStatus).toBe('SUCCESSFUL');
      const notes = await t.gateway.notifications.repository.list({ resourceId: ref });
      expect(notes).toHaveLength(1);
      expect(notes[0]!.notifyType).toBe('REGISTRATION_RESULT');
      expect(notes[0]!.status).toBe('NO_URL');
      expect(JSON.parse(notes[0]!.body)).toEqual({ notifyType: 'REGISTRATION_RESULT', referenceMerchantId: ref, registrationRequestId: body.registrationRequestId, registrationStatus: 'SUCCESSFUL' });
      expect(await balance(ref)).toBeUndefined();
    });

    it('registrations of one sub-merchant at once (different request ids): one is accepted, the others refused naming it, none U', async () => {
      const ref = uniqueId('seller');
      const answers = await Promise.all(Array.from({ length: 5 }, () => t.call('merchants/register', registration(ref))));
      const codes = answers.map((a) => a.body.result.resultCode).sort();
      expect(codes).toEqual(['PARAM_ILLEGAL', 'PARAM_ILLEGAL', 'PARAM_ILLEGAL', 'PARAM_ILLEGAL', 'SUCCESS']);
      for (const a of answers.filter((x) => x.body.result.resultCode === 'PARAM_ILLEGAL')) expect(a.body.result.resultMessage).toMatch(/^merchantInfo\.referenceMerchantId/);
    });

    it('rejects a registration through the control API (FAILED, notified with the reason); a new registration of it starts again', async () => {
      const ref = uniqueId('seller');
      const body = registration(ref);
      await t.call('merchants/register', body);
      const rejected = await decide(ref, 'reject', { failReason: 'licence unreadable' });
      expect(rejected.json).toMatchObject({ registrationStatus: 'FAILED', failReason: 'licence unreadable' });
      expect((await decide(ref, 'approve')).status).toBe(409);
      expect((await t.call('merchants/register', body)).body.registrationStatus).toBe('FAILED');
      const note = (await t.gateway.notifications.repository.list({ resourceId: ref }))[0]!;
      expect(JSON.parse(note.body)).toMatchObject({ registrationStatus: 'FAILED', failReason: 'licence unreadable' });
      const again = await t.call('merchants/register', registration(ref));
      expect(again.body.registrationStatus).toBe('PROCESSING');
      // Registered (or processing) already: refused naming the field.
      const twice = await t.call('merchants/register', registration(ref));
      expect(twice.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(twice.body.result.resultMessage).toContain('merchantInfo.referenceMerchantId');
      expect((await decide('nobody', 'approve')).status).toBe(404);
    });

    it('refuses bad registrations naming the field, and a changed repeat', async () => {
      const ref = uniqueId('seller');
      const company = await t.call('merchants/register', registration(ref, { legalEntityType: 'COMPANY' }));
      expect(company.body.result.resultMessage).toMatch(/^merchantInfo\.company/);
      const unknownFile = await t.call('merchants/register', registration(ref, {
        legalEntityType: 'COMPANY',
        company: { legalName: 'Seller Ltd', companyType: 'ENTERPRISE', registeredAddress: { region: 'SG' }, operatingAddress: { region: 'SG' }, attachments: [{ attachmentType: 'LOGO', attachmentName: 'logo.png', fileKey: 'ATK-none' }] },
      }));
      expect(unknownFile.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(unknownFile.body.result.resultMessage).toContain('merchantInfo.company.attachments[0].fileKey');
      const twoUsd = registration(ref);
      twoUsd.settlementInfos = [{ settlementCurrency: 'USD' }, { settlementCurrency: 'USD' }];
      expect((await t.call('merchants/register', twoUsd)).body.result.resultMessage).toContain('settlementInfos[1].settlementCurrency');
      const body = registration(ref);
      expect((await t.call('merchants/register', body)).body.result.resultCode).toBe('SUCCESS');
      const changed = await t.call('merchants/register', { ...body, merchantInfo: { ...(body.merchantInfo as object), referenceMerchantId: `${ref}-x` } });
      expect(changed.body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      // A registration naming a submitted attachment is accepted.
      const attachment = await t.call('business/attachment/submitAttachment', { submitAttachmentRequestId: uniqueId('a').slice(0, 32), attachmentType: 'LOGO', fileSha256: SHA }, { path: ATTACHMENT_PATH });
      const withFile = await t.call('merchants/register', registration(uniqueId('seller'), {
        legalEntityType: 'COMPANY',
        company: { legalName: 'Seller Ltd', companyType: 'ENTERPRISE', registeredAddress: { region: 'SG' }, operatingAddress: { region: 'SG' }, attachments: [{ attachmentType: 'LOGO', attachmentName: 'logo.png', fileKey: attachment.body.attachmentKey }] },
      }));
      expect(withFile.body.registrationStatus).toBe('PROCESSING');
      // Another client's attachment key is unknown to this one.
      const theirs = await t.call('business/attachment/submitAttachment', { submitAttachmentRequestId: 'theirs-1', attachmentType: 'LOGO', fileSha256: SHA }, { path: ATTACHMENT_PATH, ...asOther() });
      const foreign = await t.call('merchants/register', registration(uniqueId('seller'), {
        legalEntityType: 'COMPANY',
        company: { legalName: 'Seller Ltd', companyType: 'ENTERPRISE', registeredAddress: { region: 'SG' }, operatingAddress: { region: 'SG' }, attachments: [{ attachmentType: 'LOGO', attachmentName: 'logo.png', fileKey: theirs.body.attachmentKey }] },
      }));
      expect(foreign.body.result.resultCode).toBe('PARAM_ILLEGAL');
    });

    it('updates a registered sub-merchant\'s settlement account; an unknown one is MERCHANT_NOT_REGISTERED', async () => {
      const ref = uniqueId('seller');
      await registered(ref);
      const body = { updateRequestId: uniqueId('upd'), referenceMerchantId: ref, settlementCurrency: 'EUR', settlementBankAccount: bankAccount('DE89370400440532013000') };
      expect((await t.call('merchants/settlementInfo/update', body)).body).toMatchObject({ result: { resultCode: 'SUCCESS' }, updateStatus: 'SUCCESS' });
      const row = await t.gateway.marketplace.subMerchants.find(t.client.client.clientId, ref);
      expect(Object.keys(JSON.parse(row!.settlement_accounts) as object).sort()).toEqual(['EUR', 'USD']);
      // Account numbers are kept masked: in the sub-merchant's row, the idempotency store and the request log.
      const rowText = JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      expect(rowText).not.toContain('1234567890');
      expect(rowText).not.toContain('370400440532013000');
      expect((JSON.parse(row!.settlement_accounts) as Record<string, { bankAccountNo: string }>).EUR!.bankAccountNo).toBe('893704**********3000');
      const keys = await t.gateway.database.db.selectFrom('idempotency_keys').selectAll().execute();
      expect(JSON.stringify(keys, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('370400440532013000');
      const list = (await (await fetch(`${t.baseUrl}/sandbox/requests?limit=1`)).json()) as { requests: { id: string }[] };
      expect(await (await fetch(`${t.baseUrl}/sandbox/requests/${list.requests[0]!.id}`)).text()).not.toContain('370400440532013000');
      expect((await t.call('merchants/settlementInfo/update', body)).body.updateStatus).toBe('SUCCESS');
      expect((await t.call('merchants/settlementInfo/update', { ...body, settlementCurrency: 'GBP' })).body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      const unknown = await t.call('merchants/settlementInfo/update', { ...body, updateRequestId: uniqueId('upd'), referenceMerchantId: 'nobody' });
      expect(unknown.body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      const othersView = await t.call('merchants/settlementInfo/update', { ...body, updateRequestId: uniqueId('upd') }, asOther());
      expect(othersView.body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await t.call('merchants/settlementInfo/update', { ...body, updateRequestId: uniqueId('upd'), settlementCurrency: 'usd' })).body.result.resultMessage).toContain('settlementCurrency');
    });

    it('settles a paid payment between its seller and the marketplace, in the journal; balances follow; refusals name the problem', async () => {
      const seller = uniqueId('seller');
      await registered(seller);
      const before = BigInt((await balance()) ?? '0');
      const paymentId = await paid('1000', seller);
      const first = await settle(paymentId, '600', '100');
      expect(first.body).toMatchObject({ result: { resultCode: 'SUCCESS' }, settlementId: expect.stringMatching(/^STL/) });
      expect(await balance(seller)).toBe('600');
      expect(BigInt((await balance())!)).toBe(before + 100n);
      // 300 left to settle: more is refused, exactly that is fine.
      const over = await settle(paymentId, '250', '51');
      expect(over.body.result.resultCode).toBe('PARAM_ILLEGAL');
      expect(over.body.result.resultMessage).toContain('settlementDetails');
      expect((await settle(paymentId, '250', '50')).body.result.resultCode).toBe('SUCCESS');
      expect(await balance(seller)).toBe('850');
      expect((await settle(paymentId, '1', '0')).body.result.resultCode).toBe('PARAM_ILLEGAL');

      // A repeat answers the same settlement and moves nothing again; changed details are inconsistent.
      const body = { settlementRequestId: uniqueId('stl'), paymentId: await paid('500', seller), settlementDetails: [{ settleTo: 'SELLER', settlementAmount: { currency: 'USD', value: '500' } }] };
      const once = await t.call('payments/settle', body);
      expect((await t.call('payments/settle', body)).body.settlementId).toBe(once.body.settlementId);
      expect(await balance(seller)).toBe('1350');
      expect((await t.call('payments/settle', { ...body, settlementDetails: [{ settleTo: 'SELLER', settlementAmount: { currency: 'USD', value: '400' } }] })).body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');

      expect((await settle('PAY-unknown', '1', '1')).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      expect((await t.call('payments/settle', { ...body, settlementRequestId: uniqueId('stl') }, asOther())).body.result.resultCode).toBe('ORDER_NOT_EXIST');
      const pending = await t.call('payments/pay', cashierPay());
      expect((await settle(pending.body.paymentId as string, '1', '1')).body.result.resultCode).toBe('ORDER_STATUS_INVALID');
      const eur = await t.call('payments/settle', { settlementRequestId: uniqueId('stl'), paymentId: await paid('100', seller), settlementDetails: [{ settleTo: 'SELLER', settlementAmount: { currency: 'EUR', value: '10' } }] });
      expect(eur.body.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
      expect(eur.body.result.resultMessage).toContain('settlementDetails[0].settlementAmount.currency');
      const noSeller = await settle(await paid('100'), '10', '10');
      expect(noSeller.body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      // A payment naming an unapproved sub-merchant settles to the marketplace only.
      const waiting = uniqueId('seller');
      await t.call('merchants/register', registration(waiting));
      const unapproved = await paid('100', waiting);
      expect((await settle(unapproved, '10', '10')).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await t.call('payments/settle', { settlementRequestId: uniqueId('stl'), paymentId: unapproved, settlementDetails: [{ settleTo: 'MARKETPLACE', settlementAmount: { currency: 'USD', value: '100' } }] })).body.result.resultCode).toBe('SUCCESS');
      // Another client sees no balance of ours.
      expect((await t.call('accounts/inquireBalance', { referenceMerchantId: seller }, asOther())).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await t.call('accounts/inquireBalance', {}, asOther())).body.accountBalances).toEqual([]);
    });

    it('pays out and transfers from the balances, refused BALANCE_NOT_ENOUGH when short (recorded: a repeat answers the same)', async () => {
      const seller = uniqueId('seller');
      const second = uniqueId('seller');
      await registered(seller);
      await registered(second);
      await settle(await paid('1000', seller), '700', '300');
      const platformBefore = BigInt((await balance())!);

      const payout = await t.call('funds/createPayout', transfer('200', seller, undefined, 'payout'));
      expect(payout.body).toMatchObject({ result: { resultCode: 'SUCCESS', resultStatus: 'S' }, transferId: expect.stringMatching(/^TRF/) });
      expect(payout.body.transferToDetail).toMatchObject({ feeAmount: { currency: 'USD', value: '0' }, actualTransferToAmount: { currency: 'USD', value: '200' } });
      expect(await balance(seller)).toBe('500');

      const short = transfer('501', seller, undefined, 'payout');
      const refused = await t.call('funds/createPayout', short);
      expect(refused.body.result).toMatchObject({ resultCode: 'BALANCE_NOT_ENOUGH', resultStatus: 'F' });
      expect(refused.body.result.resultMessage).toContain('500');
      expect(await balance(seller)).toBe('500');
      // Final: the same request answers the same, even once the balance would allow it.
      await settle(await paid('100', seller), '100', '0');
      expect((await t.call('funds/createPayout', short)).body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');

      const move = await t.call('funds/createTransfer', transfer('250', seller, second, 'transfer'));
      expect(move.body.result.resultCode).toBe('SUCCESS');
      expect(await balance(seller)).toBe('350');
      expect(await balance(second)).toBe('250');
      const toPlatform = await t.call('funds/createTransfer', transfer('50', second, undefined, 'transfer'));
      expect(toPlatform.body.result.resultCode).toBe('SUCCESS');
      expect(BigInt((await balance())!)).toBe(platformBefore + 50n);
      expect((await t.call('funds/createTransfer', transfer('201', second, seller, 'transfer'))).body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');
      const platformPayout = await t.call('funds/createPayout', transfer((platformBefore + 51n).toString(), undefined, undefined, 'payout'));
      expect(platformPayout.body.result.resultCode).toBe('BALANCE_NOT_ENOUGH');

      const self = await t.call('funds/createTransfer', transfer('1', seller, seller, 'transfer'));
      expect(self.body.result.resultMessage).toContain('transferToDetail.transferToMethod.customerId');
      const fx = transfer('1', seller, undefined, 'payout');
      (fx.transferToDetail as Record<string, unknown>).transferToCurrency = 'EUR';
      expect((await t.call('funds/createPayout', fx)).body.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
      expect((await t.call('funds/createPayout', transfer('1', 'nobody', undefined, 'payout'))).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await t.call('funds/createTransfer', transfer('1', seller, 'nobody', 'transfer'))).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      expect((await t.call('funds/createPayout', transfer('0', seller, undefined, 'payout'))).body.result.resultMessage).toContain('transferFromDetail.transferFromAmount.value');
      expect((await t.call('funds/createPayout', transfer('1', seller, undefined, 'payout'), asOther())).body.result.resultCode).toBe('MERCHANT_NOT_REGISTERED');
      // A changed repeat of a payout.
      const body = transfer('10', seller, undefined, 'payout');
      expect((await t.call('funds/createPayout', body)).body.result.resultCode).toBe('SUCCESS');
      const changed = { ...body, transferFromDetail: { ...(body.transferFromDetail as object), transferFromAmount: { currency: 'USD', value: '11' } } };
      expect((await t.call('funds/createPayout', changed)).body.result.resultCode).toBe('REPEAT_REQ_INCONSISTENT');
      expect(await balance(seller)).toBe('340');
    });

    it('never overdraws under concurrent payouts and transfers: balance = settled − payouts − transfers, at every step', async () => {
      const seller = uniqueId('seller');
      const sink = uniqueId('seller');
      await registered(seller);
      await registered(sink);
      await settle(await paid('1000', seller), '1000', '0');
      // 30 requests of 70 against 1000: exactly 14 can be paid.
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0 ? t.call('funds/createTransfer', transfer('70', seller, sink, 'transfer')) : t.call('funds/createPayout', transfer('70', seller, undefined, 'payout'))));
      const codes = answers.map((answer) => answer.body.result.resultCode);
      expect(codes.filter((code) => code === 'SUCCESS')).toHaveLength(14);
      expect(codes.filter((code) => code === 'BALANCE_NOT_ENOUGH')).toHaveLength(16);
      expect(await balance(seller)).toBe(String(1000 - 14 * 70));

      // The journal, entry by entry in order: the seller's balance never went below zero, and ends as settled − payouts − transfers.
      const clientId = t.client.client.clientId;
      const account = `merchant:${clientId}:seller:${seller}`;
      const entries = await t.gateway.database.read((tx) => tx.selectFrom('journal_entries').select(['journal_id', 'movement', 'amount']).where('account', '=', account).orderBy('entry_id').execute());
      let running = 0n;
      const sums = { SETTLE: 0n, PAYOUT: 0n, TRANSFER: 0n } as Record<string, bigint>;
      for (const entry of entries) {
        running += toBigInt(entry.amount);
        expect(running >= 0n, `overdrawn after ${entry.journal_id}`).toBe(true);
        sums[entry.movement] = (sums[entry.movement] ?? 0n) + toBigInt(entry.amount);
      }
      expect(running).toBe(sums.SETTLE! + sums.PAYOUT! + sums.TRANSFER!);
      expect(sums.SETTLE).toBe(1000n);
      const done = await t.gateway.database.read((tx) => tx.selectFrom('marketplace_transfers').select(['kind', 'amount']).where('client_id', '=', clientId).where('status', '=', 'SUCCESS').where('request_json', 'like', `%${seller}%`).execute());
      expect(done).toHaveLength(14);
      expect(-(sums.PAYOUT! + sums.TRANSFER!)).toBe(done.reduce((sum, row) => sum + toBigInt(row.amount), 0n));
      expect(await balance(sink)).toBe(String(70 * answers.filter((a, i) => i % 3 === 0 && a.body.result.resultCode === 'SUCCESS').length));

      // Every journal transaction balances.
      const all = await t.gateway.database.read((tx) => tx.selectFrom('journal_entries').select(['journal_id', 'currency', 'amount']).execute());
      const byJournal = new Map<string, bigint>();
      for (const row of all) byJournal.set(`${row.journal_id}/${row.currency}`, (byJournal.get(`${row.journal_id}/${row.currency}`) ?? 0n) + toBigInt(row.amount));
      expect([...byJournal.values()].every((sum) => sum === 0n)).toBe(true);
    });
  });
});
