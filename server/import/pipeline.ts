/**
 * The import pipeline after reading: reproject, map fields, check everything against the database, and
 * commit all-or-nothing (or undo a committed import as a whole). Used by the API and the command line.
 */
import type { Geometry, MultiPolygon, Position as GeoPosition } from 'geojson';
import { commitEnterprises, runEnterpriseChecks, undoEnterprises } from './enterprises.ts';
import { commitProjects, runProjectChecks, undoProjects } from './projects.ts';
import { commitZones, runZoneChecks, undoZones } from './zones.ts';
import {
  IMPORT_TARGETS,
  kindOf,
  targetsOf,
  areaToSquareMetres,
  convertBoolean,
  convertDate,
  convertLandUse,
  landUseAlsoOldMessage,
  landUseColumnFacts,
  landUseMappedMessage,
  convertNumber,
  convertStatus,
  mappingSignature,
  proposeMapping,
  checkWholeFileValue,
  type FieldMapping,
  type AreaUnit,
  type LandUseStandard,
  type ImportKind,
  IMPORT_KINDS,
  LAND_USE_STANDARDS,
} from '../../domain/importMapping.ts';
import { PARCEL_FIELDS, checkParcelField, checkParcelRecord, msg, type Message } from '../../domain/parcelFields.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { insertImported, restoreImported, updateImported } from './importedRecords.ts';
import { HttpError, badRequest } from '../lib/http.ts';
import { crsByEpsg, guessCrs, toLonLat, type Bounds, type CrsGuess, type Position } from './crs.ts';
import { featureAt, importError } from './errors.ts';
import type { SourceDataset, SourceFeature } from './readers.ts';
import { Pacer, batches } from './pace.ts';

export const DEFAULT_AREA_TOLERANCE_PCT = 5;
const OVERLAP_TOLERANCE_M2 = 1;
const OUTSIDE_TOLERANCE_M2 = 1;

export interface ImportSettings {
  epsg: number;
  swapped: boolean;
  mapping: FieldMapping;
  /** The zone every feature goes to; null: from the mapped zone column, or the zone the feature lies in. */
  zoneId: number | null;
  areaTolerancePct: number;
  /** Accept ST_MakeValid's repair of invalid geometry. */
  repair: boolean;
  acceptOverlaps: boolean;
}

export type Severity = 'error' | 'warning' | 'info';
export interface ImportIssue {
  n: number;
  where: Message;
  code: string | null;
  severity: Severity;
  kind: string;
  message: Message;
  overlap_m2?: number;
}

interface Prepared {
  n: number;
  where: Message;
  code: string | null;
  zoneId: number | null;
  values: Record<string, unknown>;
  geometry: MultiPolygon | null;
}

export interface ImportReport {
  total: number;
  toCreate: number;
  toUpdate: number;
  errors: number;
  warnings: number;
  issues: ImportIssue[];
  bounds: [number, number, number, number] | null;
  preview: GeoJSON.FeatureCollection;
}

// ------------------------------------------------------------------ coordinates

export function* positions(g: Geometry): Generator<GeoPosition> {
  if (g.type === 'GeometryCollection') {
    for (const x of g.geometries) yield* positions(x);
    return;
  }
  const walk = function* (c: unknown): Generator<GeoPosition> {
    if (Array.isArray(c) && typeof c[0] === 'number') yield c as GeoPosition;
    else if (Array.isArray(c)) for (const x of c) yield* walk(x);
  };
  yield* walk(g.coordinates);
}

export function datasetBounds(dataset: Pick<SourceDataset, 'features'>): Bounds | null {
  let b: Bounds | null = null;
  for (const f of dataset.features) {
    if (!f.geometry) continue;
    for (const [x, y] of positions(f.geometry)) {
      if (!b) b = [x, y, x, y];
      else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    }
  }
  return b;
}

/** What the file says of its CRS, or the guess from its numbers (to confirm), or why neither works. */
export function crsProposal(dataset: SourceDataset, near?: Position, nearIsChosenZone = false): CrsGuess | { error: Message } | null {
  const bounds = datasetBounds(dataset);
  if (!bounds) return null;
  if (dataset.declaredEpsg !== null) {
    const info = crsByEpsg(dataset.declaredEpsg);
    if (!info)
      return {
        error: msg(`The file declares EPSG:${dataset.declaredEpsg}, which this app does not know.`, `文件声明的坐标系 EPSG:${dataset.declaredEpsg} 无法识别。`),
      };
    // A declared lon/lat file whose numbers are metres (or the other way round) has a wrong .prj.
    const guess = guessCrs(bounds, near);
    if ('error' in guess || (guess.epsg === 4326) !== (info.kind === 'geographic')) {
      return {
        error: msg(
          `The file says ${info.name}, but its coordinates (${bounds.map((v) => v.toFixed(2)).join(', ')}) do not fit that system: the .prj is wrong.`,
          `文件声明坐标系为 ${info.name}，但坐标（${bounds.map((v) => v.toFixed(2)).join(', ')}）与之不符：.prj 有误。`,
        ),
      };
    }
    return {
      epsg: info.epsg,
      swapped: guess.swapped,
      confidence: 'prj',
      alternatives: [],
      reason: msg(`Read from the file: ${info.name}.`, `从文件读取：${info.name}。`),
    };
  }
  return guessCrs(bounds, near, nearIsChosenZone);
}

export function reprojectGeometry(g: Geometry, convert: (p: Position) => Position, swapped: boolean): Geometry {
  const map = (c: unknown): unknown => {
    if (Array.isArray(c) && typeof c[0] === 'number') return convert(swapped ? [c[1] as number, c[0] as number] : [c[0] as number, c[1] as number]);
    return (c as unknown[]).map(map);
  };
  if (g.type === 'GeometryCollection') return { type: 'GeometryCollection', geometries: g.geometries.map((x) => reprojectGeometry(x, convert, swapped)) };
  return { ...g, coordinates: map(g.coordinates) } as Geometry;
}

/** Polygons and multipolygons (and collections of them) as one MultiPolygon; anything else is not a parcel. */
export function asMultiPolygon(g: Geometry): MultiPolygon | null {
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (g.type === 'MultiPolygon') return g;
  if (g.type === 'GeometryCollection') {
    const parts = g.geometries.map(asMultiPolygon);
    if (parts.some((p) => p === null) || parts.length === 0) return null;
    return { type: 'MultiPolygon', coordinates: parts.flatMap((p) => p!.coordinates) };
  }
  return null;
}

