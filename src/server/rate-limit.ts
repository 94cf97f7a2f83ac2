/**
 * A token bucket per bearer token: `burst` requests at once, refilled at `perMinute`. A request
 * over the limit gets how many seconds to wait (the 429's Retry-After). In memory: one server
 * process; behind several, the proxy in front limits instead.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** null when the request may go ahead, else the seconds until it may. */
  take(key: string): number | null {
    const now = this.now();
    const rate = this.limit.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }
}
