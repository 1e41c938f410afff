/**
 * Rows of an import or export file: JSON lines hold one nested customer per line; CSV rows name
 * nested fields by dotted columns, lists by 1-based numbers (`billing_cards.2.card_number`).
 * CVV columns are removed here, before any preset or report sees a row.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export type FileFormat = 'csv' | 'jsonl';

/** A row as read: its fields, or why it could not be read at all. `line` is 1-based (CSV: the row's first line). */
export type SourceRow = { line: number; fields: Record<string, unknown> } | { line: number; unreadable: string };

const CVV_KEY = /^(cvv2?|cvc2?|csc|card_cvv2?|card_cvc|security_code|card_security_code|cvv_code)$/i;

/** Removes CVV fields at any depth; returns how many held a value. They are never stored nor reported. */
export function dropCvvs(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, entry) => sum + dropCvvs(entry), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let dropped = 0;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (CVV_KEY.test(key)) {
      if (record[key] !== null && record[key] !== undefined && record[key] !== '') dropped += 1;
      delete record[key];
    } else dropped += dropCvvs(record[key]);
  }
  return dropped;
}

/** `{'a.1.b': 'x', c: ''}` → `{a: [{b: 'x'}]}`: empty cells are absent fields. */
export function nestColumns(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(flat)) {
    if (value === '' || column === '') continue;
    const path = column.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^[1-9][0-9]*$/.test(path[i + 1]);
      const key: string | number = Array.isArray(node) ? Number(segment) - 1 : segment;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        if (typeof container[key] !== 'object' || container[key] === null) container[key] = nextIsIndex ? [] : {};
        node = container[key] as Record<string, unknown> | unknown[];
      }
    }
  }
  compactLists(root);
  return root;
}

/** Numbered columns may skip numbers (`.1.` and `.3.`): lists close up. */
function compactLists(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (Array.isArray(member)) (value as Record<string, unknown>)[key] = member.filter((entry) => entry !== undefined);
    compactLists((value as Record<string, unknown>)[key]);
  }
}

/** The inverse of nestColumns, for CSV exports: one column per leaf, lists numbered from 1. */
export function flattenColumns(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, member] of Object.entries(value)) {
    const column = prefix === '' ? key : `${prefix}.${key}`;
    if (Array.isArray(member)) member.forEach((entry, i) => flattenLeaf(entry, `${column}.${i + 1}`, out));
    else flattenLeaf(member, column, out);
  }
  return out;
}

function flattenLeaf(member: unknown, column: string, out: Record<string, string>): void {
  if (member === null || member === undefined) out[column] = '';
  else if (typeof member === 'object') flattenColumns(member as Record<string, unknown>, column, out);
  else out[column] = String(member);
}

/** The rows of a plaintext stream, one at a time (memory bounded by one row). */
export async function* readRows(input: Readable, format: FileFormat): AsyncGenerator<SourceRow> {
  if (format === 'jsonl') {
    let line = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        yield { line, unreadable: 'not a JSON object' };
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) yield { line, unreadable: 'not a JSON object' };
      else yield { line, fields: parsed as Record<string, unknown> };
    }
    return;
  }
  const parser = input.pipe(parse({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; invalid_field_length: number } }>) {
    yield { line: entry.info.lines, fields: nestColumns(entry.record) };
  }
}

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatFromName(name: string): FileFormat | null {
  const plain = name.replace(/\.(asc|gpg|pgp)$/i, '');
  if (/\.csv$/i.test(plain)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(plain)) return 'jsonl';
  return null;
}