// ------------------------------------------------------------------ upload-time checks

/** What the features are: polygons (parcels, zones), points (projects), or none (a table). */
export function geometryKindOf(dataset: Pick<SourceDataset, 'features'>): 'polygon' | 'point' | null {
  const g = dataset.features.find((f) => f.geometry)?.geometry;
  return !g ? null : g.type === 'Point' ? 'point' : 'polygon';
}

/** Checks a dataset as a whole when it arrives: one geometry type, features present. */
export function checkDatasetShape(dataset: SourceDataset): void {
  if (dataset.features.length === 0) throw importError(dataset.fileName, null, msg('The file holds no features.', '文件中没有要素。'), 400, 'import_empty');
  const kinds = new Map<string, number>();
  for (const f of dataset.features) {
    const k = f.geometry ? (asMultiPolygon(f.geometry) ? 'polygon' : f.geometry.type) : 'none';
    if (!kinds.has(k)) kinds.set(k, f.n);
  }
  if (kinds.size > 1) {
    const [first, ...others] = [...kinds.entries()];
    const [kind, n] = others[0];
    const name = (k: string) => (k === 'polygon' ? 'polygons' : k === 'none' ? 'no geometry' : k);
    throw importError(
      dataset.fileName,
      dataset.features.find((f) => f.n === n)!.where,
      msg(
        `has ${name(kind)} while ${first[0] === 'none' ? 'feature' : 'features'} before it have ${name(first[0])}: one geometry type per file (parcels are polygons).`,
        `几何类型为 ${name(kind)}，而前面的要素为 ${name(first[0])}：每个文件只能有一种几何类型（地块为面）。`,
      ),
    );
  }
  const kind = [...kinds.keys()][0];
  if (kind !== 'polygon' && kind !== 'none' && kind !== 'Point') {
    throw importError(
      dataset.fileName,
      null,
      msg(
        `The features are ${kind}s: parcels and zones are polygons, projects are points. Lines cannot be imported; an attribute table without geometry updates records by code.`,
        `要素为 ${kind}：地块、园区须为面，项目须为点。线要素无法导入；不含图形的属性表可按编号更新记录。`,
      ),
    );
  }
}

// ------------------------------------------------------------------ mapping and conversion

interface ZoneRow {
  id: number;
  code: string;
  name: string;
}

async function prepare(dataset: SourceDataset, settings: ImportSettings, zones: ZoneRow[], issues: ImportIssue[], pacer: Pacer): Promise<Prepared[]> {
  const convert = toLonLat(settings.epsg);
  const f = settings.mapping.fields;
  const add = (feat: SourceFeature, code: string | null, severity: Severity, kind: string, message: Message) =>
    issues.push({ n: feat.n, where: feat.where, code, severity, kind, message });
  const wholeFile = settings.mapping.values ?? {};
  // Auto-detection of the land-use standard looks at the whole column first (see convertLandUse).
  const landUseFacts = landUseColumnFacts(f.land_use_code ? dataset.features.map((ft) => ft.properties[f.land_use_code!]) : [wholeFile.land_use_code]);
  const toldAlsoOld = new Set<string>();
  const out: Prepared[] = [];
  for (const feat of dataset.features) {
    out.push(prepareOne(feat));
    await pacer.maybeYield();
  }
  return out;

  function prepareOne(feat: SourceFeature): Prepared {
    // A mapped column's cell, or the value the user gave for the whole file.
    const cell = (key: string) => (f[key] ? feat.properties[f[key]!] : wholeFile[key]);
    const rawCode = cell('code');
    const code = rawCode === undefined || rawCode === null || String(rawCode).trim() === '' ? null : String(rawCode).trim();
    if (!f.code) add(feat, null, 'error', 'no_code_column', msg('No column is mapped to the parcel code: choose one.', '未指定“地块编号”对应的列，请选择。'));
    else if (code === null) add(feat, null, 'error', 'missing_code', msg('The parcel code is empty.', '地块编号为空。'));
    else {
      const m = checkParcelField('code', code);
      if (m) add(feat, code, 'error', 'bad_code', m);
    }
    let zoneId = settings.zoneId;
    const zoneCell = cell('zone');
    if (zoneCell !== undefined && zoneCell !== null && String(zoneCell).trim() !== '') {
      const z = zones.find((x) => x.code === String(zoneCell).trim() || x.name === String(zoneCell).trim());
      if (!z)
        add(feat, code, 'error', 'unknown_zone', msg(`Unknown zone "${String(zoneCell).slice(0, 40)}".`, `未知的园区“${String(zoneCell).slice(0, 40)}”。`));
      else zoneId = z.id;
    }
    const values: Record<string, unknown> = {};
    for (const target of IMPORT_TARGETS) {
      if ((!f[target.key] && wholeFile[target.key] === undefined) || target.kind === 'code' || target.kind === 'zone') continue;
      const v = cell(target.key);
      const label = f[target.key]
        ? msg(`${target.en} ("${f[target.key]}")`, `${target.zh}（“${f[target.key]}”）`)
        : msg(`${target.en} (value for the whole file)`, `${target.zh}（整个文件的值）`);
      const fail = (m: Message, kind: string) => add(feat, code, 'error', kind, msg(`${label.en}: ${m.en}`, `${label.zh}：${m.zh}`));
      let converted: { value: unknown } | { error: Message };
      switch (target.kind) {
        case 'landUse': {
          const r = convertLandUse(v, settings.mapping.landUseStandard, landUseFacts);
          if ('error' in r) {
            fail(r.error, 'unknown_land_use');
            continue;
          }
          // Every mapping is shown, row by row; a code an older standard uses otherwise, once per code.
          const mapped = r.value && landUseMappedMessage(r.value);
          if (mapped) add(feat, code, 'warning', 'land_use_crosswalk', mapped);
          const alsoOld = r.value && !toldAlsoOld.has(r.value.code) && landUseAlsoOldMessage(r.value);
          if (alsoOld) {
            toldAlsoOld.add(r.value!.code);
            add(feat, code, 'warning', 'land_use_ambiguous', alsoOld);
          }
          converted = { value: r.value?.code ?? null };
          break;
        }
        case 'status':
          converted = convertStatus(v);
          break;
        case 'date':
          converted = convertDate(v);
          break;
        case 'boolean':
          converted = convertBoolean(v);
          break;
        case 'text':
          converted = { value: v === null || v === undefined || v === '' ? null : String(v) };
          break;
        case 'area': {
          const r = convertNumber(v);
          converted = 'error' in r ? r : { value: r.value === null ? null : areaToSquareMetres(r.value, settings.mapping.areaUnit) };
          break;
        }
        default:
          converted = convertNumber(v);
      }
      if ('error' in converted) {
        fail(converted.error, target.kind === 'date' ? 'bad_date' : target.kind === 'status' ? 'bad_status' : 'bad_number');
        continue;
      }
      if (converted.value === null) continue;
      const m = checkParcelField(target.column!, converted.value);
      if (m) {
        fail(m, target.kind === 'date' ? 'bad_date' : 'bad_number');
        continue;
      }
      values[target.column!] = converted.value;
    }
    let geometry: MultiPolygon | null = null;
    if (feat.geometry) {
      const g = asMultiPolygon(reprojectGeometry(feat.geometry, convert, settings.swapped));
      if (!g)
        add(
          feat,
          code,
          'error',
          'not_polygon',
          msg(`The geometry is a ${feat.geometry.type}: parcels are polygons.`, `几何类型为 ${feat.geometry.type}：地块必须为面。`),
        );
      else {
        const bad = [...positions(g)].find(([lon, lat]) => !Number.isFinite(lon) || !Number.isFinite(lat) || lon < 73 || lon > 136 || lat < 3 || lat > 54);
        if (bad) {
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
        } else geometry = g;
      }
    }
    return { n: feat.n, where: feat.where, code, zoneId, values, geometry };
  }
}

