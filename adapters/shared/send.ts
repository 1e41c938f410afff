/**
 * A JSON answer written in one piece: status, content type and length, then `end(text)`, which
 * sends headers and body in one write (HEAD requests get the headers only).
 * Express's `res.send` copies a body of 1,000 characters or more into a Buffer first and writes
 * headers and body separately; its ETag and freshness handling are off here anyway.
 */
import type { Response } from 'express';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function sendJsonText(res: Response, status: number, text: string): void {
  res.statusCode = status;
  // A content type the dialect chose stays (as with Express's res.json).
  if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  // Set here rather than left to Node, which announces no length for a HEAD request's omitted body.
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** `res.status(status).json(body)`, written in one piece (see above). */
export function sendJson(res: Response, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body) ?? '');
}
