/**
 * Pure parts of the Maast dialect: credentials parsing, settings and keys, translation rules that
 * the HTTP tests cannot reach (records written by other dialects, huge merchant ids), and the
 * mapping of unexpected errors.
 */
import type { Response } from 'express';
import type { Address, PaymentMethod } from '../../../core/model';
import { EMPTY_BILLING } from '../../../core/model';
import { maast } from '../../../adapters/maast';
import { parseBasicCredentials } from '../../../adapters/maast/auth';
import { sendSuccess } from '../../../adapters/maast/envelope';
import { toMaastError } from '../../../adapters/maast/errors';
import { addressPatchOf, billingPatchOf, renderBillingCard, renderShippingAddress } from '../../../adapters/maast/translate';
import { ConflictError, NotFoundError } from '../../../core/errors';
import { loadSpecValidators } from './openapi';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('maast Basic credentials', () => {
  it('reads forms A, B and C, and a value without a colon as a user name', () => {
    expect(parseBasicCredentials(`Basic ${b64(':key1')}`)).toEqual({ key: 'key1', merchantUser: null });
    expect(parseBasicCredentials(`Basic ${b64('210000000289:key1')}`)).toEqual({ key: 'key1', merchantUser: '210000000289' });
    expect(parseBasicCredentials(`Basic ${b64('key1:')}`)).toEqual({ key: 'key1', merchantUser: null });
    expect(parseBasicCredentials(`basic ${b64('key1')}`)).toEqual({ key: 'key1', merchantUser: null });
    expect(parseBasicCredentials(`Basic ${b64(':a:b')}`)).toEqual({ key: 'a:b', merchantUser: null });
  });

  it('refuses anything else', () => {
    for (const header of [undefined, '', 'Basic', 'Basic ', 'Bearer abc', `Basic ${b64(':')}`, 'Basic a', 'Basic ab$c', `Basic ${Buffer.from([0xff, 0xfe]).toString('base64')}`]) {
      expect(parseBasicCredentials(header)).toBeNull();
    }
  });
});

describe('maast dialect object', () => {
  it('issues one secret key labelled maast, formatted as 32 lower-case hex characters', () => {
    expect(maast.keys).toHaveLength(1);
    const [spec] = maast.keys;
    expect(spec.kind).toBe('secret');
    expect(spec.label).toBe('maast');
    const a = spec.format('A'.repeat(32));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(spec.format('B'.repeat(32))).not.toBe(a);
  });

  it('validates or generates the merchant id', () => {
    expect(maast.initialSettings({ merchantId: '210000000289' })).toEqual({ enabled: true, merchantId: '210000000289' });
    expect(maast.initialSettings({ merchantId: 42 })).toEqual({ enabled: true, merchantId: '42' });
    expect(maast.initialSettings({ merchantId: '9999999999999999' }).merchantId).toBe('9999999999999999');
    expect(maast.initialSettings({}).merchantId).toMatch(/^[1-9][0-9]{11}$/);
    for (const bad of ['0', '-1', 'abc', '12345678901234567', 1.5, 0, true]) {
      expect(() => maast.initialSettings({ merchantId: bad })).toThrow(/merchant id/);
    }
  });

  it('describes the tenant and prints a curl with Basic :key', () => {
    expect(maast.describeTenant?.({ enabled: true, merchantId: '210000000289' })).toEqual({ maastMerchantId: '210000000289' });
    expect(maast.exampleCurl('http://localhost:8080/', { maast: 'abc' }, { enabled: true, merchantId: '1' })).toBe(
      "curl -sS -u ':abc' http://localhost:8080/platform/vault/customer",
    );
    expect(maast.rootPrefixes).toEqual(['/platform']);
  });
});

/** A minimal response that records what was written (status, content type, body). */
function recorder(): { res: Response; sent: () => { status: number; text: string; type: string } } {
  const written = { status: 0, text: '', type: '' };
  const res = {
    set statusCode(code: number) {
      written.status = code;
    },
    getHeader(name: string) {
      return name.toLowerCase() === 'content-type' && written.type !== '' ? written.type : undefined;
    },
    setHeader(name: string, value: string) {
      if (name.toLowerCase() === 'content-type') written.type = value;
      return res;
    },
    end(body: string) {
      written.text = body;
      return res;
    },
  } as unknown as Response;
  return { res, sent: () => ({ ...written }) };
}

