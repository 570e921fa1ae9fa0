/** `amsgate verify`: checks a `signature` header against a message and a public key. */
import { createHash } from 'node:crypto';
import { contentToSign, importPublicKey, KeyFormatError, verifyHeader } from '@amsgate/protocol';
import { CliError, describeContent, EXIT, readBody, readFileBytes } from '../io.js';
import { checkMethod, checkUri, resolveTime } from '../options.js';

export interface VerifyOptions {
  clientId: string;
  time: string;
  uri: string;
  publicKey: string;
  signature: string;
  method: string;
  body?: string;
  explain?: boolean;
}

/** Returns the exit code: 0 valid, 1 not valid. */
export async function verify(options: VerifyOptions, print: (line: string) => void): Promise<number> {
  let publicKey;
  try {
    publicKey = importPublicKey(readFileBytes(options.publicKey, 'public key'));
  } catch (error) {
    if (error instanceof KeyFormatError) throw new CliError(`${options.publicKey}: ${error.message}`);
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
    print(describeContent('Content verified', content, createHash('sha256').update(content).digest('hex')));
  }
  const result = verifyHeader(parts, options.signature, publicKey);
  if (result.ok) {
    if (options.explain) print(`keyVersion in the header: ${result.keyVersion}`);
    print('valid');
    return EXIT.ok;
  }
  print(`invalid: ${result.reason}: ${result.message}`);
  return EXIT.invalid;
}
