/**
 * Writes to parcels: attribute and geometry edits, new parcels, splits and merges. Each runs in one
 * transaction with its permission and zone checks, a version check against lost updates, and its audit entry.
 */
import { PARCEL_FIELDS, checkParcelField, checkParcelRecord } from '../../domain/parcelFields.ts';
import { can, type Actor, type Permission } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot, type Snapshot } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { forbidden } from '../auth/middleware.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { assertSavable, checkParcelGeometry, parseGeometry } from './geometryCheck.ts';
import { buildSet } from './updateBuilder.ts';
import { checkChanges, requireVersion } from './writeInput.ts';
import { todayIso } from '../../domain/dates.ts';

const CASTS: Record<string, string> = Object.fromEntries(
  Object.entries(PARCEL_FIELDS).map(([field, spec]) => [
    field,
    spec.kind === 'date'
      ? 'date'
      : spec.kind === 'number'
        ? 'double precision'
        : spec.kind === 'boolean'
          ? 'boolean'
          : spec.kind === 'infrastructure'
            ? 'jsonb'
            : 'text',
  ]),
);

const validateChanges = (changes: unknown) => checkChanges(changes, checkParcelField);

function requireZoneAccess(actor: Actor, permissions: Iterable<Permission>, zoneId: number): void {
  for (const p of permissions) {
    if (!can(actor, p, zoneId)) {
      throw forbidden(
        actor.zone_ids && can({ ...actor, zone_ids: null }, p) ? 'You may edit only the zones you are assigned to.' : 'Your role does not allow this change.',
      );
    }
  }
}

async function lockParcel(tx: Queryable, id: number): Promise<Snapshot & { zone_id: number; version: number; code: string }> {
  await tx.query('SELECT id FROM parcels WHERE id = $1 FOR UPDATE', [id]);
  const current = await snapshot(tx, 'parcel', id);
  if (!current) throw notFound(`Parcel ${id} does not exist.`);
  return current as Snapshot & { zone_id: number; version: number; code: string };
}

function duplicateCode(err: unknown, code: unknown): never {
  if ((err as { code?: string }).code === '23505') {
    throw new HttpError(409, 'duplicate', `Parcel code "${String(code)}" already exists in this zone.`);
  }
  throw err;
}

export interface ParcelUpdateInput {
  version: unknown;
  changes?: unknown;
  geometry?: unknown;
  acceptOverlaps?: unknown;
  /** Set when the user accepted a repaired geometry: kept beside the parcel. */
  geometryNote?: unknown;
}

export async function updateParcel(db: Db, actor: Actor, id: number, input: ParcelUpdateInput): Promise<Snapshot> {
  const version = requireVersion(input.version);
  const changes = validateChanges(input.changes);
  const geometry = input.geometry === undefined ? undefined : parseGeometry(input.geometry);
  if (Object.keys(changes).length === 0 && !geometry) throw badRequest('Nothing to change: give "changes" and/or "geometry".');
  const note = typeof input.geometryNote === 'string' ? input.geometryNote.slice(0, 300) : undefined;

  return db.transaction(async (tx) => {
    const current = await lockParcel(tx, id);
    const needed = new Set<Permission>(Object.keys(changes).map((f) => PARCEL_FIELDS[f as keyof typeof PARCEL_FIELDS].permission));
    if (geometry) needed.add('parcel.editGeometry');
    requireZoneAccess(actor, needed, current.zone_id);
    if (current.version !== version) throw await conflictError(tx, 'parcel', id, version, current);

    const recordErrors = checkParcelRecord({ ...current, ...changes });
    if (recordErrors.length) throw badRequest(recordErrors.map((e) => `${e.field}: ${e.message}`).join(' '), { fields: recordErrors });

    const set = buildSet(CASTS, changes, 3);
    const parts = set.sql ? [set.sql] : [];
    const values: unknown[] = [id, version, ...set.values];
    if (geometry) {
      assertSavable(await checkParcelGeometry(tx, geometry, current.zone_id, [id]), input.acceptOverlaps === true);
      values.push(JSON.stringify(geometry));
      parts.push(`geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($${values.length}), 4326))`);
      values.push(note ?? null);
      parts.push(`geometry_note = $${values.length}`);
    }
    try {
      await tx.query(`UPDATE parcels SET ${parts.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`, values);
    } catch (err) {
      duplicateCode(err, changes.code);
    }
    const after = (await snapshot(tx, 'parcel', id))!;
    await recordAudit(tx, actor, { action: 'update', entity: 'parcel', entityId: id, before: current, after, note });
    return after;
  });
}

export interface ParcelCreateInput {
  zone_id?: unknown;
  code?: unknown;
  land_use_code?: unknown;
  geometry?: unknown;
  acceptOverlaps?: unknown;
  geometryNote?: unknown;
}

