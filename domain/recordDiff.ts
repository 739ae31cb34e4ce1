/** The fields that differ between two snapshots of a record, for history views and conflict messages. */

/** Bookkeeping fields that change with every write and say nothing to a person. */
const IGNORED = new Set(['version', 'updated_at', 'area_m2', 'footprint_m2']);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export function recordDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of [...keys].sort()) {
    if (IGNORED.has(field)) continue;
    const a = before?.[field] ?? null;
    const b = after?.[field] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}
