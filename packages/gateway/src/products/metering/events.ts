/**
 * `meter/uploadEvent`: each batch names an event name, each of its events
 * is checked on its own. An accepted event is stored once per meter and
 * idempotency key (a repeat is acknowledged, not counted again); a refused
 * one is answered in `errors` with its code, and the refusals of an event
 * name are notified (METER_EVENT) as Antom reports asynchronous rejections.
 */
import { AmsError, SUCCESS_RESULT, type EndpointRequest, type EndpointResponse } from '@amsgate/protocol';
import { endpointModule } from '../../endpoints/contract.js';
import { claimIdempotencyKey } from '../../endpoints/idempotency.js';
import { newResourceId } from '../../ids.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { insertResource } from '../../resources/resource-store.js';
import type { Tx } from '../../schema.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { METER_EVENT, type MeterDoc, type MeterEventDoc, type MeterStatus } from './kinds.js';
import { meterByEventName } from './meters.js';

type Batch = EndpointRequest<'meter/uploadEvent'>['meters'][number];
type UploadedEvent = NonNullable<Batch['events']>[number];
type ErrorAnswer = NonNullable<EndpointResponse<'meter/uploadEvent'>['errors']>[number];

/** Our choices (Stripe's limits): events at most 35 days old or 5 minutes ahead; 500 events per upload. */
export const EVENT_MAX_AGE_MS = 35 * 24 * 3_600_000;
export const EVENT_MAX_AHEAD_MS = 5 * 60_000;
export const MAX_EVENTS_PER_UPLOAD = 500;
/** A value is a whole number of units, so usage sums exactly (18 digits keep a sum of 500 within 64 bits). */
const VALUE_PATTERN = /^(0|[1-9][0-9]{0,17})$/;

export type EventErrorCode = 'METER_NOT_FOUND' | 'METER_INACTIVE' | 'PARAM_ILLEGAL' | 'INVALID_VALUE' | 'TIMESTAMP_OUT_OF_RANGE';

interface Refusal {
  readonly groupIndex: number;
  readonly index: number;
  readonly eventName: string;
  readonly event: UploadedEvent;
  readonly errorCode: EventErrorCode;
}

function checkShape(request: EndpointRequest<'meter/uploadEvent'>): void {
  if (request.meters.length === 0) throw AmsError.paramIllegal('meters', 'must hold at least one batch');
  let total = 0;
  request.meters.forEach((batch, i) => {
    if (batch.eventName === undefined || batch.eventName === '') throw AmsError.paramIllegal(`meters[${i}].eventName`, 'is required');
    if (batch.events === undefined || batch.events.length === 0) throw AmsError.paramIllegal(`meters[${i}].events`, 'must hold at least one event');
    total += batch.events.length;
  });
  if (total > MAX_EVENTS_PER_UPLOAD) throw AmsError.paramIllegal('meters', `at most ${MAX_EVENTS_PER_UPLOAD} events per upload, got ${total}`);
}

/** The event's value as stored, or why it is refused (a COUNT meter needs none). */
function eventValue(meter: MeterDoc, event: UploadedEvent): { value: string } | { errorCode: EventErrorCode } {
  const raw = event.payload?.value;
  if (raw === undefined) return meter.aggregationMethod === 'COUNT' ? { value: '0' } : { errorCode: 'INVALID_VALUE' };
  return VALUE_PATTERN.test(raw) ? { value: raw } : { errorCode: 'INVALID_VALUE' };
}

