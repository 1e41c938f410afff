/**
 * Applies the request schemas: the coercions of contract §7.1 (driven by `x-coerce`), then ajv
 * (compiled once), then the translation of ajv's errors into the catalogue's field paths and
 * messages (§3.4, §3.6).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../shared/ajv';
import { isPlainObject } from '../shared/body';
import type { Issues } from './errors';
import { REQUEST_SCHEMAS, type FieldSchema, type RequestSchemaName } from './schemas';

/** Applies `x-coerce` and drops unknown members and `null`s ("absent" everywhere, §7.1). */
export function coerce(schema: FieldSchema, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (schema['x-coerce']) {
    case 'text':
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      break;
    case 'boolean':
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      break;
    case 'integer':
      if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
      break;
    case 'list':
      if (typeof value === 'string' || typeof value === 'number') return [coerce(schema.items ?? { type: 'string' }, value)];
      break;
  }
  if (schema.type === 'object' && isPlainObject(value) && schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(schema.properties)) {
      const coerced = coerce(member, value[name]);
      if (coerced !== undefined) out[name] = coerced;
    }
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    const items = schema.items;
    // A null inside an array stays null so that it is reported rather than silently shifting indexes.
    return value.map((item) => (item === null ? null : coerce(items, item)));
  }
  return value;
}

/** `/billing_cards/0/exp_date` → `billing_cards[0].exp_date`. */
export function fieldPath(prefix: string, instancePath: string): string {
  let path = prefix;
  for (const segment of instancePath.split('/').slice(1)) {
    const name = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^[0-9]+$/.test(name)) path += `[${name}]`;
    else path += path === '' ? name : `.${name}`;
  }
  return path;
}

/** The field name a message speaks of: the last named segment (`billing_email[0]` → `billing_email`). */
function leafName(instancePath: string, fallback: string): string {
  const named = instancePath.split('/').filter((segment) => segment !== '' && !/^[0-9]+$/.test(segment));
  return named.length > 0 ? named[named.length - 1] : fallback;
}

const ARTICLE: Record<string, string> = { integer: 'an integer', array: 'an array', object: 'an object', string: 'a string', boolean: 'a boolean' };

function messageOf(error: ErrorObject, leaf: string): string {
  const parent = (error.parentSchema ?? {}) as FieldSchema;
  switch (error.keyword) {
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      return `${leaf} must be ${ARTICLE[expected] ?? `a ${expected}`}`;
    }
    case 'maxLength':
      return `${leaf} must be at most ${(error.params as { limit: number }).limit} characters`;
    default:
      return parent['x-message'] ?? `${leaf} is invalid`;
  }
}

/** Ajv's keyword order within one value is not the rule order of the catalogue: type errors come first. */
const KEYWORD_RANK: Record<string, number> = { type: 0, maxLength: 1 };

export interface SchemaChecker {
  /** Coerces `body` for the schema (the result is what the handlers read). */
  coerce(name: RequestSchemaName, body: unknown): Record<string, unknown>;
  /** Validates an already coerced value, adding one message per failing field path to `issues`. */
  check(name: RequestSchemaName, value: unknown, issues: Issues, prefix?: string): void;
}

export function createSchemaChecker(): SchemaChecker {
  const ajv = createAjv({ allErrors: true, verbose: true });
  ajv.addKeyword('x-coerce');
  ajv.addKeyword('x-message');
  const compiled = new Map<RequestSchemaName, ValidateFunction>();
  for (const [name, schema] of Object.entries(REQUEST_SCHEMAS) as Array<[RequestSchemaName, FieldSchema]>) {
    compiled.set(name, ajv.compile(schema));
  }
  return {
    coerce(name, body) {
      const value = coerce(REQUEST_SCHEMAS[name], body);
      return isPlainObject(value) ? value : {};
    },
    check(name, value, issues, prefix = '') {
      const validate = compiled.get(name);
      if (!validate || validate(value)) return;
      const errors = [...(validate.errors ?? [])].sort((a, b) => (KEYWORD_RANK[a.keyword] ?? 2) - (KEYWORD_RANK[b.keyword] ?? 2));
      for (const error of errors) {
        const path = fieldPath(prefix, error.instancePath);
        issues.add(path === '' ? 'body' : path, messageOf(error, leafName(error.instancePath, prefix || 'body')));
      }
    },
  };
}
