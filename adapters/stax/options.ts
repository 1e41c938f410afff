/**
 * Stax `options` (contract §8.6): a free JSON object stored as given, except that the values of
 * `options.custom_fields[N].value` are checked against their declared `type` and stored as strings.
 *
 * Canonically the custom fields are `Customer.customFields` (other dialects may show them); the rest
 * of the object is kept in `extensions.stax.options` with `custom_fields` left in place as a `null`
 * marker, so the object comes back with its keys in the order the client sent them.
 */
import type { CustomField } from '../../core/model';
import { isPlainObject } from '../shared/body';

export const OPTIONS_MAX_CHARS = 65536;
export const CUSTOM_FIELD_NAME_MAX = 255;
export const CUSTOM_FIELD_VALUE_MAX = 1000;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A failure at a dotted path with its rank (7.5: required 0, type 1, format 2, length 3). */
export interface OptionsIssue {
  path: string;
  rank: number;
  message: string;
}

export type OptionsOutcome = { ok: true; options: Record<string, unknown> | null } | { ok: false; issues: OptionsIssue[] };

const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;
const DATE_ONLY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$/i;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `YYYY-MM-DD` that exists on the calendar, or a full ISO 8601 date-time with a valid clock time. */
export function isStaxDate(value: string): boolean {
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) return isCalendarDate(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) return false;
  const [, y, mo, d, h, mi, s] = dateTime;
  return isCalendarDate(Number(y), Number(mo), Number(d)) && Number(h) <= 23 && Number(mi) <= 59 && (s === undefined || Number(s) <= 59);
}

/** Boolean-like input (any letter case for the strings) → boolean; null when it is not boolean-like. */
export function parseBooleanLike(value: unknown): boolean | null {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
  }
  return null;
}

/** Shortest decimal form of a JSON number (`12` → `"12"`, `12.5` → `"12.5"`). */
function numberText(value: number): string {
  return String(value);
}

type Conversion = { ok: true; value: string } | { ok: false; rank: number; message: (label: string) => string };

/** §8.6 conversion table. `null`, a missing value and `""` are stored as `""` whatever the type. */
export function convertCustomFieldValue(type: CustomFieldType, value: unknown): Conversion {
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value === 'string' && value.trim() === '') return { ok: true, value: '' };
  switch (type) {
    case 'text':
      if (typeof value === 'string') return { ok: true, value: value.trim() };
      if (typeof value === 'number') return { ok: true, value: numberText(value) };
      if (typeof value === 'boolean') return { ok: true, value: value ? 'true' : 'false' };
      return { ok: false, rank: 1, message: (label) => `The ${label} must be a string.` };
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: numberText(value) };
      if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return { ok: true, value: value.trim() };
      return { ok: false, rank: 2, message: (label) => `The ${label} must be a number.` };
    case 'date':
      if (typeof value === 'string' && isStaxDate(value.trim())) return { ok: true, value: value.trim() };
      return { ok: false, rank: 2, message: (label) => `The ${label} is not a valid date.` };
    case 'boolean': {
      const flag = parseBooleanLike(value);
      if (flag !== null) return { ok: true, value: flag ? 'true' : 'false' };
      return { ok: false, rank: 2, message: (label) => `The ${label} field must be true or false.` };
    }
  }
}

function isCustomFieldType(value: unknown): value is CustomFieldType {
  return typeof value === 'string' && (CUSTOM_FIELD_TYPES as readonly string[]).includes(value);
}

/**
 * Checks `options` and converts its custom-field values. `undefined` is "not sent"; the caller
 * never passes it. `null` and `""` mean no options (§9.13).
 */
