/**
 * Zone boundaries (polygons, or a table updating zones by code): a zone is found again by its 园区代码.
 * Zones are shared by everyone, so only users not limited to some zones who may edit zones import them. A
 * new boundary must keep the zone's parcels inside, as for a zone edited on the map.
 */
import type { MultiPolygon } from 'geojson';
import { ZONE_TARGETS, convertLevel, convertNumber } from '../../domain/importMapping.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { insertImported, restoreImported, updateImported } from './importedRecords.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { checkZoneField } from '../services/otherWrites.ts';
import { toLonLat } from './crs.ts';
import { asMultiPolygon, positions, reprojectGeometry, type ImportIssue, type ImportSettings, type Severity } from './pipeline.ts';
import type { SourceDataset } from './readers.ts';
import { Pacer } from './pace.ts';

const ZONE_COLUMNS = ZONE_TARGETS.filter((t) => t.key !== 'code').map((t) => t.column!);
const REQUIRED_NEW = ['name', 'level', 'city'] as const;

export interface ZoneRow {
  n: number;
  where: Message;
  code: string | null;
  values: Record<string, unknown>;
  geometry: MultiPolygon | null;
}

interface Existing {
  id: number;
  code: string;
  version: number;
  snap: Record<string, unknown>;
}

export async function runZoneChecks(tx: Queryable, actor: Actor, dataset: SourceDataset, settings: ImportSettings) {
  const issues: ImportIssue[] = [];
  const f = settings.mapping.fields;
  const add = (r: { n: number; where: Message }, code: string | null, severity: Severity, kind: string, message: Message) =>
    issues.push({ n: r.n, where: r.where, code, severity, kind, message });
  const convert = toLonLat(settings.epsg);
  const allowed = actor.zone_ids === null && can(actor, 'zone.edit');

  const rows: ZoneRow[] = dataset.features.map((feat) => {
    const cell = (key: string) => (f[key] ? feat.properties[f[key]!] : undefined);
    const raw = cell('code');
    const code = raw === undefined || raw === null || String(raw).trim() === '' ? null : String(raw).trim();
    if (!f.code)
      add(feat, null, 'error', 'no_code_column', msg('No column is mapped to the zone code (园区代码): choose one.', '未指定“园区代码”对应的列，请选择。'));
    else if (!code) add(feat, null, 'error', 'missing_code', msg('The zone code is empty.', '园区代码为空。'));
    else if (code.length > 40)
      add(feat, code.slice(0, 40), 'error', 'bad_code', msg('The zone code is longer than 40 characters.', '园区代码超过 40 个字符。'));
    if (!allowed)
      add(
        feat,
        code,
        'error',
        'zone_not_allowed',
        msg(
          'Zones are shared by everyone: only administrators and planners not limited to some zones may import them.',
          '园区为各方共用：仅未限定园区的管理员、规划人员可以导入园区。',
        ),
      );
    const row: ZoneRow = { n: feat.n, where: feat.where, code, values: {}, geometry: null };
    for (const target of ZONE_TARGETS) {
      if (!f[target.key] || target.key === 'code') continue;
      const v = cell(target.key);
      const fail = (m: Message, kind: string) =>
        add(feat, code, 'error', kind, msg(`${target.en} ("${f[target.key]}"): ${m.en}`, `${target.zh}（“${f[target.key]}”）：${m.zh}`));
      let converted: { value: unknown } | { error: Message };
      if (target.kind === 'level') converted = convertLevel(v);
      else if (target.kind === 'number') converted = convertNumber(v);
      else converted = { value: v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim() };
      if ('error' in converted) {
        fail(converted.error, target.kind === 'level' ? 'unknown_level' : 'bad_number');
        continue;
      }
      if (converted.value === null) continue;
      const m = checkZoneField(target.column!, converted.value);
      if (m) {
        fail(m, target.kind === 'number' ? 'bad_number' : 'bad_text');
        continue;
      }
      row.values[target.column!] = converted.value;
    }
    if (feat.geometry) {
      const g = asMultiPolygon(reprojectGeometry(feat.geometry, convert, settings.swapped));
      if (!g)
        add(
          feat,
          code,
          'error',
          'not_polygon',
          msg(`The geometry is a ${feat.geometry.type}: a zone boundary is a polygon.`, `几何类型为 ${feat.geometry.type}：园区边界须为面。`),
        );
      else {
        const bad = [...positions(g)].find(([lon, lat]) => !Number.isFinite(lon) || !Number.isFinite(lat) || lon < 73 || lon > 136 || lat < 3 || lat > 54);
        if (bad)
          add(
            feat,
            code,
            'error',
            'outside_china',
            msg(
              `A point lands at ${bad.map((v) => v.toFixed(4)).join(', ')}, outside China: the coordinate system is wrong.`,
              `有坐标点落在 ${bad.map((v) => v.toFixed(4)).join(', ')}，不在中国境内：坐标系有误。`,
            ),
          );
        else row.geometry = g;
      }
    }
    return row;
  });

  // Geometry validity, with ST_MakeValid's repair when the user accepts it.
  const withGeom = rows.filter((r) => r.geometry);
  const checked = withGeom.length
    ? await tx.query<{ n: number; valid: boolean; reason: string; repaired: MultiPolygon | null; area_m2: number }>(
        `WITH f AS (SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_to_recordset($1::json) AS x(n int, g text)),
              v AS (SELECT n, ST_IsValid(geom) AS valid, ST_IsValidReason(geom) AS reason,
                      CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END AS fixed FROM f)
         SELECT n, valid, reason, CASE WHEN valid THEN NULL ELSE ST_AsGeoJSON(fixed, 8)::json END AS repaired, ST_Area(geography(fixed)) AS area_m2 FROM v ORDER BY n`,
        [JSON.stringify(withGeom.map((r) => ({ n: r.n, g: JSON.stringify(r.geometry) })))],
      )
    : [];
  for (const c of checked) {
    const r = rows.find((x) => x.n === c.n)!;
    if (c.valid) continue;
    if (!c.repaired || c.area_m2 <= 0) {
      add(
        r,
        r.code,
        'error',
        'invalid_geometry',
        msg(`The boundary is not valid (${c.reason}) and cannot be repaired.`, `园区边界无效（${c.reason}），且无法修复。`),
      );
      r.geometry = null;
      continue;
    }
    add(
      r,
      r.code,
      settings.repair ? 'warning' : 'error',
      'invalid_geometry',
      settings.repair
        ? msg(`The boundary was not valid (${c.reason}); it is repaired with ST_MakeValid.`, `园区边界无效（${c.reason}），已用 ST_MakeValid 修复。`)
        : msg(
            `The boundary is not valid (${c.reason}): accept the repair (ST_MakeValid) or fix the file.`,
            `园区边界无效（${c.reason}）：请接受自动修复（ST_MakeValid）或修改文件。`,
          ),
    );
    r.geometry = c.repaired;
    r.values.geometry_note = `repaired on import (${c.reason})`.slice(0, 300);
  }

  const seen = new Map<string, number>();
  for (const r of rows) {
    if (!r.code) continue;
    if (seen.has(r.code))
      add(
        r,
        r.code,
        'error',
        'duplicate_code',
        msg(
          `The zone code ${r.code} appears again (first at feature/row ${seen.get(r.code)}).`,
          `园区代码 ${r.code} 重复（首次出现在第 ${seen.get(r.code)} 个要素/行）。`,
        ),
      );
    else seen.set(r.code, r.n);
  }
  const codes = [...seen.keys()];
  const existingRows = codes.length
    ? await tx.query<Existing>(
        `SELECT id, code, version, to_jsonb(z) - 'geom' - 'area_m2' || jsonb_build_object('geometry', ST_AsGeoJSON(z.geom, 9)::jsonb) AS snap FROM zones z WHERE code = ANY($1::text[])`,
        [codes],
      )
    : [];
  const existing = new Map(existingRows.map((e) => [e.code, e]));
  let toCreate = 0;
  let toUpdate = 0;
  for (const r of rows) {
    if (!r.code || seen.get(r.code) !== r.n) continue;
    const e = existing.get(r.code);
    if (e) {
      toUpdate++;
      continue;
    }
    toCreate++;
    if (!r.geometry && !issues.some((i) => i.n === r.n && i.kind === 'invalid_geometry'))
      add(
        r,
        r.code,
        'error',
        'unknown_zone',
        msg(`No zone ${r.code} to update, and no boundary to create it with.`, `没有园区代码为 ${r.code} 的园区可更新，也没有边界可用于新建。`),
      );
    const missing = REQUIRED_NEW.filter((c) => r.values[c] === undefined);
    if (missing.length) {
      const names = missing.map((c) => ZONE_TARGETS.find((t) => t.column === c)!);
      add(
        r,
        r.code,
        'error',
        'missing_field',
        msg(
          `A new zone needs ${names.map((t) => t.en.toLowerCase()).join(', ')}: map the column or fill it in.`,
          `新园区需要${names.map((t) => t.zh).join('、')}：请指定对应列或补全数据。`,
        ),
      );
    }
  }

  // A new boundary must keep the zone's parcels inside (as for a boundary edited on the map).
  const redrawn = rows.filter((r) => r.geometry && r.code && existing.has(r.code));
  if (redrawn.length) {
    const outside = await tx.query<{ n: number; codes: string[]; count: number }>(
      `WITH f AS (SELECT n, zone_id, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_to_recordset($1::json) AS x(n int, zone_id int, g text))
       SELECT f.n, (array_agg(p.code ORDER BY p.code))[1:20] AS codes, count(*)::int AS count
       FROM f JOIN parcels p ON p.zone_id = f.zone_id
       WHERE ST_Area(geography(ST_Difference(p.geom, f.geom))) > 1 GROUP BY f.n ORDER BY f.n`,
      [JSON.stringify(redrawn.map((r) => ({ n: r.n, zone_id: existing.get(r.code!)!.id, g: JSON.stringify(r.geometry) })))],
    );
    for (const o of outside) {
      const r = rows.find((x) => x.n === o.n)!;
      const more = o.count > o.codes.length ? ` …(${o.count})` : '';
      add(
        r,
        r.code,
        'error',
        'parcels_outside',
        msg(
          `The new boundary leaves parcels of the zone outside: ${o.codes.join(', ')}${more}. Move or remove them first, or fix the boundary.`,
          `新边界使本园区地块落在园区外：${o.codes.join('、')}${more}。请先移动或删除这些地块，或修改边界。`,
        ),
      );
    }
  }
  issues.sort((a, b) => a.n - b.n);
  return { rows, issues, existing, toCreate, toUpdate };
}

