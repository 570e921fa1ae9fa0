// A keep-alive HTTP/1.1 connection for the benchmarks' load generators,
// which share the machine's cores with the gateway they measure: it writes
// pre-serialised requests and parses only the status, Content-Length and
// body of each response (node:http's client costs about twice the CPU).
import net from 'node:net';

/** `send(raw, callback)`: one request at a time; callback(error, status, body). */
export class RawConnection {
  constructor(url) {
    this.url = url;
    this.pending = undefined;
    this.buffer = Buffer.alloc(0);
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true }, resolve);
      this.socket.once('error', reject);
      this.socket.on('data', (chunk) => this.onData(chunk));
      this.socket.on('error', (error) => this.settle(error));
      this.socket.on('close', () => this.settle(new Error('connection closed')));
    });
  }

  send(raw, callback) {
    // A socket the server closed (an idle keep-alive timeout, say) takes no request: fail it now, not never.
    if (this.socket.destroyed) {
      callback(new Error('connection closed'));
      return;
    }
    this.pending = callback;
    this.socket.write(raw);
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headerEnd = this.buffer.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const head = this.buffer.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const match = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!match) return this.settle(new Error(`response without Content-Length: ${head.slice(0, 200)}`));
    const total = headerEnd + 4 + Number(match[1]);
    if (this.buffer.length < total) return;
    const body = this.buffer.subarray(headerEnd + 4, total);
    this.buffer = this.buffer.subarray(total);
    this.settle(undefined, status, body);
  }

  settle(error, status, body) {
    const callback = this.pending;
    this.pending = undefined;
    callback?.(error, status, body);
  }

  close() {
    this.socket?.destroy();
  }
}


/** A request serialised once: the measured loops only write bytes. */
export function serialiseRequest(url, uri, headers, body) {
  const head = `POST ${uri} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: ${body.length}\r\n` + Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('') + '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
