/** Reads the providers' documented examples (tests/fixtures/providers), so tests send them verbatim. */
import { readProviderFixture } from './fixtures';

/** The Maast "Add a Customer" guide's example request and response (tests/fixtures/providers/README.md). */
export const MAAST_ADD_CUSTOMER_GUIDE = 'maast-add-a-customer.txt';

export function seedText(file: string): string {
  return readProviderFixture(file);
}

/** The JSON body of the curl `--data '…'` in a documentation page. */
export function curlBody(file: string): string {
  const match = /--data '\s*([\s\S]*?)\s*'\s*\n/.exec(seedText(file));
  if (!match) throw new Error(`no --data body in ${file}`);
  return match[1];
}

/** The Maast "Add a Customer" example request, exactly as documented. */
export const maastAddCustomerExample = (): string => curlBody(MAAST_ADD_CUSTOMER_GUIDE);
