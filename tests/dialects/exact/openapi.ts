/**
 * Conformance helper: checks Exact response bodies against the provider's own OpenAPI document
 * (tests/fixtures/providers/exact-openapi.yaml), following contract §4.16 for the document's inconsistencies:
 * E2/E10/E14 are arrays checked element by element, E13 is one PaymentMethod, E7 is checked per
 * branch, and 400 bodies (for which the customer routes declare no schema) against the envelope of
 * §3.4. Load once per test file: `const spec = loadExactSpec();`.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { readProviderFixture } from '../../support/fixtures';

export const SPEC_FILE = 'exact-openapi.yaml';

export type ExactSchemaName =
  | 'Customer'
  | 'PaymentMethod'
  | 'LookUpCustomer'
  | 'NotFoundError'
  | 'error_403'
  | 'error_500'
  /** §3.4: the 400 envelope (not in the document for these routes). */
  | 'validation_error'
  /** §2.2, §3.3: the gateway's bodies for 401, 402, 405 and 413 (the document has none for these routes). */
  | 'error_envelope';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

const errorEnvelope = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message', 'type', 'requestId'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, type: { type: 'string' }, requestId: { type: 'string', pattern: UUID } },
};

const validationEnvelope = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'message', 'type', 'requestId', 'pathIssues'],
  properties: {
    code: { const: 'validation-error' },
    message: { const: 'Client request body failed validation' },
    type: { const: 'invalid-request-error' },
    requestId: { type: 'string', pattern: UUID },
    pathIssues: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field', 'type', 'details'],
        properties: {
          field: { type: 'string' },
          type: { enum: ['invalid_type', 'too_small', 'too_big', 'invalid_string', 'invalid_enum_value', 'unrecognized_keys', 'custom'] },
          details: { type: 'array', minItems: 1, items: { type: 'string' } },
        },
      },
    },
  },
};

export interface ExactSpec {
  /** Throws with ajv's messages when the body does not validate. */
  expectConforms(name: ExactSchemaName, body: unknown): void;
  /** For list bodies: an array whose every element conforms. */
  expectEachConforms(name: ExactSchemaName, body: unknown): void;
}

export function loadExactSpec(): ExactSpec {
  const document = parse(readProviderFixture(SPEC_FILE)) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', ISO_DATE_TIME);
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  for (const lenient of ['uint32', 'int32', 'int64', 'uri', 'uuid', 'date', 'float', 'double']) ajv.addFormat(lenient, true);
  ajv.addSchema(document, 'exact-openapi');
  const compiled = new Map<ExactSchemaName, ValidateFunction>();
  const validator = (name: ExactSchemaName): ValidateFunction => {
    const cached = compiled.get(name);
    if (cached) return cached;
    let validate: ValidateFunction | undefined;
    if (name === 'validation_error') validate = ajv.compile(validationEnvelope);
    else if (name === 'error_envelope') validate = ajv.compile(errorEnvelope);
    else if (name === 'error_403' || name === 'error_500') validate = ajv.getSchema(`exact-openapi#/components/responses/${name}/content/application~1json/schema`);
    else validate = ajv.getSchema(`exact-openapi#/components/schemas/${name}`);
    if (!validate) throw new Error(`schema ${name} not found in ${SPEC_FILE}`);
    compiled.set(name, validate);
    return validate;
  };
  const check = (name: ExactSchemaName, body: unknown, where: string): void => {
    const validate = validator(name);
    if (!validate(body)) {
      throw new Error(`${where} does not conform to ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 2)}`);
    }
  };
  return {
    expectConforms: (name, body) => check(name, body, 'body'),
    expectEachConforms(name, body) {
      if (!Array.isArray(body)) throw new Error(`expected an array of ${name}, got ${JSON.stringify(body)}`);
      body.forEach((item, index) => check(name, item, `item ${index}`));
    },
  };
}
