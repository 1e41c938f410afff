/**
 * The rejects report of an import: CSV or JSON lines, one rejected row each (line, source id,
 * field, reason). Reasons are written by presets and the engine, which never put a number in one;
 * the report masks any run of 12 or more digits all the same, so a PAN cannot reach it even by mistake.
 */
import type { Writable } from 'node:stream';
import type { Rejection } from './importer';
import { maskForReport } from './rules';
import { csvField, type FileFormat } from './rows';

const LONG_DIGITS = /[0-9][0-9 -]{10,}[0-9]/g;
const safe = (text: string | null): string => (text ?? '').replace(LONG_DIGITS, (digits) => maskForReport(digits));

export class RejectsReport {
  private started = false;

  constructor(
    private readonly out: Writable,
    private readonly format: FileFormat,
  ) {}

  write(rejection: Rejection): void {
    const row = { line: rejection.line, source_id: safe(rejection.sourceId), field: safe(rejection.field), reason: safe(rejection.reason) };
    if (this.format === 'jsonl') {
      this.out.write(JSON.stringify(row) + '\n');
      return;
    }
    if (!this.started) this.out.write('line,source_id,field,reason\n');
    this.started = true;
    this.out.write([String(row.line), row.source_id, row.field, row.reason].map(csvField).join(',') + '\n');
  }
}
