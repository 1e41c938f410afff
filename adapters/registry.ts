/**
 * Every dialect polyvault speaks. A new dialect is one folder under adapters/ and one line here.
 */
import type { Dialect } from './dialect';
import type { DialectId } from '../core/model';
import { maast } from './maast';
import { fluidpay } from './fluidpay';
import { exact } from './exact';
import { stax } from './stax';

export const DIALECTS: readonly Dialect[] = [maast, fluidpay, exact, stax];

export function dialectById(id: DialectId): Dialect {
  const dialect = DIALECTS.find((candidate) => candidate.id === id);
  if (!dialect) throw new Error(`unknown dialect ${id}`);
  return dialect;
}
