/**
 * The team's shared signature vectors and their test keys
 * (packages/protocol/test/fixtures), and small helpers the client tests share.
 */
import { readFileSync } from 'node:fs';

export interface Vector {
  id: string;
  direction: 'request' | 'response' | 'notification';
  keyId: string;
  keyVersion: string;
  uri: string;
  clientId: string;
  time: string;
  body: string;
  bodyBase64: string;
  signatureHeader: string;
  headers: Record<string, string>;
  publicKeyBase64: string;
  privateKeyPkcs8Base64: string;
}

interface VectorFile {
  keys: Record<'merchant_v1' | 'merchant_v2' | 'server_v1', { privateKeyPkcs8Base64: string; privateKeyPkcs1Base64: string; publicKeyBase64: string }>;
  vectors: Vector[];
}

const file = JSON.parse(
  readFileSync(new URL('../../protocol/test/fixtures/signature-vectors.json', import.meta.url), 'utf8'),
) as VectorFile;

export const KEYS = file.keys;
export const VECTORS = file.vectors;

export function vector(id: string): Vector {
  const found = VECTORS.find((v) => v.id === id);
  if (!found) throw new Error(`no vector ${id}`);
  return found;
}

/** What `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
