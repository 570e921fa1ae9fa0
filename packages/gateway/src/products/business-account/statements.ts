/**
 * Balances and statements, read from the journal: a statement entry is one
 * journal line on the client's Business Account (its id is the line's),
 * with the account's balance in that currency just after it. Pages are
 * numbered, oldest first, so a full page never changes.
 */
import { AmsError, formatResponseTime, isKnownCurrency, SUCCESS_RESULT, type EndpointResponse } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import type { Database, Db } from '../../schema.js';
import { toBigInt, toNumber } from '../../store/columns.js';
import { abaAccount, balanceOf, balancesOf, prefixOfStatementType, statementTypeOf } from './account.js';
import { pageCount, pageOf, parseRange } from './support.js';

type Statement = NonNullable<EndpointResponse<'aba/accounts/inquiryStatement'>['statementList']>[number];

interface EntryRow {
  entry_id: string;
  payment_id: string;
  currency: string;
  amount: bigint;
  created_at: number;
  request_id: string | null;
}

export interface StatementFilter {
  transactionTypes: readonly string[];
  currencies: readonly string[];
  from?: number;
  to?: number;
}

const MAX_STATEMENT_PAGE = 100;

function entries(db: Db, clientId: string) {
  return db
    .selectFrom('journal_entries as j')
    .leftJoin('resources as r', (join) => join.onRef('r.id', '=', 'j.payment_id').onRef('r.client_id', '=', 'j.client_id'))
    .where('j.client_id', '=', clientId)
    .where('j.account', '=', abaAccount(clientId));
}

