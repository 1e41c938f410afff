/**
 * Column conventions shared by the entities, so SQLite and MySQL store the same values:
 * times as epoch milliseconds in BIGINT (mysql2 hands BIGINT back as strings, hence the transformer),
 * JSON as text.
 */
import type { ValueTransformer } from 'typeorm';

export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export const integer: ValueTransformer = epochMs;

export const json: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value ?? null)),
  from: (value: string | null) => (value === null || value === undefined ? null : JSON.parse(value)),
};

export const bool: ValueTransformer = {
  to: (value: boolean | undefined) => value,
  from: (value: boolean | number | null) => value === true || value === 1,
};