/** Vertices of a prepared geometry, to size the batches of SQL. */
function vertexCount(g: Geometry | null): number {
  let n = 0;
  if (g) for (const _ of positions(g)) n++;
  return n;
}

/** Pairs of features whose bounding boxes meet (a sweep along x): the only pairs that can overlap. */
function candidatePairs(items: { n: number; geometry: Geometry }[]): [number, number][] {
  const boxes = items.map((p) => {
    let b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of positions(p.geometry)) b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    return { n: p.n, b };
  });
  boxes.sort((a, b) => a.b[0] - b.b[0]);
  const pairs: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].b[0] <= a.b[2]; j++) {
      const b = boxes[j];
      if (b.b[1] <= a.b[3] && b.b[3] >= a.b[1]) pairs.push(a.n < b.n ? [a.n, b.n] : [b.n, a.n]);
    }
  }
  return pairs;
}

// ------------------------------------------------------------------ checks against the database

interface Existing {
  id: number;
  zone_id: number;
  code: string;
  version: number;
  snap: Record<string, unknown>;
}

async function runChecks(tx: Queryable, actor: Actor, dataset: SourceDataset, settings: ImportSettings) {
  const issues: ImportIssue[] = [];
  const zones = await tx.query<ZoneRow>('SELECT id, code, name FROM zones ORDER BY id');
  if (settings.zoneId !== null && !zones.some((z) => z.id === settings.zoneId)) throw badRequest(`Unknown zone ${settings.zoneId}.`);
  const pacer = new Pacer();
  const prepared = await prepare(dataset, settings, zones, issues, pacer);
  const hasGeometry = prepared.some((p) => p.geometry);
  const withGeom = prepared.filter((p) => p.geometry);
  const byN = new Map(prepared.map((p) => [p.n, p]));
  const add = (p: Prepared, severity: Severity, kind: string, message: Message, extra: Partial<ImportIssue> = {}) =>
    issues.push({ n: p.n, where: p.where, code: p.code, severity, kind, message, ...extra });

  // Geometry: validity (with repair), area, and the zone it lies in when none was chosen. In batches, with
  // a turn for other requests between them: one statement over a large file held the embedded database
  // (and the whole process with it) for tens of seconds.
  const vertices = new Map(withGeom.map((p) => [p.n, vertexCount(p.geometry)]));
  const geomRows: { n: number; valid: boolean; reason: string; repaired: MultiPolygon | null; area_m2: number; zone_id: number | null }[] = [];
  for (const batch of batches(withGeom, (p) => vertices.get(p.n)!)) {
    geomRows.push(
      ...(await tx.query<(typeof geomRows)[number]>(
        `WITH f AS MATERIALIZED (SELECT n, z, geom, ST_IsValid(geom) AS valid
                FROM (SELECT n, z, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_to_recordset($1::json) AS x(n int, z boolean, g text)) s),
              -- validity tested once per feature (it was three times), the reason only for invalid ones
              v AS (SELECT n, z, geom, valid, CASE WHEN valid THEN 'Valid Geometry' ELSE ST_IsValidReason(geom) END AS reason,
                      CASE WHEN valid THEN geom ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END AS fixed FROM f)
         SELECT n, valid, reason,
           CASE WHEN valid THEN NULL ELSE ST_AsGeoJSON(fixed, 8)::json END AS repaired,
           ST_Area(geography(fixed)) AS area_m2,
           -- the zone a feature lies in, looked up only for features with none chosen
           CASE WHEN v.z THEN (SELECT z.id FROM zones z WHERE z.geom && v.fixed AND ST_Intersects(z.geom, v.fixed)
              ORDER BY ST_Area(ST_Intersection(z.geom, v.fixed)) DESC LIMIT 1) END AS zone_id
         FROM v ORDER BY n`,
        [JSON.stringify(batch.map((p) => ({ n: p.n, z: p.zoneId === null, g: JSON.stringify(p.geometry) })))],
      )),
    );
    await pacer.maybeYield();
  }
  const areaOf = new Map<number, number>();
  for (const r of geomRows) {
    const p = byN.get(r.n)!;
    areaOf.set(r.n, r.area_m2);
    if (!r.valid) {
      if (!r.repaired || r.area_m2 <= 0) {
        add(p, 'error', 'invalid_geometry', msg(`The polygon is not valid (${r.reason}) and cannot be repaired.`, `多边形无效（${r.reason}），且无法修复。`));
        p.geometry = null;
      } else {
        add(
          p,
          settings.repair ? 'warning' : 'error',
          'invalid_geometry',
          settings.repair
            ? msg(`The polygon was not valid (${r.reason}); it is repaired with ST_MakeValid.`, `多边形无效（${r.reason}），已用 ST_MakeValid 修复。`)
            : msg(
                `The polygon is not valid (${r.reason}): accept the repair (ST_MakeValid) or fix the file.`,
                `多边形无效（${r.reason}）：请接受自动修复（ST_MakeValid）或修改文件。`,
              ),
        );
        p.geometry = r.repaired;
        p.values.geometry_note = `repaired on import (${r.reason})`.slice(0, 300);
      }
    }
    if (p.zoneId === null) {
      if (r.zone_id === null)
        add(
          p,
          'error',
          'no_zone',
          msg('The parcel lies in no zone: choose the zone, or check the coordinate system.', '地块不在任何园区内：请选择园区，或检查坐标系。'),
        );
      else p.zoneId = r.zone_id;
    }
  }
  if (!hasGeometry && settings.zoneId === null && !settings.mapping.fields.zone) {
    for (const p of prepared)
      add(p, 'error', 'no_zone', msg('An attribute table needs the zone: choose it, or map a zone column.', '属性表需要指定园区：请选择园区，或指定园区列。'));
  }

  // Who may write where.
  for (const p of prepared) {
    if (p.zoneId !== null && !can(actor, 'parcel.import', p.zoneId)) {
      add(
        p,
        'error',
        'zone_not_allowed',
        msg(
          `You may not import into zone ${zones.find((z) => z.id === p.zoneId)?.code ?? p.zoneId}.`,
          `您无权向园区 ${zones.find((z) => z.id === p.zoneId)?.code ?? p.zoneId} 导入。`,
        ),
      );
    }
  }

  // Duplicate codes in the file.
  const seen = new Map<string, number>();
  for (const p of prepared) {
    if (!p.code || p.zoneId === null) continue;
    const key = `${p.zoneId}/${p.code}`;
    if (seen.has(key))
      add(
        p,
        'error',
        'duplicate_code',
        msg(`The code ${p.code} appears again (first at feature/row ${seen.get(key)}).`, `编号 ${p.code} 重复（首次出现在第 ${seen.get(key)} 个要素/行）。`),
      );
    else seen.set(key, p.n);
  }

  // Existing parcels with the same codes: re-importing updates them.
  const keys = prepared.filter((p) => p.code && p.zoneId !== null).map((p) => ({ zone_id: p.zoneId, code: p.code }));
  const existingRows = keys.length
    ? await tx.query<Existing>(
        `SELECT p.id, p.zone_id, p.code, p.version,
           to_jsonb(p) - 'geom' || jsonb_build_object('geometry', ST_AsGeoJSON(p.geom, 9)::jsonb) AS snap
         FROM parcels p JOIN json_to_recordset($1::json) AS k(zone_id int, code text) ON k.zone_id = p.zone_id AND k.code = p.code`,
        [JSON.stringify(keys)],
      )
    : [];
  const existing = new Map(existingRows.map((e) => [`${e.zone_id}/${e.code}`, e]));
  let toCreate = 0;
  let toUpdate = 0;
  for (const p of prepared) {
    await pacer.maybeYield();
    if (!p.code || p.zoneId === null) continue;
    const e = existing.get(`${p.zoneId}/${p.code}`);
    if (e) toUpdate++;
    else if (!hasGeometry)
      add(
        p,
        'error',
        'unknown_parcel',
        msg(`No parcel ${p.code} in this zone to join the attributes to.`, `本园区没有编号为 ${p.code} 的地块，无法关联属性。`),
      );
    else {
      toCreate++;
      // A land use refused above is already said; "needs its land use" would repeat it.
      if (!p.values.land_use_code && !issues.some((i) => i.n === p.n && i.kind === 'unknown_land_use'))
        add(
          p,
          'error',
          'missing_land_use',
          msg(
            'A new parcel needs its land use: map the land-use column, give one value for the whole file, or fill it in.',
            '新地块需要用地性质：请指定用地性质列、设置整个文件的值，或补全数据。',
          ),
        );
    }
    const record = { ...(e?.snap ?? { status: 'reserve' }), ...p.values };
    for (const err of checkParcelRecord(record)) {
      const target = IMPORT_TARGETS.find((t) => t.column === err.field);
      add(p, 'error', 'bad_record', msg(`${target?.en ?? err.field}: ${err.message}`, `${target?.zh ?? err.field}：${err.message_zh}`));
    }
    // Registered area against the drawn area.
    const area = areaOf.get(p.n);
    const registered = (p.values.registered_area_m2 ?? (p.geometry ? null : undefined)) as number | null | undefined;
    if (area && registered) {
      const diffPct = (Math.abs(area - registered) / registered) * 100;
      if (diffPct > settings.areaTolerancePct) {
        add(
          p,
          'warning',
          'area_mismatch',
          msg(
            `The drawn area ${area.toFixed(1)} m² differs from the registered ${registered.toFixed(1)} m² by ${diffPct.toFixed(1)} % (tolerance ${settings.areaTolerancePct} %).`,
            `图形面积 ${area.toFixed(1)} m² 与登记面积 ${registered.toFixed(1)} m² 相差 ${diffPct.toFixed(1)}%（容差 ${settings.areaTolerancePct}%）。`,
          ),
        );
      }
    }
  }

  // Zone containment and overlaps, for features with a zone and a usable geometry.
  const placed = prepared.filter((p) => p.geometry && p.zoneId !== null);
  if (placed.length) {
    const fsql = `f AS (SELECT n, zone_id, code, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_to_recordset($1::json) AS x(n int, zone_id int, code text, g text))`;
    const payload = (items: Prepared[]) => JSON.stringify(items.map((p) => ({ n: p.n, zone_id: p.zoneId, code: p.code, g: JSON.stringify(p.geometry) })));
    // The parcels this file redraws (its codes in their zones) are not overlaps: known to every batch.
    const redrawn = JSON.stringify(placed.map((p) => ({ zone_id: p.zoneId, code: p.code })));
    for (const batch of batches(placed, (p) => vertexCount(p.geometry))) {
      const outside = await tx.query<{ n: number; outside_m2: number }>(
        `WITH ${fsql} SELECT f.n, ST_Area(geography(ST_Difference(f.geom, z.geom))) AS outside_m2 FROM f JOIN zones z ON z.id = f.zone_id ORDER BY f.n`,
        [payload(batch)],
      );
      for (const o of outside) {
        if (o.outside_m2 > OUTSIDE_TOLERANCE_M2)
          add(
            byN.get(o.n)!,
            'error',
            'outside_zone',
            msg(`${o.outside_m2.toFixed(1)} m² lie outside the zone.`, `有 ${o.outside_m2.toFixed(1)} m² 超出园区范围。`),
          );
      }
      await pacer.maybeYield();
      const overlaps = await tx.query<{ n: number; code: string; overlap_m2: number }>(
        `WITH ${fsql}
         SELECT * FROM (
           SELECT f.n, p.code, ST_Area(geography(ST_Intersection(p.geom, f.geom))) AS overlap_m2
           FROM f JOIN parcels p ON p.geom && f.geom AND ST_Intersects(p.geom, f.geom)
           -- the parcel this feature replaces, and parcels the same file redraws, are not overlaps
           WHERE NOT EXISTS (SELECT 1 FROM json_to_recordset($3::json) AS k(zone_id int, code text) WHERE k.zone_id = p.zone_id AND k.code = p.code)
         ) s WHERE overlap_m2 > $2 ORDER BY n, overlap_m2 DESC`,
        [payload(batch), OVERLAP_TOLERANCE_M2, redrawn],
      );
      for (const o of overlaps) {
        add(
          byN.get(o.n)!,
          settings.acceptOverlaps ? 'warning' : 'error',
          'overlap',
          msg(
            `Overlaps parcel ${o.code} by ${o.overlap_m2.toFixed(1)} m²${settings.acceptOverlaps ? ' (accepted)' : ': adjust it, or accept the overlaps'}.`,
            `与地块 ${o.code} 重叠 ${o.overlap_m2.toFixed(1)} m²${settings.acceptOverlaps ? '（已接受）' : '：请调整，或确认接受重叠'}。`,
          ),
          { overlap_m2: o.overlap_m2 },
        );
      }
      await pacer.maybeYield();
    }
    // Overlaps inside the file: only pairs whose boxes meet go to SQL, in batches of pairs with their geometries.
    const pairs = candidatePairs(placed as { n: number; geometry: Geometry }[]);
    const inFile: { a: number; b: number; overlap_m2: number }[] = [];
    for (const batch of batches(pairs, () => 1, 500)) {
      const needed = new Set(batch.flat());
      inFile.push(
        ...(await tx.query<{ a: number; b: number; overlap_m2: number }>(
          `WITH ${fsql}, pr AS (SELECT a, b FROM json_to_recordset($3::json) AS x(a int, b int))
           SELECT * FROM (SELECT pr.a, pr.b, ST_Area(geography(ST_Intersection(fa.geom, fb.geom))) AS overlap_m2
             FROM pr JOIN f fa ON fa.n = pr.a JOIN f fb ON fb.n = pr.b WHERE ST_Intersects(fa.geom, fb.geom)) s
           WHERE overlap_m2 > $2`,
          [payload(placed.filter((p) => needed.has(p.n))), OVERLAP_TOLERANCE_M2, JSON.stringify(batch.map(([a, b]) => ({ a, b })))],
        )),
      );
      await pacer.maybeYield();
    }
    inFile.sort((x, y) => x.a - y.a || x.b - y.b);
    for (const o of inFile) {
      const other = byN.get(o.a)!;
      add(
        byN.get(o.b)!,
        'error',
        'overlap_in_file',
        msg(
          `Overlaps ${other.code ?? featureAt(other.n).en} of the same file by ${o.overlap_m2.toFixed(1)} m².`,
          `与同一文件中的 ${other.code ?? featureAt(other.n).zh} 重叠 ${o.overlap_m2.toFixed(1)} m²。`,
        ),
        { overlap_m2: o.overlap_m2 },
      );
    }
  }
  issues.sort((a, b) => a.n - b.n || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { prepared, issues, existing, toCreate, toUpdate, zones };
}

function summarise(
  prepared: { n: number; code: string | null; geometry: Geometry | null }[],
  issues: ImportIssue[],
  toCreate: number,
  toUpdate: number,
  total = prepared.length,
): ImportReport {
  const errorsByN = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.n));
  const warningsByN = new Set(issues.filter((i) => i.severity === 'warning').map((i) => i.n));
  let bounds: [number, number, number, number] | null = null;
  const features: GeoJSON.Feature[] = [];
  for (const p of prepared) {
    if (!p.geometry) continue;
    for (const [x, y] of positions(p.geometry))
      bounds = bounds ? [Math.min(bounds[0], x), Math.min(bounds[1], y), Math.max(bounds[2], x), Math.max(bounds[3], y)] : [x, y, x, y];
    features.push({
      type: 'Feature',
      id: p.n,
      geometry: p.geometry,
      properties: { n: p.n, code: p.code, state: errorsByN.has(p.n) ? 'error' : warningsByN.has(p.n) ? 'warning' : 'ok' },
    });
  }
  return {
    total,
    toCreate,
    toUpdate,
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    issues,
    bounds,
    preview: { type: 'FeatureCollection', features },
  };
}

