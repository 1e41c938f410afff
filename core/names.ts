/**
 * One person name as dialects with a single `name` field see it (Exact `name`, Stax `person_name`)
 * versus the canonical given + family names.
 */

/** Given and family names joined by one space; the company when both are empty; otherwise `""`. */
export function displayName(givenName: string | null, familyName: string | null, company: string | null = null): string {
  const joined = [givenName, familyName].filter((part) => part !== null && part !== '').join(' ');
  return joined !== '' ? joined : (company ?? '');
}

/**
 * Splits a full name at its first run of whitespace: the first word is the given name, the rest
 * the family name ("Mary Ann Smith" → "Mary" + "Ann Smith"). A single word is a given name only.
 * Joining the parts again with `displayName` returns the name with its whitespace runs collapsed.
 */
export function splitName(name: string): { givenName: string | null; familyName: string | null } {
  const trimmed = name.trim();
  if (trimmed === '') return { givenName: null, familyName: null };
  const match = /^(\S+)\s+([\s\S]+)$/.exec(trimmed);
  if (!match) return { givenName: trimmed, familyName: null };
  return { givenName: match[1], familyName: match[2] };
}
