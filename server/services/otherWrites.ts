/** Writes to projects and zones, with the same version checks and audit entries as parcels. */
import { PROJECT_FIELDS, checkProjectField, checkProjectRecord } from '../../domain/projectFields.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { conflictError, recordAudit, snapshot, type Snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { parcelFollowsProject } from '../../domain/parcelFollowsProject.ts';
import { loadStages } from './supervision.ts';
import { checkParcelRecord } from '../../domain/parcelFields.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { parseGeometry } from './geometryCheck.ts';
import { buildSet } from './updateBuilder.ts';
import { checkChanges, requireVersion } from './writeInput.ts';

const PROJECT_CASTS: Record<string, string> = Object.fromEntries(
  Object.entries(PROJECT_FIELDS).map(([f, kind]) => [
    f,
    kind === 'number' ? 'double precision' : kind === 'date' ? 'date' : kind === 'stageDates' ? 'jsonb' : 'text',
  ]),
);

export async function updateProject(
  db: Db,
  actor: Actor,
  id: number,
  input: { version?: unknown; changes?: unknown; parcel_id?: unknown; parcel_code?: unknown },
): Promise<Snapshot> {
  const version = requireVersion(input.version);
  const changes = checkChanges(input.changes, checkProjectField);
  // Added stages' dates are sent whole; a cleared date is left out.
  if (changes.extra_stage_dates)
    changes.extra_stage_dates = Object.fromEntries(Object.entries(changes.extra_stage_dates as Record<string, unknown>).filter(([, d]) => d !== null));
  if (input.parcel_code !== undefined) {
    // The form names the parcel by its code, within the project's zone.
    if (input.parcel_id !== undefined) throw badRequest('Give "parcel_id" or "parcel_code", not both.');
    if (input.parcel_code !== null && (typeof input.parcel_code !== 'string' || input.parcel_code.trim() === ''))
      throw badRequest('"parcel_code" must be a parcel code or null.');
    if (input.parcel_code === null) input = { ...input, parcel_id: null };
    else {
      const [p] = await db.query<{ id: number }>('SELECT p.id FROM parcels p JOIN projects pr ON pr.zone_id = p.zone_id WHERE pr.id = $1 AND p.code = $2', [
        id,
        (input.parcel_code as string).trim(),
      ]);
      if (!p)
        throw badRequest(
          `该开发区没有编号为“${(input.parcel_code as string).trim().slice(0, 40)}”的地块。 No parcel with code "${(input.parcel_code as string).trim().slice(0, 40)}" in the project's zone.`,
        );
      input = { ...input, parcel_id: p.id };
    }
  }
  const linkParcel = input.parcel_id !== undefined;
  if (linkParcel && input.parcel_id !== null && !Number.isInteger(input.parcel_id)) throw badRequest('"parcel_id" must be a parcel id or null.');
  if (Object.keys(changes).length === 0 && !linkParcel) throw badRequest('Nothing to change.');
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [id]);
    const current = await snapshot(tx, 'project', id);
    if (!current) throw notFound(`Project ${id} does not exist.`);
    const zoneId = current.zone_id as number;
    if (!can(actor, 'project.edit', zoneId))
      throw forbidden(can({ ...actor, zone_ids: null }, 'project.edit') ? 'You may edit only the zones you are assigned to.' : undefined);
    if (current.version !== version) throw await conflictError(tx, 'project', id, version, current);
    const { stages } = await loadStages(tx);
    const errors = checkProjectRecord({ ...current, ...changes }, stages);
    if (errors.length) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join(' '), { fields: errors });
    const set = buildSet(PROJECT_CASTS, changes, 3);
    const parts = set.sql ? [set.sql] : [];
    const values: unknown[] = [id, version, ...set.values];
    if (linkParcel) {
      if (input.parcel_id !== null) {
        const [p] = await tx.query<{ zone_id: number }>('SELECT zone_id FROM parcels WHERE id = $1', [input.parcel_id]);
        if (!p) throw badRequest(`Parcel ${input.parcel_id} does not exist.`);
        if (p.zone_id !== zoneId) throw badRequest('The parcel is in another zone than the project.');
      }
      values.push(input.parcel_id);
      parts.push(`parcel_id = $${values.length}::int`);
    }
    await tx.query(`UPDATE projects SET ${parts.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`, values);
    const after = (await snapshot(tx, 'project', id))!;
    await recordAudit(tx, actor, { action: 'update', entity: 'project', entityId: id, before: current, after });
    if (after.parcel_id) await parcelFollows(tx, actor, after);
    return after;
  });
}

