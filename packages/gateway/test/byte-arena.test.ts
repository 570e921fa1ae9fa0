import { describe, expect, it } from 'vitest';
import { ByteArena } from '../src/sandbox/request-log/byte-arena.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('ByteArena (the request log\'s bodies)', () => {
  it('gives back a copy of what was kept, not a reference to the caller\'s buffer', () => {
    const arena = new ByteArena(64);
    const body = bytes('{"paymentId":"PAY-1"}');
    const kept = arena.keep(body);
    body.fill(0);
    expect(arena.read(kept)?.toString('utf8')).toBe('{"paymentId":"PAY-1"}');
    expect(arena.read(arena.keep(Buffer.alloc(0)))?.length).toBe(0);
  });

  it('never lets a copy straddle the end: one that does not fit the rest starts over at the beginning', () => {
    const arena = new ByteArena(10);
    const a = arena.keep(bytes('abcdef'));
    const b = arena.keep(bytes('ghij'));
    const c = arena.keep(bytes('klm')); // 10 bytes used: starts at 0, over "abc"
    expect(arena.read(c)?.toString()).toBe('klm');
    expect(arena.read(b)?.toString()).toBe('ghij');
    expect(arena.read(a)).toBeUndefined();
    const d = arena.keep(bytes('nopqrst')); // from 3 to the end: over "ghij", beside "klm"
    expect(arena.read(d)?.toString()).toBe('nopqrst');
    expect(arena.read(c)?.toString()).toBe('klm');
    expect(arena.read(b)).toBeUndefined();
    const e = arena.keep(bytes('uv')); // the end reached: at 0, over "kl"
    expect(arena.read(e)?.toString()).toBe('uv');
    expect(arena.read(c)).toBeUndefined();
    expect(arena.read(d)?.toString()).toBe('nopqrst');
    const f = arena.keep(bytes('wxyzABCDE')); // 9 bytes from 2 would pass the end: padded, at 0 again, over "uv" and "nopqrs"
    expect(arena.read(f)?.toString()).toBe('wxyzABCDE');
    expect(arena.read(e)).toBeUndefined();
    expect(arena.read(d)).toBeUndefined();
  });

  it('reads an overwritten body as undefined, never as the bytes written over it', () => {
    const arena = new ByteArena(1024);
    const kept = Array.from({ length: 100 }, (_, i) => ({ i, at: arena.keep(bytes(`body-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`)) }));
    for (const { i, at } of kept) {
      const read = arena.read(at);
      if (read !== undefined) expect(read.toString()).toBe(`body-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`);
    }
    // The newest ones are all still there, the oldest are not.
    expect(arena.read(kept[99]!.at)).toBeDefined();
    expect(arena.read(kept[0]!.at)).toBeUndefined();
    const readable = kept.filter(({ at }) => arena.read(at) !== undefined).length;
    expect(readable).toBeGreaterThanOrEqual(Math.floor(1024 / 28) - 1);
  });

  it('takes a body of exactly its size, and refuses a larger one', () => {
    const arena = new ByteArena(8);
    arena.keep(bytes('ab'));
    const whole = arena.keep(bytes('12345678'));
    expect(arena.read(whole)?.toString()).toBe('12345678');
    expect(() => arena.keep(bytes('123456789'))).toThrow(RangeError);
    expect(() => new ByteArena(0)).toThrow(RangeError);
  });
});
