/** What `sign` and `verify` share: the message options, turned into signed parts, and key loading. */
import { createHash, type KeyObject } from 'node:crypto';
import { contentToSign, KeyFormatError, type KeyInput, type SignedParts } from '@amsgate/protocol';
import { CliError, describeContent, readBody, readFileBytes } from './io.js';
import { checkMethod, checkUri, resolveTime } from './options.js';

export interface MessageOptions {
  clientId: string;
  time: string;
  uri: string;
  method: string;
  body?: string;
  explain?: boolean;
}

export async function messageParts(options: MessageOptions): Promise<SignedParts> {
  return {
    method: checkMethod(options.method),
    uri: checkUri(options.uri),
    clientId: options.clientId,
    time: resolveTime(options.time),
    body: await readBody(options.body),
  };
}

/** Reads and imports a key file; a wrong kind of key becomes a one-line error naming the file. */
export function loadKey(path: string, what: string, importKey: (input: KeyInput) => KeyObject): KeyObject {
  try {
    return importKey(readFileBytes(path, what));
  } catch (error) {
    if (error instanceof KeyFormatError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

export function explainContent(label: string, parts: SignedParts): string {
  const content = contentToSign(parts);
  return describeContent(label, content, createHash('sha256').update(content).digest('hex'));
}