/** The report the user sees before committing: nothing is written. */
export async function checkImport(db: Db, actor: Actor, dataset: SourceDataset, settings: ImportSettings): Promise<ImportReport> {
  if (settings.mapping.kind === 'enterprises') {
    const checked = await runEnterpriseChecks(db, actor, dataset, settings);
    return summarise([], checked.issues, checked.toCreate, checked.toUpdate, checked.rows.length);
  }
  if (settings.mapping.kind === 'zones' || settings.mapping.kind === 'projects') {
    const checked =
      settings.mapping.kind === 'zones' ? await runZoneChecks(db, actor, dataset, settings) : await runProjectChecks(db, actor, dataset, settings);
    return summarise(checked.rows, checked.issues, checked.toCreate, checked.toUpdate);
  }
  const { prepared, issues, toCreate, toUpdate } = await runChecks(db, actor, dataset, settings);
  return summarise(prepared, issues, toCreate, toUpdate);
}

// ------------------------------------------------------------------ settings from a request

export function parseSettings(body: Record<string, unknown>, fallback: { epsg: number | null; swapped: boolean; mapping: FieldMapping }): ImportSettings {
  const epsgValue = body.epsg ?? fallback.epsg;
  const epsg = typeof epsgValue === 'string' ? Number(epsgValue.replace(/^EPSG:/i, '')) : (epsgValue as number);
  if (!Number.isInteger(epsg) || !crsByEpsg(epsg))
    throw badRequest(`"epsg" must be 4326 or a CGCS2000 Gauss–Krüger code (4491–4554), got ${String(epsgValue)}.`);
  const m = (body.mapping ?? fallback.mapping) as Partial<FieldMapping>;
  if (!m || typeof m !== 'object' || typeof m.fields !== 'object' || m.fields === null)
    throw badRequest('"mapping" must be {fields, areaUnit, landUseStandard}.');
  const kind = m.kind ?? 'parcels';
  if (!IMPORT_KINDS.includes(kind)) throw badRequest(`"mapping.kind" must be one of ${IMPORT_KINDS.join(', ')}.`);
  const moneyUnit = m.moneyUnit ?? 'wan';
  if (moneyUnit !== 'wan' && moneyUnit !== 'yi') throw badRequest('"moneyUnit" must be wan (万元) or yi (亿元).');
  for (const [k, v] of Object.entries(m.fields)) {
    if (!targetsOf(kind).some((t) => t.key === k)) throw badRequest(`Unknown mapping target "${k}" for ${kind}.`);
    if (v !== null && typeof v !== 'string') throw badRequest(`Mapping of "${k}" must be a column name or null.`);
  }
  const areaUnit = (m.areaUnit ?? 'm2') as AreaUnit;
  if (!['m2', 'mu', 'ha'].includes(areaUnit)) throw badRequest('"areaUnit" must be m2, mu or ha.');
  const landUseStandard = m.landUseStandard ?? 'auto';
  if (!LAND_USE_STANDARDS.includes(landUseStandard)) throw badRequest(`"landUseStandard" must be one of ${LAND_USE_STANDARDS.join(', ')}.`);
  const values = parseWholeFileValues(m, kind, landUseStandard);
  const zoneId = body.zoneId ?? null;
  if (zoneId !== null && !Number.isInteger(zoneId)) throw badRequest('"zoneId" must be a zone id or null.');
  const tol = body.areaTolerancePct ?? DEFAULT_AREA_TOLERANCE_PCT;
  if (typeof tol !== 'number' || !(tol >= 0 && tol <= 100)) throw badRequest('"areaTolerancePct" must be a number from 0 to 100.');
  return {
    epsg,
    swapped: body.swapped === undefined ? fallback.swapped : body.swapped === true,
    mapping: {
      ...(kind !== 'parcels' ? { kind: kind as ImportKind } : {}),
      ...(kind === 'projects' ? { moneyUnit } : {}),
      fields: m.fields as Record<string, string | null>,
      areaUnit,
      landUseStandard,
      ...(values ? { values } : {}),
    },
    zoneId: zoneId as number | null,
    areaTolerancePct: tol,
    repair: body.repair === true,
    acceptOverlaps: body.acceptOverlaps === true,
  };
}