/** Writes the checked zones: created or updated by code, each recorded for undo. */
export async function commitZones(tx: Queryable, importId: number, checked: Awaited<ReturnType<typeof runZoneChecks>>) {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  let created = 0;
  let updated = 0;
  const zoneIds: number[] = [];
  for (const r of checked.rows) {
    await pacer.maybeYield();
    const e = checked.existing.get(r.code!);
    if (e) {
      await updateImported(tx, importId, 'zone', e.id, e.snap, r.values, r.geometry);
      zoneIds.push(e.id);
      updated++;
    } else {
      const id = await insertImported(tx, importId, 'zone', { code: r.code, ...r.values }, r.geometry);
      zoneIds.push(id);
      created++;
    }
  }
  return { created, updated, zoneIds };
}

/**
 * Undoes the zone part of an import. Refused (nothing undone) when a zone was changed since, a created zone
 * now holds parcels, projects, buildings or figures, or the old boundary would leave today's parcels outside.
 */
export async function undoZones(tx: Queryable, importId: number): Promise<{ removed: number; restored: number }> {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  const items = await tx.query<{
    record_id: number;
    action: string;
    before: Record<string, unknown> | null;
    version_after: number;
    version: number | null;
    code: string | null;
    used: boolean;
    outside: string[] | null;
  }>(
    `SELECT i.record_id, i.action, i.before, i.version_after, z.version, z.code,
       EXISTS (SELECT 1 FROM parcels x WHERE x.zone_id = i.record_id) OR EXISTS (SELECT 1 FROM projects x WHERE x.zone_id = i.record_id)
         OR EXISTS (SELECT 1 FROM factory_buildings x WHERE x.zone_id = i.record_id) OR EXISTS (SELECT 1 FROM zone_monthly_indicators x WHERE x.zone_id = i.record_id)
         OR EXISTS (SELECT 1 FROM zone_yearly_targets x WHERE x.zone_id = i.record_id) AS used,
       CASE WHEN i.action = 'update' THEN ARRAY(
         SELECT p.code FROM parcels p WHERE p.zone_id = i.record_id
           AND ST_Area(geography(ST_Difference(p.geom, ST_SetSRID(ST_GeomFromGeoJSON(i.before->>'geometry'), 4326)))) > 1 ORDER BY p.code LIMIT 10) END AS outside
     FROM import_items i LEFT JOIN zones z ON z.id = i.record_id WHERE i.import_id = $1 AND i.entity = 'zone' ORDER BY i.id`,
    [importId],
  );
  const blocked = items.filter((i) => i.version !== i.version_after || (i.action === 'create' && i.used));
  if (blocked.length) {
    const list = blocked.slice(0, 10).map((b) => b.code ?? `#${b.record_id}`);
    throw new HttpError(
      409,
      'import_changed_since',
      `Zones changed after the import, or created by it and now holding parcels, projects or figures (${list.join(', ')}): nothing was undone.`,
      {
        message_zh: `导入后以下园区已被修改，或由本次导入新建且已有地块、项目或指标（${list.join('、')}）：本次未撤销任何内容。`,
      },
    );
  }
  const outside = items.filter((i) => i.outside && i.outside.length);
  if (outside.length) {
    const codes = outside.flatMap((i) => i.outside!).slice(0, 10);
    throw new HttpError(409, 'parcels_outside', `The old boundary would leave parcels drawn since outside (${codes.join(', ')}): nothing was undone.`, {
      message_zh: `恢复原边界会使此后绘制的地块落在园区外（${codes.join('、')}）：本次未撤销任何内容。`,
      parcels: codes,
    });
  }
  let removed = 0;
  let restored = 0;
  for (const i of items) {
    await pacer.maybeYield();
    if (i.action === 'create') {
      await tx.query('DELETE FROM zones WHERE id = $1', [i.record_id]);
      removed++;
      continue;
    }
    await restoreImported(tx, importId, 'zone', i.record_id, i.before as { version: number; geometry?: unknown }, [...ZONE_COLUMNS, 'geometry_note']);
    restored++;
  }
  return { removed, restored };
}
