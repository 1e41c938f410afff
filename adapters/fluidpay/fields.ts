/**
 * Reading request fields one at a time, in the order the contract's tables list them, so that the
 * first failure reported is the first failing field (§3.5 step 5). `null` counts as absent (§7.1);
 * nothing is coerced; lengths count Unicode code points.
 */
import { isPlainObject } from '../shared/body';
import { invalidField } from './errors';

export type JsonObject = Record<string, unknown>;

export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A JSON object being read, with the path prefix its fields are reported under (`default_payment.card`). */
export class FieldReader {
  constructor(
    readonly object: JsonObject,
    readonly prefix: string = '',
  ) {}

  path(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}.${key}`;
  }

  /** True when the key is missing or null. */
  absent(key: string): boolean {
    return this.object[key] === undefined || this.object[key] === null;
  }

  /** A string field or undefined when absent; `max` in code points. */
  string(key: string, max?: number): string | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidField(this.path(key), 'must be a string');
    if (max !== undefined && codePoints(value) > max) throw invalidField(this.path(key), `must be at most ${max} characters`);
    return value;
  }

  /** A nested object, or undefined when absent. */
  object_(key: string): FieldReader | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) throw invalidField(this.path(key), 'must be an object');
    return new FieldReader(value, this.path(key));
  }

  /** An array of strings, each checked by `allowed`; duplicates collapse to one (first position kept). */
  flags(key: string, allowed: readonly string[]): string[] | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidField(this.path(key), 'must be an array of strings');
    const flags: string[] = [];
    (value as string[]).forEach((flag, index) => {
      if (!allowed.includes(flag)) throw invalidField(`${this.path(key)}[${index}]`, 'invalid flag');
      if (!flags.includes(flag)) flags.push(flag);
    });
    return flags;
  }

  /** An integer (a JSON number without fraction), or undefined when absent. */
  integer(key: string): number | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidField(this.path(key), 'must be an integer');
    return value;
  }
}
