/** `amsgate sign`: the `signature` header value for a message. */
import { importPrivateKey, signHeader } from '@amsgate/protocol';
import { explainContent, loadKey, messageParts, type MessageOptions } from '../message.js';
import { parseKeyVersion } from '../options.js';

export interface SignOptions extends MessageOptions {
  key: string;
  keyVersion: string;
}

export async function sign(options: SignOptions, print: (line: string) => void): Promise<void> {
  const keyVersion = parseKeyVersion(options.keyVersion);
  const privateKey = loadKey(options.key, 'private key', importPrivateKey);
  const parts = await messageParts(options);
  if (options.explain) {
    print(explainContent('Content signed', parts));
    print(`client-id: ${parts.clientId}`);
    print(`request-time: ${parts.time}`);
    print('signature header value:');
  }
  print(signHeader(parts, privateKey, keyVersion));
}
