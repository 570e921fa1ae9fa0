import { describe, expect, it } from 'vitest';
import { readAgentToken, readHeader } from '../src/index.js';

describe('readHeader', () => {
  it('reads node:http header records case-insensitively', () => {
    const headers = { 'Client-Id': 'C1', 'request-time': '1', Signature: 's' };
    expect(readHeader(headers, 'client-id')).toBe('C1');
    expect(readHeader(headers, 'REQUEST-TIME')).toBe('1');
    expect(readHeader(headers, 'signature')).toBe('s');
    expect(readHeader(headers, 'agent-token')).toBeUndefined();
  });

  it('reads fetch Headers', () => {
    expect(readHeader(new Headers({ 'Response-Time': 't' }), 'response-time')).toBe('t');
  });

  it('treats a repeated header as absent', () => {
    expect(readHeader({ signature: ['a', 'b'] }, 'signature')).toBeUndefined();
  });

  it('treats an empty agent-token (Go SDK) as absent', () => {
    expect(readAgentToken({ 'agent-token': '' })).toBeUndefined();
    expect(readAgentToken({ 'Agent-Token': ' tok ' })).toBe('tok');
  });
});