describe('maast envelopes', () => {
  it('writes node_id as a JSON number even beyond 2^53, and only the node_id key', () => {
    const { res, sent } = recorder();
    sendSuccess(res, { customer_id: 'A', node_id: '9999999999999999', comments: '"node_id":"12"' });
    expect(sent().text).toBe('{"code":0,"message":"Success","data":{"customer_id":"A","node_id":9999999999999999,"comments":"\\"node_id\\":\\"12\\""}}');
    expect(sent().type).toBe('application/json; charset=utf-8');
  });

  it('turns unexpected errors into code 99 without detail, and core conflicts into the table entries', () => {
    expect(toMaastError(new Error('SQLITE_CONSTRAINT: secret 4111111111111111')).body).toEqual({ code: 99, message: 'Internal Error' });
    expect(toMaastError(new ConflictError('duplicate_vault_id')).body).toEqual({ code: 2, message: 'Request Validation Failed', data: { customer_id: 'customer_id already exists' } });
    expect(toMaastError(new NotFoundError('customer')).status).toBe(404);
    const { res, sent } = recorder();
    maast.renderInternalError({} as never, res);
    expect(sent()).toEqual({ status: 500, text: '{"code":99,"message":"Internal Error"}', type: 'application/json; charset=utf-8' });
    const notFound = recorder();
    maast.renderNotFound({} as never, notFound.res);
    expect(notFound.sent().text).toBe('{"code":7,"message":"Service not found"}');
  });
});

const address = (fields: Partial<Address>): Address =>
  ({
    seq: 5,
    givenName: 'Ann',
    familyName: 'Lee',
    company: null,
    line1: null,
    line2: null,
    city: null,
    state: null,
    postalCode: null,
    postalCodeExt: null,
    country: null,
    countryName: null,
    countryCode: null,
    ...fields,
  }) as Address;

describe('maast countries', () => {
  it('derives the canonical country from the numeric code first, then the name', () => {
    expect(addressPatchOf({ shipping_country: 'United States', shipping_country_code: '840' }, null)).toMatchObject({ country: 'US', countryName: 'United States', countryCode: '840' });
    expect(addressPatchOf({ shipping_country: 'Germany', shipping_country_code: '250' }, null).country).toBe('FR');
    expect(addressPatchOf({ shipping_country: 'Germany' }, null).country).toBe('DE');
    expect(addressPatchOf({ shipping_country: 'Atlantis', shipping_country_code: 'XYZ' }, null).country).toBeNull();
    expect(addressPatchOf({ shipping_city: 'Reno' }, null)).not.toHaveProperty('country');
    // An update of one of the two uses the stored other one.
    expect(addressPatchOf({ shipping_country_code: '' }, address({ country: 'US', countryName: 'United States', countryCode: '840' })).country).toBe('US');
    expect(billingPatchOf({ billing_country: '' }, undefined, { ...EMPTY_BILLING, country: 'US', countryName: 'United States', countryCode: null }).country).toBeNull();
  });

  it('shows the ISO name and numeric code of a record written by another dialect with only a country', () => {
    expect(renderShippingAddress(address({ country: 'DE' }), true)).toEqual({
      shipping_id: 5,
      shipping_first_name: 'Ann',
      shipping_last_name: 'Lee',
      shipping_country: 'Germany',
      shipping_country_code: '276',
      primary: true,
    });
    // What a Maast client sent wins, even when only one of the two was sent.
    expect(renderShippingAddress(address({ country: 'US', countryCode: '840' }), false)).toMatchObject({ shipping_country_code: '840' });
    expect(renderShippingAddress(address({ country: 'US', countryCode: '840' }), false)).not.toHaveProperty('shipping_country');
  });

  it('omits card_type for a brand without a Maast code and reads untyped accounts as personal checking', () => {
    const method = {
      vaultRef: 'r'.repeat(32),
      kind: 'card',
      brand: 'unknown',
      bin: '999999',
      last4: '0001',
      numberLength: 16,
      expMonth: 1,
      expYear: 2031,
      billing: { ...EMPTY_BILLING, country: 'CA' },
      verifiedAt: null,
    } as unknown as PaymentMethod;
    expect(renderBillingCard(method, true)).toEqual({
      card_id: 'r'.repeat(32),
      card_number: '999999xxxxxx0001',
      exp_date: '0131',
      billing_country: 'Canada',
      billing_country_code: '124',
      primary: true,
    });
    const account = { ...method, kind: 'ach', brand: null, bin: null, accountType: null, holderType: null, routingNumber: '011111111', numberLength: 8, billing: EMPTY_BILLING } as unknown as PaymentMethod;
    expect(renderBillingCard(account, false)).toEqual({ card_id: 'r'.repeat(32), card_number: 'xxxx0001', card_type: 'AP', type_id: 'C', tr_number: '011111111', primary: false });
  });
});

describe('maast OpenAPI helper', () => {
  it('rejects a body that does not match the provider schema', () => {
    const spec = loadSpecValidators();
    expect(() => spec.assertValid('CustomerResponse', { code: 0, message: 'Success', data: { node_id: '210000000289' } })).toThrow(/node_id/);
    expect(() => spec.assertValid('CustomerResponse', { code: 0, message: 'Success', data: { billing_cards: [{ card_type: 'XX' }] } })).toThrow(/card_type/);
  });
});
