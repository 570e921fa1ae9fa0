/**
 * A marketplace's money, all of it in the journal:
 * - payments/settle splits what a successful payment brought the client's
 *   merchant balance between the seller it names
 *   (`order.merchant.referenceMerchantId`, a SUCCESSFUL sub-merchant) and the
 *   marketplace's own balance account (journal SETTLE); what a payment still
 *   has to settle is its net in the merchant balance (paid or captured, less
 *   refunds, chargebacks and earlier settlements), so it is never settled twice;
 * - accounts/inquireBalance reports a balance account per currency, summed
 *   from the journal;
 * - funds/createPayout sends money from a balance account to a bank account
 *   (journal PAYOUT), funds/createTransfer between two balance accounts
 *   (journal TRANSFER); either is refused BALANCE_NOT_ENOUGH when the paying
 *   balance is short, recorded so a repeat answers the same.
 * Payouts and transfers lock their paying account (`lockHolder`), so
 * concurrent ones never overdraw it.
 */
import {
  AmsError,
  buildResult,
  parseAmount,
  parsePositiveAmount,
  SUCCESS_RESULT,
  type CreatePayoutRequest,
  type InquireBalanceRequest,
  type SettleRequest,
} from '@amsgate/protocol';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { newId } from '../../ids.js';
import { accounts, recordJournal, type JournalLine } from '../../ledger/journal.js';
import type { Database, Tx } from '../../schema.js';
import { toBigInt } from '../../store/columns.js';
import { maskCardDataInText } from '../cards/card-data-mask.js';
import { findPaymentForUpdate } from '../payments/operations-repository.js';
import { findRequestJson } from '../payments/payments-repository.js';
import { balanceAccountOf, balancesOf, lockHolder, PLATFORM } from './balances.js';
import { findSettlement, findSubMerchant, findTransfer, insertSettlement, insertTransfer } from './marketplace-repository.js';
import type { MarketplaceTransfersTable, TransferKind } from './tables.js';

/** A transfer as written or read back (`amount` in whatever integer form the driver gives). */
type TransferRow = { [K in keyof MarketplaceTransfersTable]: K extends 'amount' | 'created_at' ? bigint | number : MarketplaceTransfersTable[K] };

type TransferAnswer = AnswerBody<'funds/createPayout'>;

