/** What `polyvault serve` prints on a fresh embedded database: the demo tenant's keys and one curl per dialect. */
import { DIALECTS } from '../../adapters/registry';
import type { ProvisionedTenant } from '../provisioning';

export function demoBanner(provisioned: ProvisionedTenant, baseUrl: string): string {
  const lines = [
    '',
    '================================================================================',
    ` polyvault created the tenant "${provisioned.tenant.name}" with these API keys (shown once, stored hashed):`,
    ...Object.entries(provisioned.keys).map(([label, key]) => `   ${label.padEnd(16)} ${key}`),
    '',
    ' Try it:',
  ];
  for (const dialect of DIALECTS) {
    const settings = provisioned.tenant.dialects[dialect.id];
    if (!settings) continue;
    const curl = dialect.exampleCurl(baseUrl, provisioned.keys, settings);
    if (curl) lines.push(`   # ${dialect.title}`, ...curl.split('\n').map((line) => `   ${line}`), '');
  }
  lines.push('================================================================================', '');
  return lines.join('\n');
}
