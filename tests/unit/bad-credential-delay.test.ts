/**
 * The delay added to bad-credential answers from one address (gateway/rateLimits.ts): free up to
 * the per-minute allowance, then 100 ms doubling on each further failure, never past the configured
 * maximum, and forgotten a minute after the first failure of the window. The HTTP tests
 * (tests/security/rate-limits.test.ts) see the first steps through real requests; the whole
 * ladder is checked here with a fake clock, since a real one would take seconds per step.
 */
import { RateLimiter, type RateLimitSettings } from '../../gateway/rateLimits';

function limiter(settings: Partial<RateLimitSettings>) {
  const clock = { now: 1_000_000 };
  const rl = new RateLimiter({ perKeyPerMinute: 0, perTenantPerMinute: 0, badCredentialsPerMinute: 2, maxPenaltyMs: 5000, ...settings }, () => clock.now);
  return { rl, clock };
}

describe('bad-credential delay', () => {
  it('is free within the allowance, then doubles from 100 ms up to the configured maximum', () => {
    const { rl } = limiter({ maxPenaltyMs: 5000 });
    const delays = Array.from({ length: 12 }, () => rl.penalty('203.0.113.7'));
    expect(delays).toEqual([0, 0, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  });

  it('stops doubling at 100 ms × 2^10 when the maximum is higher than that', () => {
    const { rl } = limiter({ badCredentialsPerMinute: 1, maxPenaltyMs: 10_000_000 });
    const delays = Array.from({ length: 15 }, () => rl.penalty('203.0.113.7'));
    expect(delays.slice(0, 4)).toEqual([0, 100, 200, 400]);
    expect(delays[11]).toBe(102_400);
    expect(delays.slice(12)).toEqual([102_400, 102_400, 102_400]);
  });

  it('counts each address on its own', () => {
    const { rl } = limiter({});
    for (let i = 0; i < 4; i++) rl.penalty('203.0.113.7');
    expect(rl.penalty('198.51.100.1')).toBe(0);
    expect(rl.penalty('203.0.113.7')).toBe(400);
  });

  it('starts again a minute after the first failure of the window', () => {
    const { rl, clock } = limiter({});
    for (let i = 0; i < 4; i++) rl.penalty('203.0.113.7');
    clock.now += 60_000;
    expect(rl.penalty('203.0.113.7')).toBe(400); // still the same window at exactly one minute
    clock.now += 1;
    expect(rl.penalty('203.0.113.7')).toBe(0);
  });

  it('never delays when the allowance is 0 (the feature is off)', () => {
    const { rl } = limiter({ badCredentialsPerMinute: 0 });
    expect(Array.from({ length: 5 }, () => rl.penalty('203.0.113.7'))).toEqual([0, 0, 0, 0, 0]);
  });
});