export class FundsService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async settle(context: KeyedHandlerContext, request: SettleRequest): Promise<AnswerBody<'payments/settle'>> {
    const parts = request.settlementDetails.map((detail, i) => ({ settleTo: detail.settleTo, amount: parseAmount(detail.settlementAmount, `settlementDetails[${i}].settlementAmount`), field: `settlementDetails[${i}]` }));
    const now = this.clock.now();
    const settlementId = `STL${newId('TXN', now).slice(3)}`;
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, settlementId, now, (id) => findSettlement(tx, context.clientId, id));
      if (!claim.claimed) return { result: { ...SUCCESS_RESULT }, settlementRequestId: request.settlementRequestId, settlementId: claim.recorded.settlement_id };

      const payment = await findPaymentForUpdate(tx, this.database.dialect, context.clientId, { paymentId: request.paymentId });
      if (payment === undefined) throw new AmsError('ORDER_NOT_EXIST', `No payment with paymentId ${request.paymentId}`);
      if (payment.status !== 'SUCCESS') throw new AmsError('ORDER_STATUS_INVALID', `Payment ${payment.paymentId} is ${payment.status}: only a successful payment is settled`);
      for (const part of parts) {
        if (part.amount.currency !== payment.currency) {
          throw new AmsError('CURRENCY_NOT_SUPPORT', `${part.field}.settlementAmount.currency: must be the payment's currency (${payment.currency}), got ${part.amount.currency}`, { field: `${part.field}.settlementAmount.currency` });
        }
      }
      const seller = parts.some((part) => part.settleTo === 'SELLER') ? await this.sellerOf(tx, context.clientId, payment.paymentId) : undefined;
      const total = parts.reduce((sum, part) => sum + part.amount.minor, 0n);
      if (total === 0n) throw AmsError.paramIllegal('settlementDetails', 'the amounts sum to 0: nothing to settle');
      const merchant = accounts.merchantBalance(context.clientId);
      const left = await unsettledOf(tx, merchant, payment.paymentId, payment.currency);
      if (total > left) {
        throw AmsError.paramIllegal('settlementDetails', `the amounts sum to ${total}, more than payment ${payment.paymentId} has left to settle (${left} ${payment.currency} minor units)`);
      }
      const lines: JournalLine[] = [{ account: merchant, currency: payment.currency, amount: -total }];
      for (const part of parts.filter((p) => p.amount.minor > 0n)) {
        const account = part.settleTo === 'SELLER' ? accounts.sellerBalance(context.clientId, seller!) : accounts.marketplaceBalance(context.clientId);
        lines.push({ account, currency: payment.currency, amount: part.amount.minor });
      }
      await recordJournal(tx, { clientId: context.clientId, paymentId: payment.paymentId, movement: 'SETTLE', lines, now });
      await insertSettlement(tx, { settlement_id: settlementId, client_id: context.clientId, settlement_request_id: request.settlementRequestId, payment_id: payment.paymentId, details_json: JSON.stringify(request.settlementDetails), created_at: now });
      return { result: { ...SUCCESS_RESULT }, settlementRequestId: request.settlementRequestId, settlementId };
    });
  }

  async inquireBalance(clientId: string, request: InquireBalanceRequest): Promise<AnswerBody<'accounts/inquireBalance'>> {
    const holder = request.referenceMerchantId ?? PLATFORM;
    return this.database.read(async (tx) => {
      if (holder !== PLATFORM) await this.registered(tx, clientId, holder, 'referenceMerchantId');
      const balances = await balancesOf(tx, balanceAccountOf(clientId, holder));
      return {
        result: { ...SUCCESS_RESULT },
        accountBalances: [...balances].map(([currency, value]) => {
          const amount = { currency, value: value.toString() };
          return { currency, availableBalance: amount, frozenBalance: { currency, value: '0' }, totalBalance: amount };
        }),
      };
    });
  }

  createPayout(context: KeyedHandlerContext, request: CreatePayoutRequest): Promise<TransferAnswer> {
    return this.move(context, request, 'PAYOUT');
  }

  createTransfer(context: KeyedHandlerContext, request: CreatePayoutRequest): Promise<TransferAnswer> {
    return this.move(context, request, 'TRANSFER');
  }

  private async move(context: KeyedHandlerContext, request: CreatePayoutRequest, kind: TransferKind): Promise<TransferAnswer> {
    const amount = parsePositiveAmount(request.transferFromDetail.transferFromAmount, 'transferFromDetail.transferFromAmount');
    if (request.transferToDetail.transferToCurrency !== amount.currency) {
      throw new AmsError('CURRENCY_NOT_SUPPORT', `transferToDetail.transferToCurrency: must be ${amount.currency}, the currency of transferFromDetail.transferFromAmount (the sandbox converts no payout or transfer)`, { field: 'transferToDetail.transferToCurrency' });
    }
    const from = request.transferFromDetail.transferFromMethod.customerId ?? PLATFORM;
    const to = kind === 'TRANSFER' ? (request.transferToDetail.transferToMethod.customerId ?? PLATFORM) : undefined;
    if (to === from) throw AmsError.paramIllegal('transferToDetail.transferToMethod.customerId', 'names the paying balance account: a transfer goes to another one');
    const now = this.clock.now();
    const transferId = `TRF${newId('TXN', now).slice(3)}`;
    return this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, transferId, now, (id) => findTransfer(tx, context.clientId, kind, id));
      if (!claim.claimed) return transferAnswer({ ...claim.recorded, amount: toBigInt(claim.recorded.amount), created_at: Number(claim.recorded.created_at) });
      if (from !== PLATFORM) await this.registered(tx, context.clientId, from, 'transferFromDetail.transferFromMethod.customerId');
      if (to !== undefined && to !== PLATFORM) await this.registered(tx, context.clientId, to, 'transferToDetail.transferToMethod.customerId');

      await lockHolder(tx, this.database.dialect, context.clientId, from);
      const paying = balanceAccountOf(context.clientId, from);
      const balance = (await balancesOf(tx, paying)).get(amount.currency) ?? 0n;
      const row: TransferRow = {
        transfer_id: transferId, client_id: context.clientId, kind, transfer_request_id: request.transferRequestId,
        status: 'SUCCESS', result_code: 'SUCCESS', result_message: 'success', request_json: maskCardDataInText(context.requestJson),
        currency: amount.currency, amount: amount.minor, created_at: now,
      };
      if (balance < amount.minor) {
        const short: TransferRow = {
          ...row, status: 'FAIL', result_code: 'BALANCE_NOT_ENOUGH',
          result_message: `The ${from === PLATFORM ? 'marketplace' : `sub-merchant ${from}`} balance holds ${balance} ${amount.currency} minor units, less than the ${amount.minor} asked for`,
        };
        await insertTransfer(tx, short);
        return transferAnswer(short);
      }
      const receiving = to === undefined ? accounts.payoutBank() : balanceAccountOf(context.clientId, to);
      await recordJournal(tx, {
        clientId: context.clientId, paymentId: transferId, movement: kind, now,
        lines: [
          { account: paying, currency: amount.currency, amount: -amount.minor },
          { account: receiving, currency: amount.currency, amount: amount.minor },
        ],
      });
      await insertTransfer(tx, row);
      return transferAnswer(row);
    });
  }

  /** The seller a payment names (`order.merchant.referenceMerchantId`), which must be a SUCCESSFUL sub-merchant of the client. */
  private async sellerOf(tx: Tx, clientId: string, paymentId: string): Promise<string> {
    const requestJson = await findRequestJson(tx, paymentId);
    const named = sellerNamedIn(requestJson);
    if (named === undefined) {
      throw new AmsError('MERCHANT_NOT_REGISTERED', `Payment ${paymentId} names no sub-merchant (order.merchant.referenceMerchantId): it has no SELLER to settle to`);
    }
    await this.registered(tx, clientId, named, 'order.merchant.referenceMerchantId');
    return named;
  }

  /** MERCHANT_NOT_REGISTERED unless `referenceMerchantId` is a SUCCESSFUL sub-merchant of the client. */
  private async registered(tx: Tx, clientId: string, referenceMerchantId: string, field: string): Promise<void> {
    const merchant = await findSubMerchant(tx, clientId, referenceMerchantId);
    if (merchant?.status !== 'SUCCESSFUL') {
      const state = merchant === undefined ? 'is not registered' : `has registration status ${merchant.status}`;
      throw new AmsError('MERCHANT_NOT_REGISTERED', `${field}: sub-merchant ${referenceMerchantId} ${state}`, { field });
    }
  }
}

