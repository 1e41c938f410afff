/**
 * Row checks every preset shares, the rules a dialect's create applies (Luhn, expiry, lengths,
 * country): collected as problems instead of thrown, so one bad row never stops a run.
 */
import { isExpired, passesAbaChecksum, passesLuhn } from '../cards';
import { isObjectIdHex, isUuid } from '../ids';
import type { RowProblem } from './preset';

export class RowChecks {
  readonly problems: RowProblem[] = [];

  add(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** An optional string: absent, null or "" is null; other types and over-long text are problems. */
  text(row: Record<string, unknown>, key: string, field: string, max: number): string | null {
    const value = row[key];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'number' || typeof value === 'boolean') return this.text({ [key]: String(value) }, key, field, max);
    if (typeof value !== 'string') {
      this.add(field, 'must be a string');
      return null;
    }
    if (value.length > max) this.add(field, `must be at most ${max} characters`);
    return value;
  }

  required(value: string | null, field: string): string | null {
    if (value === null) this.add(field, 'is required');
    return value;
  }

  uuid(value: string | null, field: string): string | undefined {
    if (value === null) return undefined;
    if (!isUuid(value)) this.add(field, 'must be a UUID');
    return value.toLowerCase();
  }

  objectId(value: string | null, field: string): string | undefined {
    if (value === null) return undefined;
    if (!isObjectIdHex(value)) this.add(field, 'must be 24 hexadecimal digits');
    return value.toLowerCase();
  }

  /** A card number: digits (spaces and dashes dropped), length within the dialect's range, Luhn. */
  pan(value: string | null, field: string, lengths: [number, number]): string | null {
    if (value === null) return this.required(null, field);
    const digits = value.replace(/[\s-]/g, '');
    if (!/^[0-9]+$/.test(digits) || digits.length < lengths[0] || digits.length > lengths[1] || !passesLuhn(digits)) {
      this.add(field, 'invalid card number');
      return null;
    }
    return digits;
  }

  routing(value: string | null, field: string): string | null {
    if (value === null || !passesAbaChecksum(value)) {
      this.add(field, 'invalid routing number');
      return null;
    }
    return value;
  }

  account(value: string | null, field: string): string | null {
    if (value === null || !/^[0-9]{4,17}$/.test(value)) {
      this.add(field, 'must be 4 to 17 digits');
      return null;
    }
    return value;
  }

  /** `MMYY`, `MM/YY`, `MMYYYY` or `MM/YYYY`; expired cards are refused where the dialect's create refuses them. */
  expiry(value: string | null, field: string, now: number, refuseExpired: boolean): { expMonth: number; expYear: number } | null {
    const match = value === null ? null : /^(0[1-9]|1[0-2])\/?([0-9]{2}|[0-9]{4})$/.exec(value);
    if (!match) {
      this.add(field, 'must be a month and year, MMYY');
      return null;
    }
    const expMonth = Number(match[1]);
    const expYear = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
    if (refuseExpired && isExpired(expMonth, expYear, now)) this.add(field, 'card is expired');
    return { expMonth, expYear };
  }

  /** A time the file gives (ISO 8601 or `YYYY-MM-DD HH:MM:SS` UTC) as epoch ms; absent is undefined. */
  time(value: string | null, field: string): number | undefined {
    if (value === null) return undefined;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? value.replace(' ', 'T') + 'Z' : value);
    if (Number.isNaN(ms)) this.add(field, 'must be a date and time');
    return Number.isNaN(ms) ? undefined : ms;
  }

  list(row: Record<string, unknown>, key: string, field: string): Record<string, unknown>[] {
    const value = row[key];
    if (value === undefined || value === null || value === '') return [];
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
      this.add(field, 'must be a list of objects');
      return [];
    }
    return value as Record<string, unknown>[];
  }
}

/** A masked number for reports: never more than the first six and last four digits. */
export function maskForReport(value: string): string {
  const digits = value.replace(/[^0-9]/g, '');
  if (digits.length < 12) return '*'.repeat(digits.length);
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}