/**
 * The values for the whole file (parcels only): each for a target that takes one and that no column
 * feeds, converting as a cell would; a bad one is a 400 that names it, rather than an error on every row.
 */
function parseWholeFileValues(m: Partial<FieldMapping>, kind: ImportKind, standard: LandUseStandard): Record<string, string> | undefined {
  if (m.values === undefined || m.values === null) return undefined;
  const bad = (en: string, zh: string) => new HttpError(400, 'bad_whole_file_value', en, { message_zh: zh });
  if (typeof m.values !== 'object' || Array.isArray(m.values)) throw bad('"mapping.values" must be {target: value}.', '“整个文件的值”格式应为 {字段: 值}。');
  const entries = Object.entries(m.values).filter(([, v]) => v !== null && v !== undefined && String(v).trim() !== '');
  if (entries.length === 0) return undefined;
  if (kind !== 'parcels') throw bad('Values for the whole file are for parcel imports.', '“整个文件的值”仅用于地块导入。');
  const values: Record<string, string> = {};
  for (const [key, v] of entries) {
    const target = IMPORT_TARGETS.find((t) => t.key === key);
    if (!target) throw bad(`Unknown target "${key}" for a value for the whole file.`, `未知的字段“${key}”（整个文件的值）。`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw bad(`The value for the whole file of "${key}" must be text.`, `“${target.zh}”的整个文件的值应为文本。`);
    if (m.fields?.[key])
      throw bad(
        `${target.en} has both a column ("${m.fields[key]}") and a value for the whole file: choose one.`,
        `${target.zh}同时指定了列（“${m.fields[key]}”）和整个文件的值：请只选一种。`,
      );
    const problem = checkWholeFileValue(target, String(v), standard);
    if (problem) throw bad(problem.en, problem.zh);
    values[key] = String(v).trim();
  }
  return values;
}

// ------------------------------------------------------------------ staging

export interface StagedImport {
  id: number;
  fileName: string;
  format: string;
  features: number;
  columns: string[];
  crs: CrsGuess | { error: Message } | null;
  mapping: FieldMapping;
  notes: Message[];
  encoding: string | null;
}

export async function savedMapping(db: Queryable, columns: string[]): Promise<FieldMapping | null> {
  const [row] = await db.query<{ mapping: FieldMapping }>('SELECT mapping FROM import_mappings WHERE signature = $1', [mappingSignature(columns)]);
  return row?.mapping ?? null;
}

/** Zones' centre, to choose among Gauss–Krüger central meridians when eastings have no zone prefix. */
async function zonesCentre(db: Queryable, zoneId?: number | null): Promise<Position | undefined> {
  const [row] = await db.query<{ lon: number | null; lat: number | null }>(
    zoneId
      ? 'SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM zones WHERE id = $1'
      : 'SELECT ST_X(ST_Centroid(ST_Extent(geom)::geometry)) AS lon, ST_Y(ST_Centroid(ST_Extent(geom)::geometry)) AS lat FROM zones',
    zoneId ? [zoneId] : [],
  );
  return row && row.lon !== null && row.lat !== null ? [row.lon, row.lat] : undefined;
}

export async function stageImport(db: Db, actor: Actor, dataset: SourceDataset, options: { zoneId?: number | null } = {}): Promise<StagedImport> {
  checkDatasetShape(dataset);
  const crs = crsProposal(dataset, await zonesCentre(db, options.zoneId), Boolean(options.zoneId));
  if (crs && 'error' in crs) throw importError(dataset.fileName, null, crs.error, 422, 'import_bad_crs');
  const mapping = proposeMapping(dataset.columns, await savedMapping(db, dataset.columns), kindOf(dataset.columns, geometryKindOf(dataset)));
  const stored = { ...dataset, crs };
  // Staged imports nobody finished within a day are dropped (their features can be large).
  await db.query(`UPDATE imports SET status = 'cancelled', dataset = NULL WHERE status = 'staged' AND created_at < now() - interval '1 day'`);
  const [{ id }] = await db.query<{ id: number }>(
    `INSERT INTO imports (user_id, username, file_name, format, status, dataset, settings)
     VALUES ($1, $2, $3, $4, 'staged', $5::jsonb, $6::jsonb) RETURNING id`,
    [actor.id > 0 ? actor.id : null, actor.username, dataset.fileName, dataset.format, JSON.stringify(stored), JSON.stringify({ mapping })],
  );
  return {
    id,
    fileName: dataset.fileName,
    format: dataset.format,
    features: dataset.features.length,
    columns: dataset.columns,
    crs,
    mapping,
    notes: dataset.notes,
    encoding: dataset.encoding,
  };
}

export async function loadStaged(db: Queryable, actor: Actor, id: number): Promise<SourceDataset & { crs: CrsGuess | null }> {
  const [row] = await db.query<{ status: string; user_id: number | null; username: string; dataset: SourceDataset & { crs: CrsGuess | null } }>(
    'SELECT status, user_id, username, dataset FROM imports WHERE id = $1',
    [id],
  );
  if (!row) throw new HttpError(404, 'not_found', `Import ${id} does not exist.`);
  if (row.username !== actor.username && actor.role !== 'admin') throw new HttpError(403, 'forbidden', 'This import was started by someone else.');
  if (row.status !== 'staged')
    throw new HttpError(409, 'import_not_staged', `Import ${id} is ${row.status}: only a staged import can be checked or committed.`);
  return row.dataset;
}

export function defaultSettingsOf(dataset: SourceDataset & { crs: CrsGuess | null }) {
  // Attribute tables have no coordinates: any CRS will do.
  const hasGeometry = datasetBounds(dataset) !== null;
  return {
    epsg: dataset.crs?.epsg ?? (hasGeometry ? null : 4326),
    swapped: dataset.crs?.swapped ?? false,
    mapping: proposeMapping(dataset.columns, null, kindOf(dataset.columns, geometryKindOf(dataset))),
  };
}

// ------------------------------------------------------------------ commit and undo

const WRITABLE = new Set<string>([...Object.keys(PARCEL_FIELDS), 'geometry_note']);

export interface CommitResult {
  importId: number;
  created: number;
  updated: number;
}

export async function commitImport(db: Db, actor: Actor, importId: number, settings: ImportSettings): Promise<CommitResult> {
  return db.transaction(async (tx) => {
    // Lock the staged row: a second commit of the same import waits, then finds it committed.
    const [lock] = await tx.query<{ status: string }>('SELECT status FROM imports WHERE id = $1 FOR UPDATE', [importId]);
    if (!lock) throw new HttpError(404, 'not_found', `Import ${importId} does not exist.`);
    const dataset = await loadStaged(tx, actor, importId);
    const kind = settings.mapping.kind ?? 'parcels';
    const enterprises = kind === 'enterprises' ? await runEnterpriseChecks(tx, actor, dataset, settings) : null;
    const zonesChecked = kind === 'zones' ? await runZoneChecks(tx, actor, dataset, settings) : null;
    const projectsChecked = kind === 'projects' ? await runProjectChecks(tx, actor, dataset, settings) : null;
    const other = enterprises ?? zonesChecked ?? projectsChecked;
    const { prepared, issues, existing } = other
      ? { prepared: [] as Prepared[], issues: other.issues, existing: new Map<string, Existing>() }
      : await runChecks(tx, actor, dataset, settings);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      const shown = errors.slice(0, 10);
      throw new HttpError(
        422,
        'import_invalid',
        `${dataset.fileName}: ${errors.length} problem${errors.length > 1 ? 's' : ''} must be fixed before importing; nothing was written. ${shown.map((e) => `${e.where.en}${e.code ? ` (${e.code})` : ''}: ${e.message.en}`).join(' ')}`,
        {
          file: dataset.fileName,
          message_zh: `${dataset.fileName}：有 ${errors.length} 个问题须先解决，未写入任何数据。${shown.map((e) => `${e.where.zh}${e.code ? `（${e.code}）` : ''}：${e.message.zh}`).join(' ')}`,
          issues: errors.slice(0, 200),
        },
      );
    }
    let created = 0;
    let updated = 0;
    const zoneIds = new Set<number>();
    const pacer = new Pacer();
    for (const p of prepared) {
      await pacer.maybeYield();
      const cols = Object.keys(p.values).filter((c) => WRITABLE.has(c));
      const e = existing.get(`${p.zoneId}/${p.code}`);
      zoneIds.add(p.zoneId!);
      const values = Object.fromEntries(cols.map((c) => [c, c === 'infrastructure' ? JSON.stringify(p.values[c]) : p.values[c]]));
      if (e) {
        await updateImported(tx, importId, 'parcel', e.id, e.snap, values, p.geometry);
        updated++;
      } else {
        // A new parcel without a status in the file is land in reserve.
        await insertImported(
          tx,
          importId,
          'parcel',
          { zone_id: p.zoneId, code: p.code, ...(cols.includes('status') ? {} : { status: 'reserve' }), ...values },
          p.geometry,
        );
        created++;
      }
    }
    let figures: number | undefined;
    if (enterprises) ({ created, updated, figures } = await commitEnterprises(tx, importId, enterprises));
    const written = zonesChecked ? await commitZones(tx, importId, zonesChecked) : projectsChecked ? await commitProjects(tx, importId, projectsChecked) : null;
    if (written) {
      ({ created, updated } = written);
      for (const z of written.zoneIds) zoneIds.add(z);
    }
    const counts = {
      features: other ? other.rows.length : prepared.length,
      created,
      updated,
      ...(kind !== 'parcels' ? { kind } : {}),
      ...(enterprises ? { figures } : {}),
      warnings: issues.filter((i) => i.severity === 'warning').length,
    };
    await tx.query(
      `UPDATE imports SET status = 'committed', committed_at = now(), dataset = NULL, settings = $2::jsonb, counts = $3::jsonb, zone_ids = $4::int[] WHERE id = $1`,
      [importId, JSON.stringify(settings), JSON.stringify(counts), [...zoneIds]],
    );
    await tx.query(
      `INSERT INTO import_mappings (signature, mapping, username) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (signature) DO UPDATE SET mapping = EXCLUDED.mapping, username = EXCLUDED.username, updated_at = now()`,
      // The values for the whole file belong to this batch (its parcels' status …), not to the file's layout: not proposed again.
      [mappingSignature(dataset.columns), JSON.stringify({ ...settings.mapping, values: undefined }), actor.username],
    );
    const [after] = await tx.query<Record<string, unknown>>(`SELECT to_jsonb(t) - 'dataset' AS snap FROM imports t WHERE id = $1`, [importId]);
    await recordAudit(tx, actor, {
      action: 'import',
      entity: 'import',
      entityId: importId,
      before: null,
      after: (after as { snap: Record<string, unknown> }).snap,
      note: enterprises
        ? `${dataset.fileName}: enterprises ${created} created, ${updated} updated, ${figures} yearly figures`
        : `${dataset.fileName}: ${kind === 'parcels' ? '' : `${kind} `}${created} created, ${updated} updated (EPSG:${settings.epsg})`,
    });
    return { importId, created, updated };
  });
}

