/**
 * The one way a dialect logs a request it could not answer (its 500): the request and tenant it
 * belongs to, and the error's type, code and message only (`errorFacts`), never the error object,
 * whose properties can hold the SQL statement and its values. The dialect's logger already names
 * the dialect.
 */
import type { Response } from 'express';
import { errorFacts, type Logger } from '../../core/logger';

export function logRequestFailure(logger: Logger, res: Response, error: unknown, message: string): void {
  // `tenantId` is set by the gateway once a key is resolved (absent when the failure came earlier).
  logger.error({ requestId: res.locals.requestId, tenantId: res.locals.tenantId, error: errorFacts(error) }, message);
}
