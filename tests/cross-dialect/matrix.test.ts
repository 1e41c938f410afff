/**
 * The cross-dialect guarantee (issue 6, item 3): for every ordered pair of dialects, a customer
 * written through A (names, company, contacts, notes/reference/description, custom fields, several
 * addresses with a default, two cards and a bank account) reads through B as B's contract says; an
 * update through B is seen by A, and what B cannot express comes back through A untouched; a
 * payment method and then the customer deleted through B are gone for both.
 *
 * Each dialect is a driver (`drivers/<dialect>.ts`) speaking its real HTTP API; `expected.ts`
 * holds the rules. A field a dialect cannot express is not in its view, so it is not compared there,
 * but it is compared wherever it can be seen.
 *
 * Expected differences, each imposed by a contract (the drivers' `Capabilities` say which):
 * - FluidPay has no customer names or contacts: its create takes them from its billing address, its
 *   updates cannot change them (docs/dialects/fluidpay.md, "Names").
 * - Stax shows and writes one address, the default (`address_*`); it cannot delete an address.
 * - Exact's per-address `isDefault` is its own flag, so Exact neither sets nor shows the default
 *   address; Maast shows the earliest address as primary when no default is set (Maast §8.1).
 * - Maast requires both names on a shipping-address update (§4.13): an address written without
 *   names gets the customer's names from a Maast client.
 * - Deleting the default payment method promotes the earliest remaining one only through Maast
 *   (§8.1); Maast also shows the earliest as primary when there is no default.
 * - Exact has no payment-method update, so it changes no expiry.
 */
import { DIALECT_IDS, type DialectId } from '../../core/model';
import { describeEachDatabase } from '../support/harness';
import { EXACT_CAPS, exactDriver } from './drivers/exact';
import { FLUIDPAY_CAPS, fluidpayDriver } from './drivers/fluidpay';
import { MAAST_CAPS, maastDriver } from './drivers/maast';
import { STAX_CAPS, staxDriver } from './drivers/stax';
import type { Capabilities, CustomerChange, CustomerInput, Driver, DriverContext, Handle, PaymentInput } from './drivers/types';
import { afterAddingMethod, afterAddressChange, afterAddressDeleted, afterCreate, afterDefaultMoved, afterExpiryChange, afterMethodDeleted, afterUpdate, reachableAddress, viewOf, type Stored } from './expected';

const INPUT: CustomerInput = {
  givenName: 'Ada',
  familyName: 'Lovelace',
  company: 'Analytical Engines',
  email: 'ada@example.com',
  phone: '5551234567',
  notes: 'prefers e-mail',
  reference: 'REF-1001',
  description: 'matrix customer',
  customFields: [{ name: 'Tier', type: 'text', value: 'gold' }],
  extras: { developerId: 'MatrixV1', ccEmails: ['billing@example.com'] },
  addresses: [
    // The first address carries the customer's names (FluidPay derives the customer's from it).
    { givenName: 'Ada', familyName: 'Lovelace', company: 'Analytical Engines', line1: '9 Harbour Rd', line2: 'Unit 3', city: 'Toronto', state: 'ON', postalCode: 'M5V 2T6', postalCodeExt: null, country: 'CA' },
    // The default: a US address with a ZIP+4 (kept apart only by Maast, joined by Exact).
    { givenName: 'Charles', familyName: 'Babbage', company: 'Difference Works', line1: '100 Main St', line2: 'Suite 5', city: 'Springfield', state: 'IL', postalCode: '62701', postalCodeExt: '1234', country: 'US' },
  ],
  defaultAddress: 1,
};