/** The linked parcel takes the project's step (domain/parcelFollowsProject.ts), checked and audited like any parcel edit. */
async function parcelFollows(tx: Queryable, actor: Actor, project: Snapshot): Promise<void> {
  const parcelId = project.parcel_id as number;
  await tx.query('SELECT id FROM parcels WHERE id = $1 FOR UPDATE', [parcelId]);
  const parcel = await snapshot(tx, 'parcel', parcelId);
  if (!parcel) return;
  const changes = parcelFollowsProject(project, parcel);
  if (!changes) return;
  const errors = checkParcelRecord({ ...parcel, ...changes });
  if (errors.length) {
    throw new HttpError(
      422,
      'parcel_does_not_follow',
      `地块 ${parcel.code} 无法随项目更新：${errors.map((e) => e.message_zh).join(' ')} Parcel ${parcel.code} cannot follow the project: ${errors.map((e) => e.message).join(' ')}`,
      { fields: errors },
    );
  }
  const set = buildSet({ status: 'text', supplied_date: 'date', started_date: 'date', producing_date: 'date', at_capacity_date: 'date' }, changes, 2);
  await tx.query(`UPDATE parcels SET ${set.sql}, version = version + 1, updated_at = now() WHERE id = $1`, [parcelId, ...set.values]);
  const after = (await snapshot(tx, 'parcel', parcelId))!;
  await recordAudit(tx, actor, { action: 'update', entity: 'parcel', entityId: parcelId, before: parcel, after, note: `follows project ${project.id}` });
}

const ZONE_CASTS: Record<string, string> = {
  name: 'text',
  name_en: 'text',
  level: 'text',
  city: 'text',
  county: 'text',
  leading_industry: 'text',
  approved_area_ha: 'double precision',
  contact_phone: 'text',
};

export function checkZoneField(field: string, value: unknown): Message | null {
  if (!(field in ZONE_CASTS)) return msg(`Unknown field "${field}".`, `未知字段“${field}”。`);
  if (field === 'level') return value === 'national' || value === 'provincial' ? null : msg('Level is national or provincial.', '级别为国家级或省级。');
  if (field === 'approved_area_ha')
    return value === null || (typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1e7)
      ? null
      : msg('A positive area in hectares.', '须为正的公顷数。');
  if (value === null) return field === 'name' || field === 'city' ? msg('This field cannot be empty.', '此项不能为空。') : null;
  return typeof value === 'string' && value.trim().length > 0 && value.length <= 200 ? null : msg('Text of 1–200 characters.', '文字长度 1–200 个字符。');
}

export async function updateZone(db: Db, actor: Actor, id: number, input: { version?: unknown; changes?: unknown; geometry?: unknown }): Promise<Snapshot> {
  const version = requireVersion(input.version);
  const changes = checkChanges(input.changes, checkZoneField);
  const geometry = input.geometry === undefined ? undefined : parseGeometry(input.geometry);
  if (Object.keys(changes).length === 0 && !geometry) throw badRequest('Nothing to change.');
  if (!can(actor, 'zone.edit', id))
    throw forbidden(can({ ...actor, zone_ids: null }, 'zone.edit') ? 'You may edit only the zones you are assigned to.' : undefined);
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM zones WHERE id = $1 FOR UPDATE', [id]);
    const current = await snapshot(tx, 'zone', id);
    if (!current) throw notFound(`Zone ${id} does not exist.`);
    if (current.version !== version) throw await conflictError(tx, 'zone', id, version, current);
    const set = buildSet(ZONE_CASTS, changes, 3);
    const parts = set.sql ? [set.sql] : [];
    const values: unknown[] = [id, version, ...set.values];
    if (geometry) {
      const [v] = await tx.query<{ valid: boolean; reason: string }>(
        'SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s',
        [JSON.stringify(geometry)],
      );
      if (!v.valid) throw new HttpError(422, 'invalid_geometry', `The boundary is not valid (${v.reason}).`);
      // A boundary must keep its parcels inside.
      const outside = await tx.query<{ code: string }>(
        `SELECT code FROM parcels WHERE zone_id = $1
           AND ST_Area(geography(ST_Difference(geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)))) > 1 ORDER BY code LIMIT 20`,
        [id, JSON.stringify(geometry)],
      );
      if (outside.length) {
        throw new HttpError(
          422,
          'parcels_outside',
          `The new boundary leaves parcels outside: ${outside.map((o) => o.code).join(', ')}. Move or remove them first.`,
          {
            parcels: outside.map((o) => o.code),
          },
        );
      }
      values.push(JSON.stringify(geometry));
      parts.push(`geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($${values.length}), 4326))`);
    }
    await tx.query(`UPDATE zones SET ${parts.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`, values);
    const after = (await snapshot(tx, 'zone', id))!;
    await recordAudit(tx, actor, { action: 'update', entity: 'zone', entityId: id, before: current, after });
    return after;
  });
}
