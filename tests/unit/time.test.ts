import { isoTimestamp } from '../../core/time';

describe('isoTimestamp', () => {
  it('writes exactly what Date#toISOString writes', () => {
    const samples = [0, 1, 999, 1000, 86_399_999, 951_782_400_000 /* 2000-02-29 */, 1_796_576_163_360, -1, -62_135_596_800_000, 253_402_300_799_999, 253_402_300_800_000];
    for (let i = 0; i < 20_000; i += 1) samples.push(Math.floor(Math.random() * 4e13) - 2e13);
    for (const ms of samples) expect([ms, isoTimestamp(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });

  it('throws like Date#toISOString on a time outside the Date range', () => {
    expect(() => isoTimestamp(NaN)).toThrow(RangeError);
  });
});
