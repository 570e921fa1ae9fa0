import { describe, expect, it } from 'vitest';
import { idTimeBound, newAgentToken, newId } from '../src/ids.js';

describe('ids', () => {
  it('are a prefix, ten characters of time and sixteen random Crockford base32 characters, unique across refills of the random buffer', () => {
    const at = Date.UTC(2026, 11, 7);
    // 20,000 ids draw 320,000 random bytes: about 78 refills of the 4 KiB buffer.
    const ids = Array.from({ length: 20_000 }, () => newId('PAY', at));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^PAY[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(3, 13))).size).toBe(1);
    // Every one of the 32 characters turns up in the random part.
    expect(new Set(ids.flatMap((id) => [...id.slice(13)])).size).toBe(32);
  });

  it('sort by creation time', () => {
    const earlier = newId('PAY', 1_000_000);
    const later = newId('PAY', 1_000_001);
    expect(earlier < later).toBe(true);
    expect(idTimeBound('PAY', 1_000_001) > earlier).toBe(true);
    expect(idTimeBound('PAY', 1_000_001) <= later).toBe(true);
  });

  it('agent tokens are 48 random characters', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, () => newAgentToken()));
    expect(tokens.size).toBe(1_000);
    for (const token of tokens) expect(token).toHaveLength(48);
  });
});