export function eventEndpoints({ database, clock, outbox }: ResourceProductDeps) {
  /** Stores one event unless its key was seen for this meter; answers false for a repeat. */
  async function accept(tx: Tx, clientId: string, meter: ResourceRecord<MeterDoc, MeterStatus>, doc: MeterEventDoc, now: number): Promise<boolean> {
    const id = newResourceId(METER_EVENT.idPrefix, now);
    if (doc.idempotencyKey !== undefined) {
      const claim = await claimIdempotencyKey(tx, { clientId, scope: `meter.event/${meter.id}`, requestId: doc.idempotencyKey }, {}, id, now);
      if (!claim.claimed) return false;
    }
    await insertResource(tx, METER_EVENT, clientId, { id, status: 'ACCEPTED', doc, now });
    return true;
  }

  async function notifyRefusals(tx: Tx, clientId: string, uploadId: string, refusals: Refusal[], now: number): Promise<void> {
    const byName = new Map<string, Refusal[]>();
    for (const refusal of refusals) byName.set(refusal.eventName, [...(byName.get(refusal.eventName) ?? []), refusal]);
    for (const [eventName, ofName] of byName) {
      await outbox.record(tx, {
        clientId,
        notifyType: 'METER_EVENT',
        eventKey: `meterEvent:${uploadId}:${eventName}`,
        resourceId: uploadId,
        requestUrl: null,
        body: {
          notifyType: 'METER_EVENT',
          result: { ...SUCCESS_RESULT },
          eventName,
          errorEvents: ofName.map(({ event, errorCode }) => ({
            errorCode,
            ...(event.idempotencyKey !== undefined ? { idempotencyKey: event.idempotencyKey } : {}),
            ...(event.eventTimestamp !== undefined ? { eventTimestamp: event.eventTimestamp } : {}),
            ...(event.payload !== undefined ? { payload: event.payload } : {}),
          })),
        },
      }, now);
    }
  }

  return {
    'meter/uploadEvent': endpointModule({
      path: 'meter/uploadEvent',
      handle: async (context, request) => {
        checkShape(request);
        const refusals = await database.transaction(async (tx) => {
          const now = clock.now();
          const refused: Refusal[] = [];
          let position = 0;
          for (const [groupIndex, batch] of request.meters.entries()) {
            const eventName = batch.eventName as string;
            const meter = await meterByEventName(tx, context.clientId, eventName);
            for (const [index, event] of (batch.events ?? []).entries()) {
              const refuse = (errorCode: EventErrorCode) => refused.push({ groupIndex, index, eventName, event, errorCode });
              if (meter === undefined) { refuse('METER_NOT_FOUND'); continue; }
              if (meter.status !== 'ACTIVE') { refuse('METER_INACTIVE'); continue; }
              const customerId = event.payload?.customerId;
              if (customerId === undefined || customerId === '') { refuse('PARAM_ILLEGAL'); continue; }
              const eventTimestamp = event.eventTimestamp ?? now;
              if (eventTimestamp < now - EVENT_MAX_AGE_MS || eventTimestamp > now + EVENT_MAX_AHEAD_MS) { refuse('TIMESTAMP_OUT_OF_RANGE'); continue; }
              const value = eventValue(meter.doc, event);
              if ('errorCode' in value) { refuse(value.errorCode); continue; }
              position += 1;
              await accept(tx, context.clientId, meter, {
                meterId: meter.id, eventName, customerId, eventTimestamp, value: value.value, position,
                ...(event.idempotencyKey !== undefined ? { idempotencyKey: event.idempotencyKey } : {}),
              }, now);
            }
          }
          if (refused.length > 0) await notifyRefusals(tx, context.clientId, crypto.randomUUID(), refused, now);
          return refused;
        });
        return {
          result: { ...SUCCESS_RESULT },
          ...(refusals.length > 0 ? { errors: refusals.map(errorAnswer) } : {}),
        };
      },
    }),
  };
}

function errorAnswer(refusal: Refusal): ErrorAnswer {
  return {
    groupIndex: refusal.groupIndex,
    index: refusal.index,
    eventName: refusal.eventName,
    ...(refusal.event.idempotencyKey !== undefined ? { idempotencyKey: refusal.event.idempotencyKey } : {}),
    ...(refusal.event.payload?.customerId !== undefined ? { customerId: refusal.event.payload.customerId } : {}),
    errorCode: refusal.errorCode,
  };
}
