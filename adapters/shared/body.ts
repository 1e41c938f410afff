/**
 * Reading a request body as JSON, late: dialects check the route and the credentials first and
 * only then look at the body, so that each failure is answered in the order their contracts give.
 */
import type { Request } from 'express';

export type JsonBody =
  | { ok: true; value: unknown; empty: boolean }
  | { ok: false; reason: 'malformed' | 'too_large' | 'too_deep' };

/** Deepest nesting of arrays/objects accepted in a body; deeper bodies are refused before parsing. */
export const MAX_JSON_DEPTH = 32;

export async function readRawBody(req: Request, limitBytes: number): Promise<Buffer | 'too_large'> {
  const cached = (req as Request & { rawBody?: Buffer }).rawBody;
  if (cached) return cached.length > limitBytes ? 'too_large' : cached;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return 'too_large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) tooLarge = true;
    else chunks.push(chunk);
  }
  if (tooLarge) return 'too_large';
  const body = Buffer.concat(chunks);
  (req as Request & { rawBody?: Buffer }).rawBody = body;
  return body;
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Drops `__proto__`, `constructor` and `prototype` keys so a body can never reach an object's prototype. */
function safeReviver(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
  return value;
}

/** Parses the body as JSON whatever the Content-Type. An empty body is `{ empty: true, value: undefined }`. */
export async function readJsonBody(req: Request, limitBytes: number): Promise<JsonBody> {
  const raw = await readRawBody(req, limitBytes);
  if (raw === 'too_large') return { ok: false, reason: 'too_large' };
  const text = raw.toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined, empty: true };
  if (nestingDepth(text) > MAX_JSON_DEPTH) return { ok: false, reason: 'too_deep' };
  try {
    return { ok: true, value: JSON.parse(text, safeReviver), empty: false };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