const BILLING = { email: 'ada@example.com', line1: '100 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

const METHODS: PaymentInput[] = [
  { kind: 'card', number: '4111111111111111', expMonth: 4, expYear: 2031, holderGiven: 'Ada', holderFamily: 'Lovelace', billing: BILLING },
  { kind: 'card', number: '5555555555554444', expMonth: 11, expYear: 2032, holderGiven: 'Ada', holderFamily: 'Lovelace', billing: BILLING },
  { kind: 'ach', accountNumber: '1234567890', routingNumber: '091000022', accountType: 'checking', holderGiven: 'Ada', holderFamily: 'Lovelace', billing: BILLING },
];

const CHANGE: CustomerChange = {
  givenName: 'Grace',
  familyName: 'Hopper',
  company: 'Compilers Inc',
  email: 'grace@example.com',
  phone: '5559876543',
  notes: 'call first',
  reference: 'REF-2002',
  description: 'changed through another dialect',
  customFields: [{ name: 'Tier', type: 'text', value: 'platinum' }],
};

const CAPS: Record<DialectId, Capabilities> = { maast: MAAST_CAPS, fluidpay: FLUIDPAY_CAPS, exact: EXACT_CAPS, stax: STAX_CAPS };

describeEachDatabase('cross-dialect matrix', (h) => {
  let drivers: Record<DialectId, Driver>;
  beforeAll(async () => {
    const tenant = await h().createTenant({ name: 'matrix', settings: { maast: { merchantId: '210000000289' } } });
    const ctx: DriverContext = { h: h(), tenant };
    drivers = { maast: maastDriver(ctx), fluidpay: fluidpayDriver(ctx), exact: exactDriver(ctx), stax: staxDriver(ctx) };
  });

  for (const a of DIALECT_IDS) {
    for (const b of DIALECT_IDS) {
      describe(`written through ${a}, read and changed through ${b}`, () => {
        let handle: Handle;
        let state: Stored;
        const A = () => drivers[a];
        const B = () => drivers[b];

        beforeAll(async () => {
          handle = await A().createCustomer(INPUT);
          state = afterCreate(INPUT, A().caps);
          for (const method of METHODS) {
            await A().addPaymentMethod(handle, method);
            state = afterAddingMethod(state, method, A().caps);
          }
        });

        it(`${b} shows the names, contacts, notes, custom fields and addresses written through ${a}`, async () => {
          const view = await B().readCustomer(handle);
          const expected = viewOf(state, B().caps);
          expect(view && { ...view, paymentMethods: [] }).toEqual({ ...expected, paymentMethods: [] });
        });

        it(`${b} shows the cards and the bank account written through ${a}, masked, with brand, expiry and default`, async () => {
          const view = await B().readCustomer(handle);
          expect(view?.paymentMethods).toEqual(viewOf(state, B().caps).paymentMethods);
        });

        it(`an update through ${b} is seen through ${a}, and what ${b} cannot express is kept`, async () => {
          await B().updateCustomer(handle, CHANGE);
          state = afterUpdate(state, CHANGE, B().caps);
          const target = reachableAddress(state);
          const change = { line2: 'Suite 77', city: 'Newtown', postalCode: '62702' };
          await B().updateAddress(handle, state.addresses[target].line1, change);
          state = afterAddressChange(state, target, change, B().caps);
          expect(await A().readCustomer(handle)).toEqual(viewOf(state, A().caps));
          expect(await B().readCustomer(handle)).toEqual(viewOf(state, B().caps));
        });

        // Stax writes only one address (so there is no other to delete) and cannot delete one: for
        // those pairs the case does not exist, so it is not registered (rather than shown as skipped).
        const deletable = CAPS[a].writesAddresses === 'all' && CAPS[b].deletesAddresses;
        if (deletable) it(`an address deleted through ${b} is gone through ${a}; the others keep their names, fields and default`, async () => {
          const victim = state.addresses.findIndex((_, i) => i !== reachableAddress(state));
          await B().deleteAddress(handle, state.addresses[victim].line1);
          state = afterAddressDeleted(state, victim);
          expect((await A().readCustomer(handle))?.addresses).toEqual(viewOf(state, A().caps).addresses);
          expect((await B().readCustomer(handle))?.addresses).toEqual(viewOf(state, B().caps).addresses);
        });

        it(`a default payment method and a card expiry changed through ${b} are seen through ${a}`, async () => {
          await B().setDefaultPaymentMethod(handle, '7890');
          state = afterDefaultMoved(state, '7890');
          if (B().caps.updatesExpiry) {
            await B().updateExpiry(handle, '4444', 1, 2034);
            state = afterExpiryChange(state, '4444', 1, 2034);
          }
          expect((await A().readCustomer(handle))?.paymentMethods).toEqual(viewOf(state, A().caps).paymentMethods);
          expect((await B().readCustomer(handle))?.paymentMethods).toEqual(viewOf(state, B().caps).paymentMethods);
        });

        it(`payment methods (the default last) and then the customer deleted through ${b} are gone through ${a} and ${b}`, async () => {
          for (const last4 of ['4444', '7890']) {
            await B().deletePaymentMethod(handle, last4);
            state = afterMethodDeleted(state, last4, B().caps);
            expect((await A().readCustomer(handle))?.paymentMethods).toEqual(viewOf(state, A().caps).paymentMethods);
            expect((await B().readCustomer(handle))?.paymentMethods).toEqual(viewOf(state, B().caps).paymentMethods);
          }
          await B().deleteCustomer(handle);
          expect(await A().readCustomer(handle)).toBeNull();
          expect(await B().readCustomer(handle)).toBeNull();
        });
      });
    }
  }
});
