import { readFileSync } from 'node:fs';

export interface PositiveVector {
  id: string;
  direction: 'request' | 'response' | 'notification';
  keyId: string;
  keyVersion: string;
  method: string;
  uri: string;
  clientId: string;
  timeHeader: string;
  time: string;
  body: string;
  bodyBase64: string;
  bodyByteLength: number;
  contentToBeSigned: string;
  contentToBeSignedBase64: string;
  contentToBeSignedSha256Hex: string;
  signatureBase64: string;
  signatureUrlEncoded: string;
  signatureHeader: string;
  headers: Record<string, string>;
  privateKeyPkcs8Base64: string;
  privateKeyPkcs1Base64: string;
  publicKeyBase64: string;
}

export interface NegativeVector {
  id: string;
  basedOn: string;
  mutation: string;
  method: string;
  uri: string;
  clientId: string;
  time: string;
  bodyBase64: string;
  contentToBeSigned: string;
  signatureUrlEncoded: string;
  signatureBase64: string;
  publicKeyBase64: string;
  expectedValid: false;
}

export interface VectorFile {
  keys: Record<string, { privateKeyPkcs8Base64: string; privateKeyPkcs1Base64: string; publicKeyBase64: string }>;
  vectors: PositiveVector[];
  negativeVectors: NegativeVector[];
}

export const vectorFile: VectorFile = JSON.parse(
  readFileSync(new URL('./fixtures/signature-vectors.json', import.meta.url), 'utf8'),
) as VectorFile;