export async function createParcel(db: Db, actor: Actor, input: ParcelCreateInput): Promise<Snapshot> {
  if (!Number.isInteger(input.zone_id)) throw badRequest('"zone_id" is required.');
  const zoneId = input.zone_id as number;
  validateChanges({ code: input.code ?? null, land_use_code: input.land_use_code ?? null });
  const geometry = parseGeometry(input.geometry);
  requireZoneAccess(actor, ['parcel.editGeometry', 'parcel.editAttributes'], zoneId);
  const today = todayIso();
  return db.transaction(async (tx) => {
    assertSavable(await checkParcelGeometry(tx, geometry, zoneId), input.acceptOverlaps === true);
    let id: number;
    try {
      [{ id }] = await tx.query<{ id: number }>(
        `INSERT INTO parcels (zone_id, code, land_use_code, status, reserve_date, geom, geometry_note)
         VALUES ($1, $2, $3, 'reserve', $4::date, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)), $6) RETURNING id`,
        [
          zoneId,
          input.code,
          input.land_use_code,
          today,
          JSON.stringify(geometry),
          typeof input.geometryNote === 'string' ? input.geometryNote.slice(0, 300) : null,
        ],
      );
    } catch (err) {
      duplicateCode(err, input.code);
    }
    const after = (await snapshot(tx, 'parcel', id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'parcel', entityId: id, before: null, after });
    return after;
  });
}

/** A free code for a piece of a split parcel: CODE-2, CODE-3 … */
async function nextPieceCode(tx: Queryable, zoneId: number, base: string, taken: Set<string>): Promise<string> {
  for (let n = 2; ; n++) {
    const code = `${base}-${n}`.slice(0, 40);
    if (taken.has(code)) continue;
    const [row] = await tx.query('SELECT 1 FROM parcels WHERE zone_id = $1 AND code = $2', [zoneId, code]);
    if (!row) {
      taken.add(code);
      return code;
    }
  }
}

/** Columns a new piece inherits from the parcel it was cut from (everything but identity, geometry and register). */
const INHERITED = Object.keys(PARCEL_FIELDS).filter((f) => f !== 'code' && f !== 'registered_area_m2');