function sellerNamedIn(requestJson: string | undefined): string | undefined {
  if (requestJson === undefined) return undefined;
  const order = (JSON.parse(requestJson) as { order?: { merchant?: { referenceMerchantId?: unknown } } }).order;
  const id = order?.merchant?.referenceMerchantId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** What a payment has left in the merchant balance: the sum of its journal lines on that account. */
async function unsettledOf(tx: Tx, merchantAccount: string, paymentId: string, currency: string): Promise<bigint> {
  const rows = await tx.selectFrom('journal_entries').select('amount').where('payment_id', '=', paymentId).where('account', '=', merchantAccount).where('currency', '=', currency).execute();
  return rows.reduce((sum, row) => sum + toBigInt(row.amount), 0n);
}

function transferAnswer(row: TransferRow): TransferAnswer {
  const request = JSON.parse(row.request_json) as CreatePayoutRequest;
  if (row.status === 'FAIL') return { result: buildResult('BALANCE_NOT_ENOUGH', row.result_message), transferRequestId: row.transfer_request_id };
  const amount = { currency: row.currency, value: toBigInt(row.amount).toString() };
  return {
    result: { ...SUCCESS_RESULT },
    transferId: row.transfer_id,
    transferRequestId: row.transfer_request_id,
    transferFromDetail: request.transferFromDetail,
    // The sandbox charges no fee: the beneficiary gets the whole amount.
    transferToDetail: { ...request.transferToDetail, feeAmount: { currency: row.currency, value: '0' }, actualTransferToAmount: amount },
  };
}
