/** A raw HTTP request, for what fetch cannot send (absolute-form targets, repeated headers) and to read raw header lines. */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  rawHeaders: string[];
  body: string;
}

export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers: Record<string, string | string[]>; body?: Buffer | string },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: options.method ?? 'POST', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