function filtered(db: Db, clientId: string, filter: StatementFilter) {
  let query = entries(db, clientId);
  if (filter.currencies.length > 0) query = query.where('j.currency', 'in', [...filter.currencies]);
  const [type] = filter.transactionTypes;
  if (type !== undefined) query = query.where('j.payment_id', 'like', `${prefixOfStatementType(type) ?? 'NONE'}%`);
  if (filter.from !== undefined) query = query.where('j.created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('j.created_at', '<=', filter.to);
  return query;
}

const COLUMNS = ['j.entry_id', 'j.payment_id', 'j.currency', 'j.amount', 'j.created_at', 'r.request_id'] as const;

function rowOf(row: { entry_id: string; payment_id: string; currency: string; amount: unknown; created_at: unknown; request_id: string | null }): EntryRow {
  return { ...row, amount: toBigInt(row.amount as bigint), created_at: toNumber(row.created_at as number) };
}

/** The account's balance just after each of `rows` (all its lines in their currencies, in journal order). */
async function balancesAfter(db: Db, clientId: string, rows: readonly EntryRow[]): Promise<Map<string, bigint>> {
  const currencies = [...new Set(rows.map((row) => row.currency))];
  if (currencies.length === 0) return new Map();
  const all = await db.selectFrom('journal_entries').select(['entry_id', 'currency', 'amount']).where('client_id', '=', clientId).where('account', '=', abaAccount(clientId))
    .where('currency', 'in', currencies).orderBy('created_at', 'asc').orderBy('entry_id', 'asc').execute();
  const running = new Map<string, bigint>();
  const after = new Map<string, bigint>();
  for (const line of all) {
    const balance = (running.get(line.currency) ?? 0n) + toBigInt(line.amount);
    running.set(line.currency, balance);
    after.set(line.entry_id, balance);
  }
  return after;
}

function statementOf(clientId: string, row: EntryRow, balanceAfter: bigint): Statement {
  const amount = { currency: row.currency, value: (row.amount < 0n ? -row.amount : row.amount).toString() };
  const inflow = row.amount > 0n;
  const own = { name: 'Business Account', accountNo: abaAccount(clientId) };
  const other = { name: 'External', accountNo: 'external' };
  const payer = inflow ? other : own;
  const beneficiary = inflow ? own : other;
  return {
    statementId: row.entry_id,
    transactionTime: formatResponseTime(row.created_at),
    transactionType: statementTypeOf(row.payment_id) ?? 'TRANSFER',
    originalTransactionAmount: amount,
    transactionAmount: amount,
    // The sandbox charges no fee: the net amount is the whole amount.
    feeAmount: { currency: row.currency, value: '0' },
    netAmount: amount,
    accountBalance: { currency: row.currency, value: balanceAfter.toString() },
    transactionId: row.payment_id,
    ...(row.request_id === null ? {} : { extTransactionId: row.request_id }),
    transactionStatus: 'SUCCESS',
    fundMoveDetail: { payerName: payer.name, payerAccountNo: payer.accountNo, beneficiaryName: beneficiary.name, referenceTransactionId: row.payment_id },
  };
}

export async function statementPage(database: Database, clientId: string, filter: StatementFilter, page: { number: number; size: number }): Promise<{ statements: Statement[]; total: number }> {
  return database.read(async (db) => {
    const counted = await filtered(db, clientId, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const total = toNumber((counted?.n ?? 0) as number);
    const rows = (await filtered(db, clientId, filter).select(COLUMNS).orderBy('j.created_at', 'asc').orderBy('j.entry_id', 'asc').limit(page.size).offset((page.number - 1) * page.size).execute()).map(rowOf);
    const after = await balancesAfter(db, clientId, rows);
    return { statements: rows.map((row) => statementOf(clientId, row, after.get(row.entry_id) ?? 0n)), total };
  });
}

/** The filters both statement inquiries take: at most one transaction type, known currencies, at most 100 days. */
export function statementFilterOf(request: { transactionTypeList?: readonly string[]; currencyList?: readonly string[]; startTime: string; endTime: string }): StatementFilter {
  const types = request.transactionTypeList ?? [];
  if (types.length > 1) throw AmsError.paramIllegal('transactionTypeList', 'names at most one transaction type');
  for (const type of types) {
    if (!STATEMENT_TYPES.has(type)) throw AmsError.paramIllegal('transactionTypeList', `${type} is not a statement transaction type`);
  }
  const currencies = request.currencyList ?? [];
  currencies.forEach((currency, i) => {
    if (!isKnownCurrency(currency)) throw AmsError.paramIllegal(`currencyList[${i}]`, `${currency} is not an ISO 4217 currency code`);
  });
  if (request.startTime === '') throw AmsError.paramIllegal('startTime', 'is required');
  if (request.endTime === '') throw AmsError.paramIllegal('endTime', 'is required');
  const range = parseRange(request.startTime, request.endTime);
  return { transactionTypes: types, currencies, ...range };
}

const STATEMENT_TYPES = new Set(['PAYMENT', 'PAYMENT_REFUND', 'CHARGE', 'CHARGE_REFUND', 'TOPUP', 'SETTLEMENT', 'WITHDRAW', 'WITHDRAW_RETURN', 'TRANSFER', 'TRANSFER_RETURN', 'TRANSFER_TO_CHINA', 'TRANSFER_RECIPIENT', 'EXCHANGE', 'CREDIT_LOAN', 'CREDIT_REPAY', 'CREDIT_REPAYMENT', 'DIRECT_PAYMENT', 'DIRECT_REFUND', 'CARD_PAYMENT', 'CARD_REFUND', 'OVERFLOW_DEBIT', 'OVERFLOW_CREDIT', 'CASH_BACK']);

export function statementEndpoints(database: Database) {
  return {
    'aba/accounts/inquiryStatement': endpointModule({
      path: 'aba/accounts/inquiryStatement',
      handle: async (context, request) => {
        const page = pageOf(request.pageNumber, request.pageSize, MAX_STATEMENT_PAGE);
        const { statements, total } = await statementPage(database, context.clientId, statementFilterOf(request), page);
        return { result: { ...SUCCESS_RESULT }, statementList: statements, totalCount: total, totalPageNumber: pageCount(total, page.size), currentPageNumber: page.number };
      },
    }),
    'aba/accounts/inquiryStatementList': endpointModule({
      path: 'aba/accounts/inquiryStatementList',
      handle: async (context, request) => {
        const page = pageOf(request.pageNumber, request.pageSize, MAX_STATEMENT_PAGE);
        const { statements, total } = await statementPage(database, context.clientId, statementFilterOf(request), page);
        return { result: { ...SUCCESS_RESULT }, statementList: statements, totalCount: { totalPageNumber: String(pageCount(total, page.size)), currentPageNumber: String(page.number) } };
      },
    }),
    'aba/accounts/inquiryStatementDetail': endpointModule({
      path: 'aba/accounts/inquiryStatementDetail',
      handle: async (context, request) =>
        database.read(async (db) => {
          const found = await entries(db, context.clientId).select(COLUMNS).where('j.entry_id', '=', request.statementId).executeTakeFirst();
          if (found === undefined) throw new AmsError('RECORD_NOT_FOUND', `statementId: no statement entry ${request.statementId}`, { field: 'statementId' });
          const row = rowOf(found);
          const after = await balancesAfter(db, context.clientId, [row]);
          return { result: { ...SUCCESS_RESULT }, statement: statementOf(context.clientId, row, after.get(row.entry_id) ?? 0n) };
        }),
    }),
    'aba/accounts/inquiryBalance': endpointModule({
      path: 'aba/accounts/inquiryBalance',
      handle: async (context, request) =>
        database.read(async (db) => {
          request.currencyList.forEach((currency, i) => {
            if (!isKnownCurrency(currency)) throw AmsError.paramIllegal(`currencyList[${i}]`, `${currency} is not an ISO 4217 currency code`);
          });
          // An empty list asks for every currency the account holds.
          const balances = request.currencyList.length === 0
            ? await balancesOf(db, context.clientId)
            : new Map(await Promise.all([...new Set(request.currencyList)].map(async (currency) => [currency, await balanceOf(db, context.clientId, currency)] as const)));
          return {
            result: { ...SUCCESS_RESULT },
            accountBalances: [...balances].map(([currency, value]) => {
              const amount = { currency, value: value.toString() };
              // Nothing is held while pending: every movement settles at once.
              return { currency, availableBalance: amount, frozenBalance: { currency, value: '0' }, totalBalance: amount };
            }),
          };
        }),
    }),
    'aba/account/inquireAvailableQuota': endpointModule({
      path: 'aba/account/inquireAvailableQuota',
      handle: async (context, request) => {
        if (!isKnownCurrency(request.currency)) throw new AmsError('CURRENCY_NOT_SUPPORT', `currency: ${request.currency} is not a currency the Business Account holds`, { field: 'currency' });
        const balance = await database.read((db) => balanceOf(db, context.clientId, request.currency));
        return { result: { ...SUCCESS_RESULT }, availableQuota: { currency: request.currency, value: balance.toString() } };
      },
    }),
  };
}
