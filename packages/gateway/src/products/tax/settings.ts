/**
 * The client's tax settings: initialised once (a second initialisation,
 * under another request id, is REPEAT_REQUEST), read, and changed field by
 * field.
 */
import { AmsError, SUCCESS_RESULT, type EndpointRequest } from '@amsgate/protocol';
import { sql } from 'kysely';
import { endpointModule, keyedEndpointModule, type EndpointModule } from '../../endpoints/contract.js';
import { createEndpoint, defined } from '../../resources/resource-endpoints.js';
import { requestFingerprint } from '../../resources/resource-engine.js';
import type { ResourceRecord } from '../../resources/resource-kind.js';
import { findResource } from '../../resources/resource-store.js';
import type { Db, Tx } from '../../schema.js';
import type { ResourceProductDeps } from '../resource-product-deps.js';
import { parseBehavior, parseCountry } from './calculation.js';
import { TAX_SETTINGS, type TaxSettingsDoc, type TaxSettingsStatus } from './kinds.js';

type SettingsRecord = ResourceRecord<TaxSettingsDoc, TaxSettingsStatus>;
type HeadOffice = TaxSettingsDoc['headOffice'];

/** The client's settings, if initialised. */
export async function findSettings(db: Tx | Db, clientId: string): Promise<SettingsRecord | undefined> {
  const row = await db.selectFrom('resources').select(['id']).where('client_id', '=', clientId).where('kind', '=', TAX_SETTINGS.kind).orderBy('id', 'asc').executeTakeFirst();
  if (row === undefined) return undefined;
  return findResource(db, TAX_SETTINGS, clientId, row.id);
}

/** Serialises a client's writes of one kind on PostgreSQL (SQLite serialises every writer already). */
export async function lockClientKind(deps: ResourceProductDeps, tx: Tx, clientId: string, what: string): Promise<void> {
  if (deps.database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`amsgate:${what}:${clientId}`}))`.execute(tx);
}

function checkHeadOffice(headOffice: HeadOffice, field: string): HeadOffice {
  const address = headOffice.address;
  if (address === undefined) return headOffice;
  const country = address.country === undefined ? undefined : parseCountry(address.country, `${field}.address.country`);
  return { address: defined({ ...address, country, region: address.region?.toUpperCase() }) };
}

/** ACTIVE once the head office says which country it is in; PENDING until then. */
function statusOf(doc: TaxSettingsDoc): TaxSettingsStatus {
  return doc.headOffice.address?.country === undefined ? 'PENDING' : 'ACTIVE';
}

function answer(record: SettingsRecord) {
  return { defaultTaxCode: record.doc.defaultTaxCode, defaultTaxBehavior: record.doc.defaultTaxBehavior, headOffice: record.doc.headOffice, status: record.status };
}

const NOT_INITIALISED = () => new AmsError('RECORD_NOT_FOUND', 'tax settings: none yet for this client; call tax/initializeSettings first');

export function settingsEndpoints(deps: ResourceProductDeps) {
  const { engine } = deps;
  return {
    'tax/initializeSettings': createEndpoint(engine, TAX_SETTINGS, {
      path: 'tax/initializeSettings',
      requestIdField: 'settingsRequestId',
      build: async (request, { tx, clientId }) => {
        const doc: TaxSettingsDoc = {
          defaultTaxCode: request.defaultTaxCode,
          defaultTaxBehavior: parseBehavior(request.defaultTaxBehavior, 'defaultTaxBehavior')!,
          headOffice: checkHeadOffice(request.headOffice, 'headOffice'),
        };
        await lockClientKind(deps, tx, clientId, TAX_SETTINGS.kind);
        const existing = await findSettings(tx, clientId);
        if (existing !== undefined) {
          throw new AmsError('REPEAT_REQUEST', `settingsRequestId: tax settings were already initialised (by settingsRequestId ${existing.requestId ?? existing.id}); change them with tax/updateSettings`, { field: 'settingsRequestId' });
        }
        return { status: statusOf(doc), doc };
      },
      answer,
    }),
    'tax/inquireSettings': endpointModule({
      path: 'tax/inquireSettings',
      handle: async (context) => {
        const settings = await deps.database.read((db) => findSettings(db, context.clientId));
        if (settings === undefined) throw NOT_INITIALISED();
        return { ...answer(settings), result: { ...SUCCESS_RESULT } };
      },
    }),
    'tax/updateSettings': keyedEndpointModule({
      path: 'tax/updateSettings',
      idempotency: { scope: 'tax.settings.update', fingerprint: (request) => requestFingerprint(request, 'settingsUpdateRequestId') },
      handle: async (context, request: EndpointRequest<'tax/updateSettings'>) => {
        if (request.defaultTaxCode === undefined && request.defaultTaxBehavior === undefined && request.headOffice === undefined) {
          throw AmsError.paramIllegal('defaultTaxCode', 'send at least one of defaultTaxCode, defaultTaxBehavior or headOffice to change');
        }
        const behavior = parseBehavior(request.defaultTaxBehavior, 'defaultTaxBehavior');
        const headOffice = request.headOffice === undefined ? undefined : checkHeadOffice(request.headOffice, 'headOffice');
        const settings = await deps.database.read((db) => findSettings(db, context.clientId));
        if (settings === undefined) throw NOT_INITIALISED();
        const record = await engine.changeKeyed(context, TAX_SETTINGS, settings.id, (current) => {
          const doc: TaxSettingsDoc = {
            defaultTaxCode: request.defaultTaxCode ?? current.doc.defaultTaxCode,
            defaultTaxBehavior: behavior ?? current.doc.defaultTaxBehavior,
            headOffice: headOffice ?? current.doc.headOffice,
          };
          return { status: statusOf(doc), doc, event: 'updated' };
        });
        return { ...answer(record), result: { ...SUCCESS_RESULT } };
      },
    }) as EndpointModule<'tax/updateSettings'>,
  };
}
