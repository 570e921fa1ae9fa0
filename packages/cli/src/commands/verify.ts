/** `amsgate verify`: checks a `signature` header against a message and a public key. */
import { importPublicKey, verifyHeader } from '@amsgate/protocol';
import { EXIT } from '../io.js';
import { explainContent, loadKey, messageParts, type MessageOptions } from '../message.js';

export interface VerifyOptions extends MessageOptions {
  publicKey: string;
  signature: string;
}

/** Returns the exit code: 0 valid, 1 not valid. */
export async function verify(options: VerifyOptions, print: (line: string) => void): Promise<number> {
  const publicKey = loadKey(options.publicKey, 'public key', importPublicKey);
  const parts = await messageParts(options);
  if (options.explain) print(explainContent('Content verified', parts));
  const result = verifyHeader(parts, options.signature, publicKey);
  if (result.ok) {
    if (options.explain) print(`keyVersion in the header: ${result.keyVersion}`);
    print('valid');
    return EXIT.ok;
  }
  print(`invalid: ${result.reason}: ${result.message}`);
  return EXIT.invalid;
}
