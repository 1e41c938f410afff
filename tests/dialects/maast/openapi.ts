/**
 * The provider's OpenAPI document (tests/fixtures/providers/maast-platform-openapi.yaml) as response
 * validators: each success body is checked against the schema the provider declares for it.
 * OpenAPI 3.0 extras (`example`, `readOnly`, `nullable`, `x-…`, int32/int64 formats) are ignored.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { readProviderFixture } from '../../support/fixtures';

export const SPEC_FILE = 'maast-platform-openapi.yaml';

export type ResponseSchema = 'CustomerResponse' | 'CustomerListResponse' | 'GetBillingResponse' | 'GetShippingResponse' | 'QPApiResponse';

export interface SpecValidators {
  /** Throws with ajv's explanation when `body` does not validate against the named schema. */
  assertValid(schema: ResponseSchema, body: unknown): void;
}

/** Compile once per test file (in a beforeAll or at module level). */
export function loadSpecValidators(): SpecValidators {
  const document = parse(readProviderFixture(SPEC_FILE)) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'maast-openapi', components: document.components });
  const compiled = new Map<ResponseSchema, ValidateFunction>();
  return {
    assertValid(schema, body) {
      let validate = compiled.get(schema);
      if (!validate) {
        validate = ajv.compile({ $ref: `maast-openapi#/components/schemas/${schema}` });
        compiled.set(schema, validate);
      }
      if (!validate(body)) throw new Error(`response does not match ${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    },
  };
}

let shared: SpecValidators | undefined;
/** One set of validators per test file (jest loads this module once per file). */
export function specValidators(): SpecValidators {
  shared ??= loadSpecValidators();
  return shared;
}

/** The response schema the provider declares for a successful request to this route. */
export function responseSchemaOf(method: string, path: string): ResponseSchema {
  const route = path.split('?')[0].replace(/^\/maast/, '').replace(/\/+$/, '');
  const verb = method.toUpperCase();
  if (verb === 'GET' && route === '/platform/vault/customer') return 'CustomerListResponse';
  if (verb === 'GET' && /\/billing$/.test(route)) return 'GetBillingResponse';
  if (verb === 'GET' && /\/shipping$/.test(route)) return 'GetShippingResponse';
  if (verb === 'DELETE' && /^\/platform\/vault\/customer\/[^/]+$/.test(route)) return 'QPApiResponse';
  return 'CustomerResponse';
}
