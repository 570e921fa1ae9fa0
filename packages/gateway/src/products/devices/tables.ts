/** The device certificates table (migration 0017, `devices-migration.ts`), as Kysely sees it. */
import type { IntColumn } from '../../store/columns.js';

/** One certificate per `(client, deviceRequestId)`: what a repeat of `payments/createDeviceCertificate` answers. */
export interface DeviceCertificatesTable {
  client_id: string;
  device_request_id: string;
  /** The device key as base64 SPKI DER, however it was sent. */
  device_public_key: string;
  /** Hex of the certificate's serial number. */
  serial_number: string;
  /** Base64 of the certificate's DER: the answer's `deviceCertificate`. */
  certificate: string;
  /** The version of the gateway key for the client that signed it. */
  gateway_key_version: IntColumn;
  created_at: IntColumn;
  not_after: IntColumn;
}

export interface DevicesTables {
  device_certificates: DeviceCertificatesTable;
}