export function checkOptions(options: unknown): OptionsOutcome {
  if (options === null || options === '') return { ok: true, options: null };
  if (!isPlainObject(options)) return { ok: false, issues: [{ path: 'options', rank: 1, message: 'The options must be an object.' }] };
  if (JSON.stringify(options).length > OPTIONS_MAX_CHARS) {
    return { ok: false, issues: [{ path: 'options', rank: 3, message: `The options may not be greater than ${OPTIONS_MAX_CHARS} characters.` }] };
  }
  if (!('custom_fields' in options)) return { ok: true, options: { ...options } };
  const fields = options.custom_fields;
  if (!Array.isArray(fields)) {
    return { ok: false, issues: [{ path: 'options.custom_fields', rank: 1, message: 'The options.custom_fields must be an array.' }] };
  }
  const issues: OptionsIssue[] = [];
  const converted: Array<Record<string, unknown>> = [];
  fields.forEach((field: unknown, index) => {
    const at = `options.custom_fields.${index}`;
    if (!isPlainObject(field)) {
      issues.push({ path: at, rank: 1, message: `The ${at} must be an object.` });
      return;
    }
    const { name, type } = field;
    if (name === undefined || name === null || (typeof name === 'string' && name.trim() === '')) {
      issues.push({ path: `${at}.name`, rank: 0, message: `The ${at}.name field is required.` });
    } else if (typeof name !== 'string') {
      issues.push({ path: `${at}.name`, rank: 1, message: `The ${at}.name must be a string.` });
    } else if ([...name.trim()].length > CUSTOM_FIELD_NAME_MAX) {
      issues.push({ path: `${at}.name`, rank: 3, message: `The ${at}.name may not be greater than ${CUSTOM_FIELD_NAME_MAX} characters.` });
    }
    const trimmedType = typeof type === 'string' ? type.trim() : type;
    if (!isCustomFieldType(trimmedType)) {
      issues.push({ path: `${at}.type`, rank: 2, message: `The selected ${at}.type is invalid.` });
      return;
    }
    const conversion = convertCustomFieldValue(trimmedType, field.value);
    if (!conversion.ok) {
      issues.push({ path: `${at}.value`, rank: conversion.rank, message: conversion.message(`${at}.value`) });
      return;
    }
    if ([...conversion.value].length > CUSTOM_FIELD_VALUE_MAX) {
      issues.push({ path: `${at}.value`, rank: 3, message: `The ${at}.value may not be greater than ${CUSTOM_FIELD_VALUE_MAX} characters.` });
      return;
    }
    // Keep the client's member order; a missing `value` is added at the end as "".
    const out: Record<string, unknown> = {};
    for (const [member, memberValue] of Object.entries(field)) out[member] = memberValue;
    out.name = typeof name === 'string' ? name.trim() : name;
    out.type = trimmedType;
    out.value = conversion.value;
    converted.push(out);
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, options: { ...options, custom_fields: converted } };
}

/** What is stored for a (checked) options object: the canonical custom fields, and the rest. */
export interface StoredOptions {
  customFields: CustomField[] | null;
  /** `extensions.stax.options`: the object with `custom_fields: null` as a position marker, or null. */
  rest: Record<string, unknown> | null;
}

export function splitOptions(options: Record<string, unknown> | null): StoredOptions {
  if (options === null) return { customFields: null, rest: null };
  if (!Array.isArray(options.custom_fields)) return { customFields: null, rest: { ...options } };
  return { customFields: options.custom_fields as CustomField[], rest: { ...options, custom_fields: null } };
}

/**
 * The `options` a Stax client sees: the stored rest with the canonical custom fields in their
 * place. Custom fields written through another dialect appear even when no options were stored.
 */
export function joinOptions(rest: unknown, customFields: CustomField[] | null): Record<string, unknown> | null {
  if (!isPlainObject(rest)) return customFields === null ? null : { custom_fields: customFields.map((field) => ({ ...field })) };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'custom_fields') {
      if (customFields !== null) out.custom_fields = customFields.map((field) => ({ ...field }));
    } else out[key] = value;
  }
  if (customFields !== null && !('custom_fields' in out)) out.custom_fields = customFields.map((field) => ({ ...field }));
  return out;
}
