/**
 * Sandbox behaviour shared by every dialect. These numbers are documented in docs/operations.md:
 * they pass Luhn but are refused when a client asks for verification/validation, the way the
 * providers' own sandboxes decline their documented test cards.
 */
import type { SandboxRules } from '../adapters/dialect';

export const DECLINING_TEST_PANS: readonly string[] = ['4000000000000002', '5105105105105100', '4000000000000069'];

export const sandboxRules: SandboxRules = {
  declinesVerification: (pan) => DECLINING_TEST_PANS.includes(pan),
};
