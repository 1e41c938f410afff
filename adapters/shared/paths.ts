/**
 * Path segments that are not valid percent-encoding (`%ff`, a lone `%`) make Express's parameter
 * decoding throw, which would surface as a 500. This middleware escapes the `%` of such segments,
 * so they reach the route as the literal text they are: an id that names nothing, answered like
 * any other unknown id. Valid escapes (`%2F`, `%F0%9F%98%80`) are left alone.
 */
import type { NextFunction, Request, Response } from 'express';

export function tolerateUndecodablePaths(req: Request, _res: Response, next: NextFunction): void {
  const queryAt = req.url.indexOf('?');
  const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  if (path.includes('%')) {
    const fixed = path
      .split('/')
      .map((segment) => {
        try {
          decodeURIComponent(segment);
          return segment;
        } catch {
          return segment.replace(/%/g, '%25');
        }
      })
      .join('/');
    if (fixed !== path) req.url = fixed + (queryAt === -1 ? '' : req.url.slice(queryAt));
  }
  next();
}
