/** Reads the providers' documented examples from ../shared/seeds, so tests send them verbatim. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED_DIR = join(__dirname, '..', '..', '..', 'shared');

export function seedText(file: string): string {
  return readFileSync(join(SHARED_DIR, 'seeds', file), 'utf8');
}

/** The JSON body of the curl `--data '…'` in a seed page. */
export function curlBody(file: string): string {
  const match = /--data '\s*([\s\S]*?)\s*'\s*\n/.exec(seedText(file));
  if (!match) throw new Error(`no --data body in ${file}`);
  return match[1];
}

/** The Maast "Add a Customer" example request, exactly as documented. */
export const maastAddCustomerExample = (): string => curlBody('000_239cca8202e30884.txt');