const RESTORE_COLUMNS = [...Object.keys(PARCEL_FIELDS), 'geometry_note'];

/** Undoes a committed import: created parcels removed, updated ones restored; refused if any was changed since. */
export async function undoImport(db: Db, actor: Actor, importId: number): Promise<{ removed: number; restored: number }> {
  return db.transaction(async (tx) => {
    const [imp] = await tx.query<{ status: string; zone_ids: number[]; file_name: string; kind: string | null }>(
      "SELECT status, zone_ids, file_name, counts->>'kind' AS kind FROM imports WHERE id = $1 FOR UPDATE",
      [importId],
    );
    if (!imp) throw new HttpError(404, 'not_found', `Import ${importId} does not exist.`);
    if (imp.status !== 'committed')
      throw new HttpError(409, 'import_not_committed', `Import ${importId} is ${imp.status}: only a committed import can be undone.`);
    for (const z of imp.zone_ids) if (!can(actor, 'parcel.import', z)) throw new HttpError(403, 'forbidden', 'You may undo imports only in your own zones.');
    if (imp.zone_ids.length === 0 && actor.zone_ids !== null)
      throw new HttpError(403, 'forbidden', 'Enterprise imports are undone by users not limited to some zones.');
    if (imp.kind === 'zones' && (actor.zone_ids !== null || !can(actor, 'zone.edit')))
      throw new HttpError(403, 'forbidden', 'Zone imports are undone by administrators and planners not limited to some zones.');
    if (imp.kind === 'projects')
      for (const z of imp.zone_ids)
        if (!can(actor, 'project.edit', z)) throw new HttpError(403, 'forbidden', 'You may undo project imports only in zones whose projects you may edit.');
    const items = await tx.query<{
      parcel_id: number;
      action: string;
      before: Record<string, unknown> | null;
      version_after: number;
      version: number | null;
      code: string | null;
      used: boolean;
    }>(
      `SELECT i.record_id AS parcel_id, i.action, i.before, i.version_after, p.version, p.code,
         EXISTS (SELECT 1 FROM projects x WHERE x.parcel_id = i.record_id) OR EXISTS (SELECT 1 FROM factory_buildings x WHERE x.parcel_id = i.record_id) AS used
       FROM import_items i LEFT JOIN parcels p ON p.id = i.record_id WHERE i.import_id = $1 AND i.entity = 'parcel' ORDER BY i.record_id FOR UPDATE OF i`,
      [importId],
    );
    const changed = items.filter((i) => i.version !== i.version_after);
    if (changed.length) {
      throw new HttpError(
        409,
        'import_changed_since',
        `Parcels changed after the import (${changed
          .slice(0, 10)
          .map((c) => c.code ?? `#${c.parcel_id}`)
          .join(', ')}): undo those changes first; nothing was undone.`,
        {
          message_zh: `导入后以下地块已被修改（${changed
            .slice(0, 10)
            .map((c) => c.code ?? `#${c.parcel_id}`)
            .join('、')}）：请先撤销这些修改，本次未撤销任何内容。`,
        },
      );
    }
    const used = items.filter((i) => i.action === 'create' && i.used);
    if (used.length) {
      throw new HttpError(
        409,
        'import_in_use',
        `Parcels created by the import now carry projects or buildings (${used.map((c) => c.code).join(', ')}): nothing was undone.`,
        {
          message_zh: `导入新建的地块已关联项目或厂房（${used.map((c) => c.code).join('、')}），未撤销任何内容。`,
        },
      );
    }
    let removed = 0;
    let restored = 0;
    const pacer = new Pacer();
    for (const item of items) {
      await pacer.maybeYield();
      if (item.action === 'create') {
        await tx.query('DELETE FROM parcel_uses WHERE parcel_id = $1', [item.parcel_id]);
        await tx.query('DELETE FROM parcels WHERE id = $1', [item.parcel_id]);
        removed++;
      } else {
        await restoreImported(tx, importId, 'parcel', item.parcel_id, item.before as { version: number; geometry?: unknown }, RESTORE_COLUMNS);
        restored++;
      }
    }
    for (const part of [await undoEnterprises(tx, importId), await undoProjects(tx, importId), await undoZones(tx, importId)]) {
      removed += part.removed;
      restored += part.restored;
    }
    await tx.query(`UPDATE imports SET status = 'undone', undone_at = now(), undone_by = $2 WHERE id = $1`, [importId, actor.username]);
    await recordAudit(tx, actor, {
      action: 'import.undo',
      entity: 'import',
      entityId: importId,
      before: null,
      after: { status: 'undone', removed, restored },
      note: `${imp.file_name}: undone (${removed} removed, ${restored} restored)`,
    });
    return { removed, restored };
  });
}
