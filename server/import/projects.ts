/**
 * Project lists (points, or tables naming the zone and perhaps the parcel): a project is found again by its
 * name within its zone, so re-importing a list updates instead of duplicating. The same stages as parcels:
 * checks with a report, an all-or-nothing commit, and undo as a whole.
 */
import type { Point } from 'geojson';
import { PROJECT_TARGETS, convertBoolean, convertDate, convertNumber, convertStage, moneyToWan } from '../../domain/importMapping.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { PROJECT_FIELDS, checkProjectField, checkProjectRecord } from '../../domain/projectFields.ts';
import { insertImported, restoreImported, updateImported } from './importedRecords.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { loadStages } from '../services/supervision.ts';
import { toLonLat } from './crs.ts';
import type { ImportIssue, ImportSettings, Severity } from './pipeline.ts';
import type { SourceDataset } from './readers.ts';
import { Pacer } from './pace.ts';

/** Columns an import writes besides the project fields. */
const LINK_COLUMNS = ['parcel_id', 'enterprise_id', 'is_industrial'] as const;
const RESTORE_COLUMNS = [...Object.keys(PROJECT_FIELDS).filter((c) => c !== 'extra_stage_dates'), ...LINK_COLUMNS];

export interface ProjectRow {
  n: number;
  where: Message;
  code: string | null;
  zoneId: number | null;
  parcelCode: string | null;
  creditCode: string | null;
  values: Record<string, unknown>;
  /** Longitude/latitude: from the file, else the linked parcel's, else the zone's (new projects). */
  geometry: Point | null;
}

interface Existing {
  id: number;
  zone_id: number;
  name: string;
  version: number;
  snap: Record<string, unknown>;
}

const inChina = ([lon, lat]: number[]) => Number.isFinite(lon) && Number.isFinite(lat) && lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54;

