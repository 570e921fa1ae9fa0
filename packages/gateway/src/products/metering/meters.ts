/**
 * Meters: what an event name counts and how its events aggregate. An event
 * name belongs to one meter of a client for good (claimed like a request id,
 * so two concurrent creates cannot both take it).
 */
import { AmsError, SUCCESS_RESULT, type EndpointRequest, type EndpointResponse } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import { claimIdempotencyKey } from '../../endpoints/idempotency.js';
import { changeEndpoint, defined, detailsEndpoint, listEndpoint } from '../../resources/resource-endpoints.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { listResources } from '../../resources/resource-store.js';
import { DEFAULT_PAGE_SIZE, numberedPageQuery } from '../../resources/list-request.js';
import type { Db, Tx } from '../../schema.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { AGGREGATION_METHODS, METER, METER_STATUSES, type AggregationMethod, type MeterDoc, type MeterStatus } from './kinds.js';
import { createdBounds, wireTime } from './times.js';

export type MeterAnswer = NonNullable<EndpointResponse<'meter/inquireDetails'>['meter']>;

/** Our choice (Stripe's pre-aggregation windows): the window is stored and echoed, it does not change the arithmetic. */
const EVENT_TIME_WINDOWS = ['DAY', 'HOUR'] as const;
const DEFAULT_VALUE_KEY = 'value';
const EVENT_NAME_SCOPE = 'meter.eventName';

export function meterAnswer(record: ResourceRecord<MeterDoc, MeterStatus>): MeterAnswer {
  return defined({
    meterId: record.id,
    meterName: record.doc.meterName,
    eventName: record.doc.eventName,
    status: record.status,
    aggregationMethod: record.doc.aggregationMethod,
    eventTimeWindow: record.doc.eventTimeWindow,
    valueKeyOverride: record.doc.valueKeyOverride,
    createdDateTime: wireTime(record.createdAt),
    updatedDateTime: wireTime(record.updatedAt),
  });
}

function oneOf<T extends string>(values: readonly T[], value: string, field: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw AmsError.paramIllegal(field, `must be ${values.join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

function meterDocOf(request: EndpointRequest<'meter/create'>): MeterDoc {
  const valueKey = request.valueKeyOverride ?? DEFAULT_VALUE_KEY;
  // An event's payload carries only value and customerId (the protocol's EventPayload): no other key could be read.
  if (valueKey !== DEFAULT_VALUE_KEY) throw AmsError.paramIllegal('valueKeyOverride', `only "${DEFAULT_VALUE_KEY}" is supported: an event payload carries value and customerId`);
  return defined({
    meterName: request.meterName,
    eventName: request.eventName,
    aggregationMethod: oneOf<AggregationMethod>(AGGREGATION_METHODS, request.aggregationMethod, 'aggregationMethod'),
    eventTimeWindow: request.eventTimeWindow === undefined ? undefined : oneOf(EVENT_TIME_WINDOWS, request.eventTimeWindow, 'eventTimeWindow'),
    valueKeyOverride: valueKey,
  });
}

/** The client's meter for an event name, if any. */
export async function meterByEventName(db: Tx | Db, clientId: string, eventName: string): Promise<ResourceRecord<MeterDoc, MeterStatus> | undefined> {
  const page = await listResources(db, METER, clientId, { filters: { eventName }, pageNumber: 1, limit: 1, includeTotal: false });
  return page.items[0];
}

export function meterEndpoints({ engine, database, clock }: ResourceProductDeps) {
  return {
    'meter/create': endpointModule({
      path: 'meter/create',
      handle: async (context, request) => {
        const doc = meterDocOf(request);
        const record = await database.transaction(async (tx) => {
          const now = clock.now();
          const created = await engine.insert(tx, METER, context.clientId, { status: 'ACTIVE', doc }, now);
          const claim = await claimIdempotencyKey(tx, { clientId: context.clientId, scope: EVENT_NAME_SCOPE, requestId: doc.eventName }, {}, created.id, now);
          if (!claim.claimed) {
            throw new AmsError('REPEAT_REQUEST', `eventName: ${doc.eventName} is already counted by meter ${claim.resourceId}`, { field: 'eventName' });
          }
          return created;
        });
        return { result: { ...SUCCESS_RESULT }, meter: meterAnswer(record) };
      },
    }),
    'meter/update': changeEndpoint(engine, METER, {
      path: 'meter/update',
      idOf: (request) => request.meterId,
      decide: (record, request) => {
        if (request.meterName === undefined && request.status === undefined) throw AmsError.paramIllegal('meterName', 'give meterName or status to change');
        if (request.meterName !== undefined && request.meterName.trim() === '') throw AmsError.paramIllegal('meterName', 'must not be blank');
        const status = request.status === undefined ? record.status : oneOf<MeterStatus>(METER_STATUSES, request.status, 'status');
        const meterName = request.meterName ?? record.doc.meterName;
        if (status === record.status && meterName === record.doc.meterName) return { unchanged: true };
        const event = status === record.status ? 'renamed' : status === 'ACTIVE' ? 'activated' : 'deactivated';
        return { status, doc: { ...record.doc, meterName }, event };
      },
      answer: (record) => ({ meter: meterAnswer(record) }),
    }),
    'meter/inquireDetails': detailsEndpoint(engine, METER, {
      path: 'meter/inquireDetails',
      idOf: (request) => ({ id: request.meterId, field: 'meterId' }),
      answer: (record) => ({ meter: meterAnswer(record) }),
    }),
    'meter/inquireList': listEndpoint(engine, METER, {
      path: 'meter/inquireList',
      query: (request) => {
        const status = request.status === undefined ? undefined : oneOf<MeterStatus>(METER_STATUSES, request.status, 'status');
        return numberedPageQuery(request.pageNum, request.pageSize, { meterName: request.meterName, eventName: request.eventName, status }, { number: 'pageNum', size: 'pageSize' }, createdBounds(request.startDateTime, request.endDateTime));
      },
      answer: (page, request) => ({
        pageNum: request.pageNum ?? 1,
        pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
        totalCount: page.total ?? 0,
        meters: page.items.map(meterAnswer),
      }),
    }),
  };
}
