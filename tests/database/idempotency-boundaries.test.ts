/**
 * The edges of an Idempotency-Key record's life, to the millisecond (the mutation run of issue 24
 * found them unpinned): a record is the same request's until 24 h after it began, and an in-flight
 * or committed record becomes stale only *after* the one-minute take-over limit, not at it.
 */
import { IDEMPOTENCY_TTL_MS, IN_FLIGHT_TIMEOUT_MS, IdempotencyStore, requestFingerprint } from '../../core/idempotency';
import { describeEachDatabase } from '../support/harness';

describeEachDatabase('Idempotency-Key record edges', (h) => {
  let clock = 0;
  let counter = 0;
  const store = () => new IdempotencyStore(h().context.store, () => clock);
  const scope = () => ({ tenantId: 'edge-tenant', dialect: 'stax', method: 'POST', path: '/stax/customer', key: `edge-${(counter += 1)}` });
  const hash = requestFingerprint('POST', '/stax/customer', Buffer.from('{"firstname":"Edge"}'));

  beforeEach(() => {
    clock = 1_800_000_000_000;
  });

  it('is still in flight at exactly the take-over limit, and taken over one millisecond later', async () => {
    const s = scope();
    const first = await store().begin(s, hash);
    expect(first.kind).toBe('proceed');
    clock += IN_FLIGHT_TIMEOUT_MS;
    expect(await store().begin(s, hash)).toEqual({ kind: 'in_flight' });
    clock += 1;
    const takeover = await store().begin(s, hash);
    expect(takeover.kind).toBe('proceed');
    // A take-over is a new fence token: the first request's id no longer names the record.
    expect(takeover.kind === 'proceed' && first.kind === 'proceed' && takeover.recordId !== first.recordId).toBe(true);
  });

  it('replays a completed answer until the moment it expires, and starts afresh at that moment', async () => {
    const s = scope();
    const first = await store().begin(s, hash);
    if (first.kind !== 'proceed') throw new Error(`expected to proceed, got ${first.kind}`);
    await store().complete(first.recordId, 201, { 'content-type': 'application/json' }, '{"id":"edge"}');
    clock += IDEMPOTENCY_TTL_MS - 1;
    expect(await store().begin(s, hash)).toEqual({ kind: 'replay', status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"edge"}' });
    clock += 1;
    const fresh = await store().begin(s, hash);
    expect(fresh.kind).toBe('proceed');
    expect(fresh.kind === 'proceed' && fresh.recordId !== first.recordId).toBe(true);
  });

  it('refuses the same key with another request while the first is in flight', async () => {
    const s = scope();
    expect((await store().begin(s, hash)).kind).toBe('proceed');
    expect(await store().begin(s, requestFingerprint('POST', '/stax/customer', Buffer.from('{"firstname":"Other"}')))).toEqual({ kind: 'mismatch' });
  });

  it('answers two first requests racing for one key with one proceed and one in flight', async () => {
    const s = scope();
    const answers = await Promise.all([store().begin(s, hash), store().begin(s, hash), store().begin(s, hash)]);
    expect(answers.map((a) => a.kind).sort()).toEqual(['in_flight', 'in_flight', 'proceed']);
  });
});
