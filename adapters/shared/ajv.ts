/**
 * One ajv configuration for every dialect. Schemas are compiled once, when a dialect builds its
 * router at start-up, never per request.
 */
import Ajv, { type Options } from 'ajv';

export function createAjv(options: Options = {}): Ajv {
  return new Ajv({ allErrors: true, strict: false, verbose: true, ...options });
}
