/**
 * Calculations and the tax transactions recorded for them: calculate
 * (idempotent by taxCalculationRequestId), inquire one by exactly one of
 * its keys, list a calculation's transactions.
 */
import { AmsError, formatResponseTime, SUCCESS_RESULT, type EndpointRequest } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import { createEndpoint, defined } from '../../resources/resource-endpoints.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { numberedPageQuery } from '../../resources/list-request.js';
import { findByRequestId, findResource, listResources } from '../../resources/resource-store.js';
import type { Clock } from '../../clock.js';
import type { Database, Db } from '../../schema.js';
import { findPayment } from '../payments/payments-repository.js';
import { CUSTOMER } from '../billing/catalog/kinds.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { calculateTax } from './calculation.js';
import { TAX_CALCULATION, TAX_TRANSACTION, type TaxCalculationDoc, type TaxTransactionDoc } from './kinds.js';
import type { TaxRateTable } from './rates.js';
import { findSettings } from './settings.js';

type CalculationRecord = ResourceRecord<TaxCalculationDoc, 'CALCULATED'>;

export function calculationAnswer(record: CalculationRecord) {
  const { customerJurisdiction: _where, taxDate, expireAt, ...fields } = record.doc;
  return { taxCalculationId: record.id, ...fields, taxDate: formatResponseTime(taxDate), expireAt: formatResponseTime(expireAt) };
}

function transactionAnswer(record: ResourceRecord<TaxTransactionDoc, 'POSTED'>) {
  const doc = record.doc;
  return defined({
    taxTransactionId: record.id, taxCalculationId: doc.taxCalculationId, type: doc.type, taxAmount: doc.taxAmount, currency: doc.currency,
    status: record.status, taxDate: formatResponseTime(doc.taxDate), postedAt: formatResponseTime(doc.postedAt),
    referencePaymentId: doc.referencePaymentId, referenceRefundId: doc.referenceRefundId,
  });
}

/** Exactly one of `fields` is sent: its name and value. */
function exactlyOne<R extends object>(request: R, fields: readonly (keyof R & string)[]): { field: keyof R & string; value: string } {
  const sent = fields.filter((field) => request[field] !== undefined && request[field] !== null);
  if (sent.length !== 1) throw AmsError.paramIllegal(sent[1] ?? fields[0]!, `send exactly one of ${fields.join(', ')} (got ${sent.length === 0 ? 'none' : sent.join(' and ')})`);
  const field = sent[0]!;
  return { field, value: String(request[field]) };
}

/** The calculation the client's payment `paymentRequestId` referenced (`pay`'s `taxCalculationId`, kept on the payment). */
async function calculationByPayment(db: Db, clientId: string, paymentRequestId: string): Promise<CalculationRecord | undefined> {
  const payment = await findPayment(db, clientId, { paymentRequestId });
  return payment === undefined || payment.taxCalculationId === null ? undefined : findResource(db, TAX_CALCULATION, clientId, payment.taxCalculationId);
}

/**
 * Why a pay request cannot reference calculation `taxCalculationId`: not
 * the client's, expired, or in another currency than the payment. A repeat
 * of a payment already made is never refused for it (it answers as recorded).
 */
export async function taxCalculationProblem(database: Database, clock: Clock, clientId: string, request: { taxCalculationId: string; paymentRequestId: string; currency: string }): Promise<string | undefined> {
  return database.read(async (db) => {
    const calculation = await findResource(db, TAX_CALCULATION, clientId, request.taxCalculationId);
    const problem = calculation === undefined ? `no tax calculation ${request.taxCalculationId}`
      : calculation.doc.expireAt <= clock.now() ? `tax calculation ${request.taxCalculationId} has expired`
        : calculation.doc.currency !== request.currency ? `tax calculation ${request.taxCalculationId} is in ${calculation.doc.currency}, the payment in ${request.currency}`
          : undefined;
    if (problem === undefined) return undefined;
    return (await findPayment(db, clientId, { paymentRequestId: request.paymentRequestId })) === undefined ? problem : undefined;
  });
}

