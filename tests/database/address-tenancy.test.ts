/**
 * The core's address look-ups are tenant-scoped on their own: another tenant's address is not found
 * by seq, id or object id, and cannot be changed or deleted, whatever the adapter above does. The
 * one caller (FluidPay) checks the owner again; this is the net under that check.
 */
import type { Tenant } from '../../core/model';
import type { TenantVault } from '../../core/vault/commands';
import { describeEachDatabase, type Harness } from '../support/harness';

function vaultOf(h: Harness, tenant: Tenant): TenantVault {
  return h.context.vault.forTenant(tenant, { dialect: 'fluidpay', actorKeyId: null, requestId: 'test' });
}

describeEachDatabase('address look-ups stay within the tenant', (h) => {
  it("finds its own address by seq, id and object id, and never another tenant's", async () => {
    const owner = (await h().createTenant()).tenant;
    const stranger = (await h().createTenant()).tenant;
    const address = await vaultOf(h(), owner).write('test.address', async (s) => {
      const customer = await s.createCustomer({ givenName: 'Owner' });
      return s.addAddress(customer.seq, { line1: '1 Owner St', city: 'Mesa' });
    });
    const refs = [{ by: 'seq', seq: address.seq }, { by: 'id', id: address.id }, { by: 'objectId', objectId: address.objectId }] as const;
    for (const ref of refs) {
      expect(await vaultOf(h(), owner).read((s) => s.findAddress(ref))).toMatchObject({ id: address.id, line1: '1 Owner St' });
      expect(await vaultOf(h(), stranger).read((s) => s.findAddress(ref))).toBeNull();
      expect(await vaultOf(h(), stranger).read((s) => s.findAddress(ref, { includeDeleted: true }))).toBeNull();
    }
    await expect(vaultOf(h(), stranger).write('test.update', (s) => s.updateAddress(address.seq, { line1: 'Taken' }))).rejects.toThrow(/address/);
    await expect(vaultOf(h(), stranger).write('test.delete', (s) => s.deleteAddress(address.seq))).rejects.toThrow(/address/);
    expect(await vaultOf(h(), owner).read((s) => s.findAddress({ by: 'seq', seq: address.seq }))).toMatchObject({ line1: '1 Owner St', deletedAt: null });
  });
});
