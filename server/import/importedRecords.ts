/**
 * The writes every import makes the same way, whatever it imports (parcels, zones, projects, enterprises):
 * a record created or updated with its version bumped and noted in import_items for undo, and on undo a record
 * put back from its snapshot so that an earlier import of it can still be undone. Column names come from each
 * importer's fixed lists, never from a file; values are always parameters.
 */
import type { Queryable } from '../db/types.ts';

export type ImportedEntity = 'parcel' | 'zone' | 'project' | 'enterprise';

interface TableRule {
  table: string;
  /** How the table stores a GeoJSON geometry given in a parameter; null: the table has no geometry. */
  geometry: ((param: string) => string) | null;
  /** Whether the table keeps updated_at. */
  updatedAt: boolean;
}

const multiPolygon = (param: string) => `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326))`;
const RULES: Record<ImportedEntity, TableRule> = {
  parcel: { table: 'parcels', geometry: multiPolygon, updatedAt: true },
  zone: { table: 'zones', geometry: multiPolygon, updatedAt: true },
  project: { table: 'projects', geometry: (param) => `ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326)`, updatedAt: true },
  enterprise: { table: 'enterprises', geometry: null, updatedAt: false },
};

async function noteItem(tx: Queryable, importId: number, entity: ImportedEntity, id: number, before: unknown, versionAfter: number) {
  await tx.query(`INSERT INTO import_items (import_id, entity, record_id, action, before, version_after) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`, [
    importId,
    entity,
    id,
    before === null ? 'create' : 'update',
    before === null ? null : JSON.stringify(before),
    versionAfter,
  ]);
}

/** Creates a record from the file (geometry as GeoJSON where the table has one); returns its id. */
export async function insertImported(
  tx: Queryable,
  importId: number,
  entity: ImportedEntity,
  values: Record<string, unknown>,
  geometry?: unknown,
): Promise<number> {
  const rule = RULES[entity];
  const cols = Object.keys(values);
  const params = [...Object.values(values)];
  const placeholders = cols.map((_, i) => `$${i + 1}`);
  if (geometry !== undefined && rule.geometry) {
    cols.push('geom');
    params.push(JSON.stringify(geometry));
    placeholders.push(rule.geometry(`$${params.length}`));
  }
  const [{ id, version }] = await tx.query<{ id: number; version: number }>(
    `INSERT INTO ${rule.table} (${cols.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id, version`,
    params,
  );
  await noteItem(tx, importId, entity, id, null, version);
  return id;
}

/** Updates a record from the file, keeping its snapshot from before for undo; no geometry keeps the old one. */
export async function updateImported(
  tx: Queryable,
  importId: number,
  entity: ImportedEntity,
  id: number,
  snapshot: unknown,
  values: Record<string, unknown>,
  geometry?: unknown,
): Promise<void> {
  const rule = RULES[entity];
  const params: unknown[] = [id, ...Object.values(values)];
  const sets = Object.keys(values).map((c, i) => `${c} = $${i + 2}`);
  if (geometry !== undefined && geometry !== null && rule.geometry) {
    params.push(JSON.stringify(geometry));
    sets.push(`geom = ${rule.geometry(`$${params.length}`)}`);
  }
  sets.push('version = version + 1');
  if (rule.updatedAt) sets.push('updated_at = now()');
  const [{ version }] = await tx.query<{ version: number }>(`UPDATE ${rule.table} SET ${sets.join(', ')} WHERE id = $1 RETURNING version`, [
    id,
    ...params.slice(1),
  ]);
  await noteItem(tx, importId, entity, id, snapshot, version);
}

/**
 * Undo of an update: the record gets its snapshot's columns (and geometry) back under a new version, and an
 * earlier import that left the record as the snapshot shows can still be undone (its version_after follows).
 */
export async function restoreImported(
  tx: Queryable,
  importId: number,
  entity: ImportedEntity,
  id: number,
  before: { version: number; geometry?: unknown },
  columns: readonly string[],
): Promise<void> {
  const rule = RULES[entity];
  const sets = columns.map((c) => `${c} = r.${c}`);
  const params: unknown[] = [id, JSON.stringify(before)];
  if (rule.geometry) {
    params.push(JSON.stringify(before.geometry));
    sets.push(`geom = ${rule.geometry('$3')}`);
  }
  sets.push('version = t.version + 1');
  if (rule.updatedAt) sets.push('updated_at = now()');
  await tx.query(`UPDATE ${rule.table} t SET ${sets.join(', ')} FROM jsonb_populate_record(NULL::${rule.table}, $2::jsonb) r WHERE t.id = $1`, params);
  await tx.query(
    `UPDATE import_items i SET version_after = (SELECT version FROM ${rule.table} WHERE id = $1)
     FROM imports m WHERE m.id = i.import_id AND m.status = 'committed' AND i.import_id <> $2 AND i.entity = $3 AND i.record_id = $1 AND i.version_after = $4`,
    [id, importId, entity, before.version],
  );
}
