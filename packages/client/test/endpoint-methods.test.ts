/** The derived methods never shadow the client's own members (a definition named `request` would silently replace it). */
import { describe, expect, it, vi } from 'vitest';
import { ENDPOINT_DEFINITIONS, generateKeyPair } from '@amsgate/protocol';
import { AntomClient } from '../src/index.js';

describe('endpoint methods', () => {
  const methods = Object.values(ENDPOINT_DEFINITIONS).map((definition) => definition.method);
  const flat = methods.filter((method) => !method.includes('.'));
  const namespaces = [...new Set(methods.filter((method) => method.includes('.')).map((method) => method.split('.')[0]!))];

  it('no definition\'s method (or namespace) is a name the client already uses', () => {
    const handWritten = Object.getOwnPropertyNames(AntomClient.prototype).filter((name) => !(flat as string[]).includes(name));
    const fields = ['clientId', 'config', 'requester', 'notifications'];
    expect([...flat, ...namespaces].filter((name) => handWritten.includes(name) || fields.includes(name))).toEqual([]);
  });

  it('flat methods live on the prototype (overridable, spyable), namespaces on the instance', async () => {
    for (const name of flat) expect(typeof Object.getOwnPropertyDescriptor(AntomClient.prototype, name)?.value, name).toBe('function');
    const spy = vi.spyOn(AntomClient.prototype, 'inquiryPayment');
    const keys = await generateKeyPair();
    const offline = async (): Promise<Response> => {
      throw new Error('offline');
    };
    const client = new AntomClient({ clientId: 'SANDBOX_X', privateKey: keys.privateKey, antomPublicKey: keys.publicKey, baseUrl: 'http://127.0.0.1:9', fetch: offline, maxRetries: 0 });
    for (const namespace of namespaces) expect(Object.prototype.hasOwnProperty.call(client, namespace), namespace).toBe(true);
    await client.inquiryPayment({ paymentId: 'PAY-1' }).catch(() => undefined);
    expect(spy).toHaveBeenCalledWith({ paymentId: 'PAY-1' });
    spy.mockRestore();
  });
});
