/**
 * `payments/createDeviceCertificate`: certifies a device's public key for
 * the calling client, once per `deviceRequestId`. The certificate is signed
 * before the transaction (a signature is the slow part, kept out of the
 * write lock); the transaction claims the request id and stores it, or
 * finds the one a first request stored and answers that.
 */
import { AmsError, SUCCESS_RESULT, type CreateDeviceCertificateRequest } from '@amsgate/protocol';
import type { ClientRegistry } from '../../auth/client-registry.js';
import type { Clock } from '../../clock.js';
import type { AnswerBody, KeyedHandlerContext } from '../../endpoints/contract.js';
import { claimOrRecorded } from '../../endpoints/idempotency.js';
import { preparedQuery, type Database, type Tx } from '../../schema.js';
import { deviceKeyOf, canonicalDeviceKey, issueDeviceCertificate } from './device-certificate.js';

const selectCertificate = preparedQuery(['clientId', 'deviceRequestId'], (db, p) =>
  db.selectFrom('device_certificates').select(['certificate']).where('client_id', '=', p('clientId')).where('device_request_id', '=', p('deviceRequestId')),
);

export class DeviceCertificateService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    /** Where the gateway's key for a client comes from (the one that signs its answers). */
    private readonly registry: Pick<ClientRegistry, 'get'>,
  ) {}

  async create(context: KeyedHandlerContext, request: CreateDeviceCertificateRequest): Promise<AnswerBody<'payments/createDeviceCertificate'>> {
    const deviceKey = deviceKeyOf(request.devicePublicKey);
    const issuer = await this.registry.get(context.clientId);
    if (!issuer) throw new AmsError('UNKNOWN_EXCEPTION', 'The client has no signing key');
    const now = this.clock.now();
    const issued = await issueDeviceCertificate({
      clientId: context.clientId,
      deviceRequestId: request.deviceRequestId,
      deviceKey,
      signingKey: issuer.signingKey,
      signingKeyVersion: issuer.signingKeyVersion,
      issuedAt: now,
    });
    const certificate = await this.database.transaction(async (tx) => {
      const claim = await claimOrRecorded(tx, context.idempotencyKey, issued.serialNumber, now, () => findCertificate(tx, context.clientId, request.deviceRequestId));
      if (!claim.claimed) return claim.recorded;
      await tx.insertInto('device_certificates').values({
        client_id: context.clientId,
        device_request_id: request.deviceRequestId,
        device_public_key: canonicalDeviceKey(deviceKey),
        serial_number: issued.serialNumber,
        certificate: issued.certificate,
        gateway_key_version: issuer.signingKeyVersion,
        created_at: now,
        not_after: issued.notAfter,
      }).execute();
      return issued.certificate;
    });
    return { result: { ...SUCCESS_RESULT }, deviceCertificate: certificate };
  }
}

async function findCertificate(tx: Tx, clientId: string, deviceRequestId: string): Promise<string | undefined> {
  return (await selectCertificate(tx, { clientId, deviceRequestId })).rows[0]?.certificate;
}
