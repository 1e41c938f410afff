import { hexToUuid, isXid, newObjectId, objectIdToXid, uuidHex, xidToObjectId } from '../../core/ids';

describe('identifiers', () => {
  it('decodes the FluidPay contract example xid to its documented time', () => {
    const hex = xidToObjectId('cp1nqpaq3ou114hqfs90')!;
    expect(new Date(parseInt(hex.slice(0, 8), 16) * 1000).toISOString()).toBe('2024-05-14T15:04:05.000Z');
    expect(objectIdToXid(hex)).toBe('cp1nqpaq3ou114hqfs90');
  });

  it('makes time-ordered object ids whose xid form is 20 base32hex characters ending in 0 or g', () => {
    const a = newObjectId(Date.UTC(2025, 0, 1));
    const b = newObjectId(Date.UTC(2025, 0, 2));
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(a < b).toBe(true);
    const xid = objectIdToXid(a);
    expect(isXid(xid)).toBe(true);
    expect(xidToObjectId(xid)).toBe(a);
  });

  it('turns a UUID into a 32-hex Maast card_id and back', () => {
    const uuid = '5a9e9824-4528-407a-87f3-68a2c68ba719';
    expect(uuidHex(uuid)).toBe('5a9e98244528407a87f368a2c68ba719');
    expect(hexToUuid(uuidHex(uuid))).toBe(uuid);
  });
});
