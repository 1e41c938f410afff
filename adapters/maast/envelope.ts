/**
 * Writing Maast responses: `{code,message,data}` (contract §3). `node_id` is a JSON number even
 * when a merchant id of up to 16 digits is beyond 2^53: such ids travel as digit strings inside the
 * program and are written as bare digits here.
 */
import type { Response } from 'express';
import { sendJsonText } from '../shared/send';
import type { MaastError } from './errors';

function send(res: Response, status: number, body: unknown): void {
  let text = JSON.stringify(body);
  // `"node_id":"123…"` can only be our own key (a quote inside a string value is escaped); it is
  // there only for merchant ids beyond 2^53.
  if (text.includes('"node_id":"')) text = text.replace(/"node_id":"([0-9]+)"/g, '"node_id":$1');
  sendJsonText(res, status, text);
}

export function sendSuccess(res: Response, data: unknown, paging?: { totalPages: number; totalRecords: number }): void {
  send(res, 200, paging ? { code: 0, message: 'Success', ...paging, data } : { code: 0, message: 'Success', data });
}

export function sendError(res: Response, error: MaastError): void {
  send(res, error.status, error.body);
}
