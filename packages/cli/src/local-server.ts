/**
 * The small local HTTP servers of the command line (`notify listen`,
 * `proxy`): listening on a host and port, reading a request body, running
 * until SIGINT or SIGTERM.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, EXIT } from './io.js';

export interface Listening {
  /** `http://host:port`, with the port the system chose for port 0. */
  url: string;
  close: () => Promise<void>;
}

/** Listens on `host` and `port` (text from the command line; 0: any free port). */
export async function listenOn(server: Server, host: string, portText: string): Promise<Listening> {
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port > 65535) throw new CliError(`--port must be 0-65535, got "${portText}"`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new CliError(`cannot listen on ${host}:${port}: ${error.message}`, EXIT.failed)));
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The whole request body, byte for byte. */
export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl-C, a service manager). */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
