/**
 * Request budgets per API key and per tenant (token buckets), and a growing delay for addresses
 * that keep presenting bad credentials. Kept in process memory: each gateway process enforces its
 * own budget (with N processes a client gets at most N times the budget); see docs/security.md.
 */
export interface RateLimitSettings {
  /** Requests per minute per API key; 0 = unlimited. */
  perKeyPerMinute: number;
  /** Requests per minute per tenant (all its keys); 0 = unlimited. */
  perTenantPerMinute: number;
  /** Bad-credential answers per minute from one address before each further one is delayed. */
  badCredentialsPerMinute: number;
  /** Largest delay added to a bad-credential answer. */
  maxPenaltyMs: number;
}

class TokenBucket {
  private tokens: number;
  private updated: number;
  constructor(
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updated = now;
  }
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(now: number): number {
    const refillPerMs = this.capacity / 60_000;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updated) * refillPerMs);
    this.updated = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / refillPerMs / 1000));
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  constructor(
    readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private bucket(id: string, capacity: number): TokenBucket {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      bucket = new TokenBucket(capacity, this.now());
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  /** Seconds to wait before retrying, or 0 when the request may go on. */
  admit(keyId: string, tenantId: string): number {
    const now = this.now();
    if (this.settings.perKeyPerMinute > 0) {
      const wait = this.bucket(`key:${keyId}`, this.settings.perKeyPerMinute).take(now);
      if (wait > 0) return wait;
    }
    if (this.settings.perTenantPerMinute > 0) {
      const wait = this.bucket(`tenant:${tenantId}`, this.settings.perTenantPerMinute).take(now);
      if (wait > 0) return wait;
    }
    return 0;
  }

  /** Records a bad credential from an address and returns how long to hold its answer back. */
  penalty(address: string): number {
    if (this.settings.badCredentialsPerMinute <= 0) return 0;
    const now = this.now();
    let entry = this.failures.get(address);
    if (!entry || now - entry.windowStart > 60_000) {
      if (this.failures.size > 100_000) this.failures.clear();
      entry = { count: 0, windowStart: now };
      this.failures.set(address, entry);
    }
    entry.count += 1;
    const excess = entry.count - this.settings.badCredentialsPerMinute;
    return excess > 0 ? Math.min(this.settings.maxPenaltyMs, 100 * 2 ** Math.min(excess - 1, 10)) : 0;
  }
}
