/**
 * Per-client token buckets. In-process: with several gateway processes each
 * enforces the limit on its own share of the traffic.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  /** `perSecond` 0 disables limiting. */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number = Math.max(1, perSecond * 2),
  ) {}

  /** Takes one token for the client; false when the client is over its limit. */
  take(clientId: string, now: number): boolean {
    if (this.perSecond <= 0) return true;
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      bucket = { tokens: this.burst, updatedAt: now };
      this.buckets.set(clientId, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) * this.perSecond) / 1000);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
