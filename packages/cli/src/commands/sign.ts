/** `amsgate sign`: the `signature` header value for a message. */
import { createHash } from 'node:crypto';
import { contentToSign, importPrivateKey, KeyFormatError, signHeader } from '@amsgate/protocol';
import { CliError, describeContent, readBody, readFileBytes } from '../io.js';
import { checkMethod, checkUri, parseKeyVersion, resolveTime } from '../options.js';

export interface SignOptions {
  clientId: string;
  time: string;
  uri: string;
  key: string;
  keyVersion: string;
  method: string;
  body?: string;
  explain?: boolean;
}

export async function sign(options: SignOptions, print: (line: string) => void): Promise<void> {
  const keyVersion = parseKeyVersion(options.keyVersion);
  let privateKey;
  try {
    privateKey = importPrivateKey(readFileBytes(options.key, 'private key'));
  } catch (error) {
    if (error instanceof KeyFormatError) throw new CliError(`${options.key}: ${error.message}`);
    throw error;
  }
  const parts = {
    method: checkMethod(options.method),
    uri: checkUri(options.uri),
    clientId: options.clientId,
    time: resolveTime(options.time),
    body: await readBody(options.body),
  };
  if (options.explain) {
    const content = contentToSign(parts);
    print(describeContent('Content signed', content, createHash('sha256').update(content).digest('hex')));
    print(`client-id: ${parts.clientId}`);
    print(`request-time: ${parts.time}`);
    print('signature header value:');
  }
  print(signHeader(parts, privateKey, keyVersion));
}