export async function splitParcel(db: Db, actor: Actor, id: number, input: { version?: unknown; line?: unknown }): Promise<{ parcels: Snapshot[] }> {
  const version = requireVersion(input.version);
  const line = input.line as { type?: string; coordinates?: unknown } | undefined;
  if (!line || line.type !== 'LineString' || !Array.isArray(line.coordinates) || line.coordinates.length < 2) {
    throw badRequest('"line" must be a GeoJSON LineString with at least two positions.');
  }
  const coords = line.coordinates as unknown[];
  if (
    !coords.every((p) => Array.isArray(p) && p.length >= 2 && p.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= 180))
  ) {
    throw badRequest('Every position of the line must be [longitude, latitude].');
  }
  return db.transaction(async (tx) => {
    const current = await lockParcel(tx, id);
    requireZoneAccess(actor, ['parcel.editGeometry'], current.zone_id);
    if (current.version !== version) throw await conflictError(tx, 'parcel', id, version, current);
    // Geometry stays in PostGIS from cut to save (no GeoJSON round trip), so the pieces add up exactly.
    const cut = `SELECT d.path[1] AS n, d.geom, ST_Area(geography(d.geom)) AS area_m2
       FROM parcels p, ST_Dump(ST_Split(p.geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))) d WHERE p.id = $1`;
    const pieces = await tx.query<{ n: number; area_m2: number }>(`SELECT n, area_m2 FROM (${cut}) s ORDER BY area_m2 DESC, n`, [id, JSON.stringify(line)]);
    if (pieces.length < 2) throw new HttpError(422, 'no_split', 'The line does not cut the parcel in two: draw it across the parcel, from outside to outside.');
    if (pieces.some((p) => p.area_m2 < 1)) throw new HttpError(422, 'sliver', 'The cut would leave a sliver under 1 m²: draw the line again.');

    // The largest piece keeps the parcel's identity (code, enterprises, projects); the others become new
    // parcels, inserted first while the original geometry is still there to cut from.
    const taken = new Set<string>();
    const created: Snapshot[] = [];
    for (const piece of pieces.slice(1)) {
      const code = await nextPieceCode(tx, current.zone_id, current.code, taken);
      const cols = INHERITED.join(', ');
      const [{ id: newId }] = await tx.query<{ id: number }>(
        `INSERT INTO parcels (zone_id, code, ${cols}, geom)
         SELECT zone_id, $3, ${cols}, ST_Multi((SELECT geom FROM (${cut}) s WHERE n = $4)) FROM parcels WHERE id = $1 RETURNING id`,
        [id, JSON.stringify(line), code, piece.n],
      );
      const after = (await snapshot(tx, 'parcel', newId))!;
      created.push(after);
      await recordAudit(tx, actor, { action: 'create', entity: 'parcel', entityId: newId, before: null, after, note: `split from ${current.code}` });
    }
    await tx.query(
      `UPDATE parcels SET geom = ST_Multi((SELECT geom FROM (${cut}) s WHERE n = $3)), registered_area_m2 = NULL,
         version = version + 1, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(line), pieces[0].n],
    );
    const kept = (await snapshot(tx, 'parcel', id))!;
    await recordAudit(tx, actor, {
      action: 'split',
      entity: 'parcel',
      entityId: id,
      before: current,
      after: kept,
      note: `split into ${[current.code, ...created.map((c) => c.code)].join(', ')}`,
    });
    return { parcels: [kept, ...created] };
  });
}

export async function mergeParcels(db: Db, actor: Actor, input: { parcels?: unknown }): Promise<{ parcel: Snapshot; removed: number[] }> {
  const list = input.parcels;
  if (!Array.isArray(list) || list.length < 2 || list.length > 20) throw badRequest('"parcels" must list 2 to 20 parcels as {id, version}.');
  const wanted = list.map((p) => ({ id: (p as { id?: unknown }).id, version: requireVersion((p as { version?: unknown }).version) }));
  if (!wanted.every((p) => Number.isInteger(p.id))) throw badRequest('Every parcel needs a whole-number id.');
  if (new Set(wanted.map((p) => p.id)).size !== wanted.length) throw badRequest('A parcel is listed twice.');

  return db.transaction(async (tx) => {
    // All rows locked at once in id order: two merges of the same parcels listed in opposite orders then queue
    // behind each other instead of each holding one row and waiting for the other (a deadlock).
    await tx.query('SELECT id FROM parcels WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [wanted.map((w) => w.id)]);
    const currents: (Snapshot & { zone_id: number; version: number; code: string; id: number })[] = [];
    for (const w of wanted) {
      const c = await lockParcel(tx, w.id as number);
      requireZoneAccess(actor, ['parcel.editGeometry'], c.zone_id);
      if (c.version !== w.version) throw await conflictError(tx, 'parcel', c.id as number, w.version, c);
      currents.push(c as (typeof currents)[number]);
    }
    if (new Set(currents.map((c) => c.zone_id)).size > 1) throw new HttpError(422, 'different_zones', 'Only parcels of the same zone can be merged.');
    const ids = currents.map((c) => c.id);
    const unionSql = 'SELECT ST_UnaryUnion(ST_Collect(geom)) AS u FROM parcels WHERE id = ANY($1::int[])';
    const [union] = await tx.query<{ parts: number }>(`SELECT ST_NumGeometries(u) AS parts FROM (${unionSql}) s`, [ids]);
    if (union.parts !== 1) throw new HttpError(422, 'not_adjacent', 'These parcels do not share a boundary: only adjacent parcels can be merged.');

    // The first parcel listed survives; the land, enterprises, projects and buildings of the others move to it.
    const [survivor, ...others] = currents;
    const otherIds = others.map((o) => o.id);
    // A 标准地 transfer is a contract for its own parcel: that parcel may take others in, but not disappear into one.
    const transferred = await tx.query<{ code: string }>(
      'SELECT p.code FROM land_transfers t JOIN parcels p ON p.id = t.parcel_id WHERE t.parcel_id = ANY($1::int[])',
      [otherIds],
    );
    if (transferred.length) {
      const codes = transferred.map((t) => t.code);
      throw new HttpError(
        409,
        'parcel_transferred',
        `Parcel ${codes.join(', ')} has a 标准地 transfer contract and cannot be merged into another parcel; list it first to keep it.`,
        { message_zh: `地块 ${codes.join('、')} 已有标准地出让合同，不能并入其他地块；如需合并，请把它列为第一个（保留的）地块。` },
      );
    }
    // The union is saved before the others go, computed in PostGIS so that no area is lost to rounding.
    await tx.query(
      `UPDATE parcels SET geom = ST_Multi((${unionSql.replace('$1', '$2')})), registered_area_m2 = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
      [survivor.id, ids],
    );
    await tx.query(
      `INSERT INTO parcel_uses (parcel_id, enterprise_id, role, area_m2)
       SELECT $1, enterprise_id, role, area_m2 FROM parcel_uses WHERE parcel_id = ANY($2::int[])
       ON CONFLICT (parcel_id, enterprise_id) DO UPDATE SET area_m2 = parcel_uses.area_m2 + EXCLUDED.area_m2`,
      [survivor.id, otherIds],
    );
    await tx.query('DELETE FROM parcel_uses WHERE parcel_id = ANY($1::int[])', [otherIds]);
    await tx.query('UPDATE projects SET parcel_id = $1 WHERE parcel_id = ANY($2::int[])', [survivor.id, otherIds]);
    await tx.query('UPDATE factory_buildings SET parcel_id = $1 WHERE parcel_id = ANY($2::int[])', [survivor.id, otherIds]);
    await tx.query('DELETE FROM parcels WHERE id = ANY($1::int[])', [otherIds]);
    const after = (await snapshot(tx, 'parcel', survivor.id))!;
    for (const o of others)
      await recordAudit(tx, actor, { action: 'delete', entity: 'parcel', entityId: o.id, before: o, after: null, note: `merged into ${survivor.code}` });
    await recordAudit(tx, actor, {
      action: 'merge',
      entity: 'parcel',
      entityId: survivor.id,
      before: survivor,
      after,
      note: `merged ${currents.map((c) => c.code).join(' + ')}`,
    });
    return { parcel: after, removed: otherIds };
  });
}
