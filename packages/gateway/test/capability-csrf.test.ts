/** The buyer forms' CSRF key: shared by every process with the same admin token, so a form rendered by one is accepted by another. */
import { describe, expect, it } from 'vitest';
import { CapabilityCsrf, capabilitySecretOf } from '../src/http/capability-csrf.js';

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