export function calculationEndpoints(deps: ResourceProductDeps, table: TaxRateTable) {
  const { engine } = deps;
  return {
    'tax/calculate': createEndpoint(engine, TAX_CALCULATION, {
      path: 'tax/calculate',
      requestIdField: 'taxCalculationRequestId',
      build: async (request, { tx, clientId, now }) => {
        const settings = (await findSettings(tx, clientId))?.doc;
        let customerCountry: string | undefined;
        if (request.customerId !== undefined) {
          const customer = await findResource(tx, CUSTOMER, clientId, request.customerId);
          if (customer === undefined) throw new AmsError('RECORD_NOT_FOUND', `customerId: no customer ${request.customerId}`, { field: 'customerId' });
          customerCountry = customer.doc.country;
        }
        const doc = await calculateTax(tx, request, { clientId, now, settings, customerCountry, table });
        return {
          status: 'CALCULATED',
          doc,
          detail: `${doc.currency} ${doc.totalAmount} (tax ${BigInt(doc.exclusiveTaxAmount ?? '0') + BigInt(doc.inclusiveTaxAmount ?? '0')}) in ${doc.customerJurisdiction.country}`,
          // The sandbox records the calculation's tax at once: payments do not reference calculations yet, so none would post it later.
          after: async (innerTx, record) => {
            const taxAmount = (BigInt(doc.exclusiveTaxAmount ?? '0') + BigInt(doc.inclusiveTaxAmount ?? '0')).toString();
            await engine.insert(innerTx, TAX_TRANSACTION, clientId, { status: 'POSTED', doc: { taxCalculationId: record.id, type: 'TRANSACTION', taxAmount, currency: doc.currency!, taxDate: doc.taxDate, postedAt: now } }, now);
          },
        };
      },
      answer: calculationAnswer,
    }),

    'tax/inquireCalculation': endpointModule({
      path: 'tax/inquireCalculation',
      handle: async (context, request: EndpointRequest<'tax/inquireCalculation'>) => {
        const { field, value } = exactlyOne(request, ['taxCalculationId', 'taxCalculationRequestId', 'paymentRequestId']);
        const record = await deps.database.read((db) =>
          field === 'taxCalculationId' ? findResource(db, TAX_CALCULATION, context.clientId, value)
            : field === 'taxCalculationRequestId' ? findByRequestId(db, TAX_CALCULATION, context.clientId, value)
              : calculationByPayment(db, context.clientId, value),
        );
        if (record === undefined) throw new AmsError('RECORD_NOT_FOUND', `${field}: no tax calculation for ${value}`, { field });
        return { ...calculationAnswer(record), result: { ...SUCCESS_RESULT } };
      },
    }),

    'tax/inquireTransactionList': endpointModule({
      path: 'tax/inquireTransactionList',
      handle: async (context, request: EndpointRequest<'tax/inquireTransactionList'>) => {
        const { field, value } = exactlyOne(request, ['taxCalculationId', 'paymentId', 'refundId']);
        const query = numberedPageQuery(request.currentPage, request.pageSize, { [field]: value }, { number: 'currentPage', size: 'pageSize' });
        const page = await deps.database.read(async (db) => {
          if (field === 'taxCalculationId' && (await findResource(db, TAX_CALCULATION, context.clientId, value)) === undefined) {
            throw new AmsError('RECORD_NOT_FOUND', `taxCalculationId: no tax calculation ${value}`, { field });
          }
          return listResources(db, TAX_TRANSACTION, context.clientId, query);
        });
        const totalCount = page.total ?? page.items.length;
        return {
          transactions: page.items.map(transactionAnswer),
          paginator: { currentPage: query.pageNumber!, pageSize: query.limit, totalCount, totalPage: Math.ceil(totalCount / query.limit) },
          result: { ...SUCCESS_RESULT },
        };
      },
    }),
  };
}
