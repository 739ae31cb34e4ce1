/** The parts every write request shares: the version the user edited, and the changed fields, checked. */
import { fieldError, type FieldError, type Message } from '../../domain/parcelFields.ts';
import { badRequest } from '../lib/http.ts';

export function requireVersion(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw badRequest('"version" (the version you edited) is required: a positive whole number.');
  return value as number;
}

/** Checks each changed field; every problem is reported at once (400, with both languages in details). */
export function checkChanges(changes: unknown, check: (field: string, value: unknown) => Message | null): Record<string, unknown> {
  if (changes === undefined) return {};
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) throw badRequest('"changes" must be an object of field: value.');
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(changes)) {
    const message = check(field, value);
    if (message) errors.push(fieldError(field, message));
  }
  if (errors.length) throw badRequest(`Invalid ${errors.map((e) => `${e.field}: ${e.message}`).join(' ')}`, { fields: errors });
  return changes as Record<string, unknown>;
}
