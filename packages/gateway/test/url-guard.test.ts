/** The notify URL guard's address check: every way an IPv6 address can carry an internal IPv4 one. */
import { describe, expect, it } from 'vitest';
import { isInternalAddress } from '../src/notify/url-guard.js';

describe('isInternalAddress', () => {
  it('refuses internal IPv4 and IPv6 addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.0.1', '100.64.0.1', '::1', '::', 'fd00::2', 'fe80::1']) {
      expect(isInternalAddress(address), address).toBe(true);
    }
  });

  it('refuses an internal IPv4 address carried inside IPv6: mapped, compatible, NAT64, 6to4', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '::169.254.169.254',
      '::a9fe:a9fe',
      '64:ff9b::169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::a00:1',
      '64:ff9b:1::8.8.8.8',
      '2002:a9fe:a9fe::1',
      '2002:7f00:1::',
      '2002:c0a8:0001:0:0:0:0:1',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
  });

  it('allows public addresses, also when carried inside IPv6', () => {
    for (const address of ['8.8.8.8', '93.184.215.14', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2606:4700::1111']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it('refuses what is not an address', () => {
    expect(isInternalAddress('localhost')).toBe(true);
    expect(isInternalAddress('')).toBe(true);
  });
});
