/** The derived methods never shadow the client's own members (a definition named `request` would silently replace it). */
import { describe, expect, it } from 'vitest';
import { ENDPOINT_DEFINITIONS } from '@amsgate/protocol';
import { AntomClient } from '../src/index.js';

describe('endpoint methods', () => {
  it('no definition\'s method (or namespace) is a name the client already uses', () => {
    const own = new Set(Object.getOwnPropertyNames(AntomClient.prototype));
    for (const name of ['clientId', 'config', 'requester', 'notifications']) own.add(name);
    const tops = Object.values(ENDPOINT_DEFINITIONS).map((definition) => definition.method.split('.')[0]!);
    expect(tops.filter((name) => own.has(name))).toEqual([]);
  });
});
