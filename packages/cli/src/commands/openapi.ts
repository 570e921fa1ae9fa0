/** `amsgate openapi`: prints the OpenAPI 3.1 document of the AMS endpoints (from the protocol's definitions). */
import { openApiDocument } from '@amsgate/protocol';
import { httpUrlArgument } from '../url-argument.js';

export function openapi(options: { server?: string }, print: (line: string) => void): void {
  const serverUrl = options.server === undefined ? undefined : httpUrlArgument(options.server, '--server', 'http://127.0.0.1:8080').origin;
  print(JSON.stringify(openApiDocument({ serverUrl }), null, 2));
}
