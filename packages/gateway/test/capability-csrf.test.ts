/** The buyer forms' CSRF key: shared by every process with the same admin token, so a form rendered by one is accepted by another. */
import { describe, expect, it } from 'vitest';
import { CapabilityCsrf, capabilitySecretOf } from '../src/web/capability-csrf.js';
import { isLoopbackHostname } from '../src/web/loopback-host.js';
import { adminIsOpen } from '../src/gateway.js';

describe('capabilitySecretOf', () => {
  it('derives the same key from the same admin token, another from another, and no key from the token itself', () => {
    const token = 'admin-token-0123456789abcdef';
    const a = capabilitySecretOf(token);
    expect(capabilitySecretOf(token).equals(a)).toBe(true);
    expect(capabilitySecretOf(`${token}x`).equals(a)).toBe(false);
    expect(a.toString('utf8')).not.toContain(token);
    // A page rendered by one process (its token) is accepted by another built from the same admin token.
    const rendered = new CapabilityCsrf('checkout', capabilitySecretOf(token)).tokenFor('PAY1');
    expect(new CapabilityCsrf('checkout', capabilitySecretOf(token)).verify('PAY1', rendered)).toBe(true);
    expect(new CapabilityCsrf('checkout', capabilitySecretOf('another-admin-token-000')).verify('PAY1', rendered)).toBe(false);
    expect(new CapabilityCsrf('authorize', capabilitySecretOf(token)).verify('PAY1', rendered)).toBe(false);
  });

  it('without an admin token, the per-process random key', () => {
    expect(capabilitySecretOf(undefined).equals(capabilitySecretOf(''))).toBe(true);
    expect(capabilitySecretOf(undefined)).toHaveLength(32);
  });
});

describe('isLoopbackHostname and adminIsOpen share one idea of "this machine"', () => {
  it('counts localhost, 127.0.0.0/8 and ::1, in URL or bind spelling, and nothing else', () => {
    for (const name of ['localhost', 'LOCALHOST', '127.0.0.1', '127.9.9.9', '::1', '[::1]']) expect(isLoopbackHostname(name), name).toBe(true);
    for (const name of ['0.0.0.0', '::', '192.0.2.2', 'localhost.evil.example', '127.0.0.1.evil.example', 'evil.example']) expect(isLoopbackHostname(name), name).toBe(false);
    expect(adminIsOpen({ mode: 'sandbox', host: '127.0.0.2' })).toBe(true);
    expect(adminIsOpen({ mode: 'sandbox', host: '0.0.0.0' })).toBe(false);
    expect(adminIsOpen({ mode: 'gateway', host: '127.0.0.1' })).toBe(false);
  });
});