export async function runProjectChecks(tx: Queryable, actor: Actor, dataset: SourceDataset, settings: ImportSettings) {
  const issues: ImportIssue[] = [];
  const f = settings.mapping.fields;
  const add = (r: { n: number; where: Message }, code: string | null, severity: Severity, kind: string, message: Message) =>
    issues.push({ n: r.n, where: r.where, code, severity, kind, message });
  const zones = await tx.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM zones ORDER BY id');
  const { stages } = await loadStages(tx);
  const convert = toLonLat(settings.epsg);
  const unit = settings.mapping.moneyUnit ?? 'wan';

  const rows: ProjectRow[] = dataset.features.map((feat) => {
    const cell = (key: string) => (f[key] ? feat.properties[f[key]!] : undefined);
    const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? null : String(v).trim());
    const name = text(cell('name'));
    if (!f.name) add(feat, null, 'error', 'no_code_column', msg('No column is mapped to the project name: choose one.', '未指定“项目名称”对应的列，请选择。'));
    else if (!name) add(feat, null, 'error', 'missing_code', msg('The project name is empty.', '项目名称为空。'));
    else if (name.length > 200)
      add(feat, name.slice(0, 40), 'error', 'bad_code', msg('The project name is longer than 200 characters.', '项目名称超过 200 个字符。'));
    const row: ProjectRow = {
      n: feat.n,
      where: feat.where,
      code: name,
      zoneId: settings.zoneId,
      parcelCode: text(cell('parcel_code')),
      creditCode: text(cell('enterprise_credit_code'))?.toUpperCase() ?? null,
      values: {},
      geometry: null,
    };
    const zoneCell = text(cell('zone'));
    if (zoneCell) {
      const z = zones.find((x) => x.code === zoneCell || x.name === zoneCell);
      if (!z) add(feat, name, 'error', 'unknown_zone', msg(`Unknown zone "${zoneCell.slice(0, 40)}".`, `未知的园区“${zoneCell.slice(0, 40)}”。`));
      else row.zoneId = z.id;
    }
    for (const target of PROJECT_TARGETS) {
      if (!f[target.key] || ['code', 'zone', 'parcelCode', 'creditCode'].includes(target.kind)) continue;
      const v = cell(target.key);
      const fail = (m: Message, kind: string) =>
        add(feat, name, 'error', kind, msg(`${target.en} ("${f[target.key]}"): ${m.en}`, `${target.zh}（“${f[target.key]}”）：${m.zh}`));
      let converted: { value: unknown } | { error: Message };
      if (target.kind === 'date') converted = convertDate(v);
      else if (target.kind === 'boolean') converted = convertBoolean(v);
      else if (target.kind === 'stage') converted = convertStage(v, stages);
      else if (target.kind === 'text') converted = { value: text(v) };
      else {
        converted = convertNumber(v);
        if (target.kind === 'money' && 'value' in converted && converted.value !== null) converted = { value: moneyToWan(converted.value as number, unit) };
      }
      if ('error' in converted) {
        fail(converted.error, target.kind === 'date' ? 'bad_date' : target.kind === 'stage' ? 'unknown_stage' : 'bad_number');
        continue;
      }
      if (converted.value === null) continue;
      const m = target.column! in PROJECT_FIELDS ? checkProjectField(target.column!, converted.value) : null;
      if (m) {
        fail(m, target.kind === 'date' ? 'bad_date' : target.kind === 'text' ? 'bad_text' : 'bad_number');
        continue;
      }
      row.values[target.column!] = converted.value;
    }
    if (feat.geometry) {
      if (feat.geometry.type !== 'Point')
        add(
          feat,
          name,
          'error',
          'not_point',
          msg(`The geometry is a ${feat.geometry.type}: a project is a point.`, `几何类型为 ${feat.geometry.type}：项目须为点。`),
        );
      else {
        const [x, y] = feat.geometry.coordinates;
        const p = convert(settings.swapped ? [y, x] : [x, y]);
        if (!inChina(p))
          add(
            feat,
            name,
            'error',
            'outside_china',
            msg(
              `The point lands at ${p.map((v) => v.toFixed(4)).join(', ')}, outside China: the coordinate system is wrong.`,
              `点落在 ${p.map((v) => v.toFixed(4)).join(', ')}，不在中国境内：坐标系有误。`,
            ),
          );
        else row.geometry = { type: 'Point', coordinates: p };
      }
    }
    return row;
  });

  // The zone a point lies in, when neither the file nor the user names it.
  const located = rows.filter((r) => r.geometry);
  const where = located.length
    ? await tx.query<{ n: number; zone_id: number | null }>(
        `SELECT x.n, (SELECT z.id FROM zones z WHERE ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326)) ORDER BY z.id LIMIT 1) AS zone_id
         FROM json_to_recordset($1::json) AS x(n int, lon float8, lat float8)`,
        [JSON.stringify(located.map((r) => ({ n: r.n, lon: r.geometry!.coordinates[0], lat: r.geometry!.coordinates[1] })))],
      )
    : [];
  const zoneOfPoint = new Map(where.map((w) => [w.n, w.zone_id]));
  for (const r of rows) {
    const inZone = zoneOfPoint.get(r.n);
    if (r.zoneId === null && inZone) r.zoneId = inZone;
    if (r.zoneId === null) {
      if (!issues.some((i) => i.n === r.n && i.kind === 'unknown_zone'))
        add(
          r,
          r.code,
          'error',
          'no_zone',
          msg(
            'The project has no zone: map a zone column, choose the zone, or give a point inside a zone.',
            '项目没有所属园区：请指定园区列、选择园区，或给出位于园区内的坐标。',
          ),
        );
    } else if (r.geometry && inZone !== r.zoneId) {
      add(r, r.code, 'warning', 'outside_zone', msg('The point lies outside the project’s zone.', '项目坐标不在所属园区范围内。'));
    }
    if (r.zoneId !== null && !(can(actor, 'project.edit', r.zoneId) && can(actor, 'parcel.import', r.zoneId))) {
      add(
        r,
        r.code,
        'error',
        'zone_not_allowed',
        msg(
          `You may not import projects into zone ${zones.find((z) => z.id === r.zoneId)?.code ?? r.zoneId}.`,
          `您无权向园区 ${zones.find((z) => z.id === r.zoneId)?.code ?? r.zoneId} 导入项目。`,
        ),
      );
    }
  }

  // Linked parcels (by code within the zone) and enterprises (by credit code).
  const parcelKeys = rows.filter((r) => r.parcelCode && r.zoneId !== null).map((r) => ({ zone_id: r.zoneId, code: r.parcelCode }));
  const parcels = parcelKeys.length
    ? await tx.query<{ id: number; zone_id: number; code: string; lon: number; lat: number }>(
        `SELECT DISTINCT p.id, p.zone_id, p.code, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat
         FROM parcels p JOIN json_to_recordset($1::json) AS k(zone_id int, code text) ON k.zone_id = p.zone_id AND k.code = p.code`,
        [JSON.stringify(parcelKeys)],
      )
    : [];
  const credit = [...new Set(rows.map((r) => r.creditCode).filter((c): c is string => !!c))];
  const enterprises = credit.length
    ? await tx.query<{ id: number; credit_code: string }>('SELECT id, credit_code FROM enterprises WHERE credit_code = ANY($1::text[])', [credit])
    : [];
  for (const r of rows) {
    if (r.parcelCode && r.zoneId !== null) {
      const p = parcels.find((x) => x.zone_id === r.zoneId && x.code === r.parcelCode);
      if (!p)
        add(
          r,
          r.code,
          'error',
          'unknown_parcel',
          msg(`No parcel ${r.parcelCode.slice(0, 40)} in the project's zone.`, `所属园区没有编号为 ${r.parcelCode.slice(0, 40)} 的地块。`),
        );
      else {
        r.values.parcel_id = p.id;
        r.geometry ??= { type: 'Point', coordinates: [p.lon, p.lat] };
      }
    }
    if (r.creditCode) {
      const e = enterprises.find((x) => x.credit_code === r.creditCode);
      if (!e)
        add(
          r,
          r.code,
          'error',
          'unknown_enterprise',
          msg(
            `No enterprise with the credit code ${r.creditCode.slice(0, 20)}: import the enterprise first.`,
            `没有统一社会信用代码为 ${r.creditCode.slice(0, 20)} 的企业：请先导入企业。`,
          ),
        );
      else r.values.enterprise_id = e.id;
    }
  }

  // The same project twice in the file; projects already there (same name in the same zone) are updated.
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (!r.code || r.zoneId === null) continue;
    const key = `${r.zoneId}/${r.code}`;
    if (seen.has(key))
      add(
        r,
        r.code,
        'error',
        'duplicate_code',
        msg(
          `The project "${r.code}" appears again in the same zone (first at ${r.where.en.replace(/ \d+$/, '')} ${seen.get(key)}).`,
          `项目“${r.code}”在同一园区重复出现（首次在第 ${seen.get(key)} 个要素/行）。`,
        ),
      );
    else seen.set(key, r.n);
  }
  const keys = rows.filter((r) => r.code && r.zoneId !== null).map((r) => ({ zone_id: r.zoneId, name: r.code }));
  const existingRows = keys.length
    ? await tx.query<Existing>(
        `SELECT p.id, p.zone_id, p.name, p.version, to_jsonb(p) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(p.geom, 9)::jsonb) AS snap
         FROM projects p WHERE EXISTS (SELECT 1 FROM json_to_recordset($1::json) AS k(zone_id int, name text) WHERE k.zone_id = p.zone_id AND k.name = p.name)
         ORDER BY p.id`,
        [JSON.stringify(keys)],
      )
    : [];
  const existing = new Map<string, Existing>();
  let toCreate = 0;
  let toUpdate = 0;
  for (const r of rows) {
    if (!r.code || r.zoneId === null) continue;
    const same = existingRows.filter((e) => e.zone_id === r.zoneId && e.name === r.code);
    if (same.length > 1) {
      add(
        r,
        r.code,
        'error',
        'ambiguous_project',
        msg(
          `The zone has ${same.length} projects named "${r.code}": rename them so each name is used once.`,
          `该园区有 ${same.length} 个名为“${r.code}”的项目：请先改名使名称唯一。`,
        ),
      );
      continue;
    }
    const e = same[0];
    if (e) {
      existing.set(`${r.zoneId}/${r.code}`, e);
      toUpdate++;
    } else {
      toCreate++;
      if (!r.values.stage)
        add(
          r,
          r.code,
          'error',
          'missing_stage',
          msg('A new project needs its stage: map the stage column or fill it in.', '新项目需要项目阶段：请指定阶段列或补全数据。'),
        );
    }
    if (!e && !r.values.stage) continue;
    for (const err of checkProjectRecord({ ...(e?.snap ?? {}), ...r.values }, stages)) {
      const target = PROJECT_TARGETS.find((t) => t.column === err.field);
      add(
        r,
        r.code,
        'error',
        err.field.endsWith('_date') ? 'bad_date' : 'bad_record',
        msg(`${target?.en ?? err.field}: ${err.message}`, `${target?.zh ?? err.field}：${err.message_zh}`),
      );
    }
  }
  // New projects with no point and no parcel stand at the zone's point on surface, as the report says.
  const unplaced = rows.filter((r) => !r.geometry && r.zoneId !== null && r.code && !existing.has(`${r.zoneId}/${r.code}`));
  if (unplaced.length) {
    const pts = await tx.query<{ id: number; lon: number; lat: number }>(
      'SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM zones WHERE id = ANY($1::int[])',
      [[...new Set(unplaced.map((r) => r.zoneId!))]],
    );
    for (const r of unplaced) {
      const p = pts.find((x) => x.id === r.zoneId)!;
      r.geometry = { type: 'Point', coordinates: [p.lon, p.lat] };
      add(
        r,
        r.code,
        'info',
        'placed_in_zone',
        msg('No point or parcel: the project is placed inside its zone; move it on the map later.', '无坐标或地块：项目暂置于所属园区内，可稍后在地图上调整。'),
      );
    }
  }
  issues.sort((a, b) => a.n - b.n);
  return { rows, issues, existing, toCreate, toUpdate };
}

