/**
 * The request log's bodies, copied into one block of memory allocated once
 * and written round and round.
 *
 * Why not keep a reference to each body's Buffer: a body lives about as
 * long as the ring keeps its entry (a second at a thousand requests a
 * second), long enough to be promoted out of V8's young generation, and
 * each Buffer holds a slice of an 8 KiB pool slab outside the heap. Old
 * space and external memory then grew by megabytes a second and V8 ran a
 * full mark-compact every two or three seconds (5–11 ms each on the
 * JavaScript thread): measured, the soak's 99th percentile. Copied here,
 * a body adds nothing for the garbage collector to trace or free.
 *
 * A body stays readable until `size` more bytes have been kept after it.
 * The log sizes the arena so that its entries' bodies normally outlive the
 * entries; an older body reads as undefined, never as other bytes.
 */
export interface KeptBytes {
  /** Where the copy starts, counted in bytes kept since the arena was made (never wraps). */
  readonly at: number;
  readonly length: number;
}

export class ByteArena {
  private readonly memory: Buffer;
  /** Bytes kept so far, padding at the wrap included: the position of the next copy. */
  private written = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('the byte arena size must be a positive integer');
    this.memory = Buffer.alloc(size);
  }

  /** Copies `data` (at most `size` bytes) in; a copy never straddles the end, so one read is one slice. */
  keep(data: Uint8Array): KeptBytes {
    if (data.length > this.size) throw new RangeError(`${data.length} bytes do not fit an arena of ${this.size}`);
    const offset = this.written % this.size;
    if (offset + data.length > this.size) this.written += this.size - offset;
    const at = this.written;
    this.memory.set(data, at % this.size);
    this.written += data.length;
    return { at, length: data.length };
  }

  /**
   * The kept bytes, or undefined once later copies have overwritten them.
   * A view of the arena, valid until the next `keep`: copy or decode it
   * before anything else is kept.
   */
  read(kept: KeptBytes): Buffer | undefined {
    if (this.written - kept.at > this.size) return undefined;
    const offset = kept.at % this.size;
    return this.memory.subarray(offset, offset + kept.length);
  }
}
