/**
 * Credentials of the FluidPay dialect (contract §2): the raw API key is the whole `Authorization`
 * header. polyvault also tolerates a leading `Bearer ` (§2.2 step 2).
 */

/** The key carried by an `Authorization` header value, or null when there is none. */
export function keyFromAuthorization(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  let value = header.trim();
  const bearer = /^bearer(?:\s+|$)/i.exec(value);
  if (bearer) value = value.slice(bearer[0].length).trim();
  return value === '' ? null : value;
}