/** Writes the checked rows: projects created or updated, each recorded for undo. */
export async function commitProjects(tx: Queryable, importId: number, checked: Awaited<ReturnType<typeof runProjectChecks>>) {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  let created = 0;
  let updated = 0;
  const zoneIds = new Set<number>();
  for (const r of checked.rows) {
    await pacer.maybeYield();
    const e = checked.existing.get(`${r.zoneId}/${r.code}`);
    zoneIds.add(r.zoneId!);
    if (e) {
      await updateImported(tx, importId, 'project', e.id, e.snap, r.values, r.geometry);
      updated++;
    } else {
      await insertImported(tx, importId, 'project', { zone_id: r.zoneId, name: r.code, ...r.values }, r.geometry);
      created++;
    }
  }
  return { created, updated, zoneIds: [...zoneIds] };
}

/** Undoes the project part of an import; refused (nothing undone) when a project was changed since or a created one is now in a 三个一批 round. */
export async function undoProjects(tx: Queryable, importId: number): Promise<{ removed: number; restored: number }> {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  const items = await tx.query<{
    record_id: number;
    action: string;
    before: Record<string, unknown> | null;
    version_after: number;
    version: number | null;
    name: string | null;
    used: boolean;
  }>(
    `SELECT i.record_id, i.action, i.before, i.version_after, p.version, p.name,
       EXISTS (SELECT 1 FROM project_round_entries r WHERE r.project_id = i.record_id) AS used
     FROM import_items i LEFT JOIN projects p ON p.id = i.record_id WHERE i.import_id = $1 AND i.entity = 'project' ORDER BY i.id`,
    [importId],
  );
  const blocked = items.filter((i) => i.version !== i.version_after || (i.action === 'create' && i.used));
  if (blocked.length) {
    const list = blocked.slice(0, 10).map((b) => b.name ?? `#${b.record_id}`);
    throw new HttpError(
      409,
      'import_changed_since',
      `Projects changed after the import, or now listed in a 三个一批 round (${list.join(', ')}): nothing was undone.`,
      {
        message_zh: `导入后以下项目已被修改，或已列入“三个一批”（${list.join('、')}）：本次未撤销任何内容。`,
      },
    );
  }
  let removed = 0;
  let restored = 0;
  for (const i of items) {
    await pacer.maybeYield();
    if (i.action === 'create') {
      await tx.query('DELETE FROM projects WHERE id = $1', [i.record_id]);
      removed++;
      continue;
    }
    await restoreImported(tx, importId, 'project', i.record_id, i.before as { version: number; geometry?: unknown }, RESTORE_COLUMNS);
    restored++;
  }
  return { removed, restored };
}
