/** Exports of parcels (a layer, or the list as filtered on the map) and of zones, for signed-in users: internal fields included. */
import { Router } from 'express';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { PARCEL_STATUSES, PARCEL_STATUS_KEYS, ZONE_LEVELS } from '../../domain/lifecycle.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest, parseBbox, parseEnumList } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';
import { crsByEpsg } from '../import/crs.ts';
import { loadStages } from '../services/supervision.ts';
import { stageOf } from '../../domain/projectStages.ts';
import {
  EXPORT_COLUMNS,
  EXTENSION_EXPORT_COLUMNS,
  PROJECT_EXPORT_COLUMNS,
  ZONE_EXPORT_COLUMNS,
  writeExport,
  type ExportFile,
  type ExportFormat,
  type ExportRow,
} from '../import/export.ts';
import type { Response } from 'express';
import * as contract from '../contract/exports.ts';

export const EXPORT_MAX_FEATURES = 20_000;
const LAND_USE_CODES = LAND_USE_CLASSES.map((c) => c.code);
const SELECTED = EXPORT_COLUMNS.filter((c) => c.column !== 'zone_code' && !EXTENSION_EXPORT_COLUMNS.includes(c)).map((c) => `p.${c.column}`);

export function exportsRouter(db: Db): Router {
  const router = Router();
  router.get(
    '/parcels',
    ...route(contract.exportParcels, async ({ query }, _req, res) => {
      const { format, epsg } = formatAndCrs(query);
      const where = whereBuilder();
      if (query.zone) where.add('p.zone_id = ANY($?::int[])', await parseZoneFilter(db, query.zone));
      if (query.status) where.add('p.status = ANY($?::text[])', parseEnumList(query.status, 'status', PARCEL_STATUS_KEYS));
      if (query.landUse)
        where.add(
          'p.land_use_code LIKE ANY($?::text[])',
          parseEnumList(query.landUse, 'land-use code', LAND_USE_CODES).map((c) => `${c}%`),
        );
      if (query.bbox) where.add('p.geom && ST_MakeEnvelope($?, $?, $?, $?, 4326)', ...parseBbox(query.bbox, 60));
      const { text, values } = where.build();
      values.push(EXPORT_MAX_FEATURES + 1);
      const rows = await db.query<ExportRow>(
        `SELECT ${SELECTED.join(', ')}, z.code AS zone_code, ST_AsGeoJSON(p.geom, 9)::json AS geometry,
         coalesce(x.start_date, p.agreed_start_date) AS effective_agreed_start_date, coalesce(x.n, 0) AS extension_count
       FROM parcels p JOIN zones z ON z.id = p.zone_id
       -- Extensions move the agreed start date later one after the other: the latest date is the greatest.
       LEFT JOIN (SELECT parcel_id, max(start_date) AS start_date, count(*)::int AS n FROM parcel_start_extensions GROUP BY parcel_id) x ON x.parcel_id = p.id
       WHERE ${text} ORDER BY z.code, p.code LIMIT $${values.length}`,
        values,
      );
      if (rows.length > EXPORT_MAX_FEATURES) throw badRequest(`More than ${EXPORT_MAX_FEATURES} parcels match: narrow the filter (zone, status, land use).`);
      // The status by its Chinese name, as land bureaus write it; the importer reads names and keys.
      for (const r of rows) r.status = nameOf(PARCEL_STATUSES, r.status);
      sendFile(res, `parcels-${epsg}`, await writeExport(rows, format, epsg, `parcels-${epsg}`));
    }),
  );
  router.get(
    '/zones',
    ...route(contract.exportZones, async ({ query }, _req, res) => {
      const { format, epsg } = formatAndCrs(query);
      const ids = query.zone ? await parseZoneFilter(db, query.zone) : null;
      const rows = await db.query<ExportRow>(
        `SELECT ${ZONE_EXPORT_COLUMNS.map((c) => `z.${c.column}`).join(', ')}, ST_AsGeoJSON(z.geom, 9)::json AS geometry
       FROM zones z WHERE ($1::int[] IS NULL OR z.id = ANY($1::int[])) ORDER BY z.code`,
        [ids],
      );
      for (const r of rows) r.level = nameOf(ZONE_LEVELS, r.level);
      sendFile(res, `zones-${epsg}`, await writeExport(rows, format, epsg, `zones-${epsg}`, ZONE_EXPORT_COLUMNS));
    }),
  );
  router.get(
    '/projects',
    ...route(contract.exportProjects, async ({ query }, _req, res) => {
      const { format, epsg } = formatAndCrs(query);
      if (format === 'txt') {
        throw new HttpError(
          400,
          'export_format',
          'The coordinate TXT holds parcel boundaries (polygons); projects are points: export them as GeoPackage, Shapefile, GeoJSON, CSV or Excel.',
          {
            message_zh: '坐标 TXT 只保存地块界址（面），项目为点：请导出为 GeoPackage、Shapefile、GeoJSON、CSV 或 Excel。',
          },
        );
      }
      const ids = query.zone ? await parseZoneFilter(db, query.zone) : null;
      const plain = PROJECT_EXPORT_COLUMNS.filter((c) => !['zone_code', 'parcel_code', 'enterprise_credit_code'].includes(c.column)).map(
        (c) => `p.${c.column}`,
      );
      const rows = await db.query<ExportRow>(
        `SELECT ${plain.join(', ')}, z.code AS zone_code, pa.code AS parcel_code, e.credit_code AS enterprise_credit_code, ST_AsGeoJSON(p.geom, 9)::json AS geometry
       FROM projects p JOIN zones z ON z.id = p.zone_id LEFT JOIN parcels pa ON pa.id = p.parcel_id LEFT JOIN enterprises e ON e.id = p.enterprise_id
       WHERE ($1::int[] IS NULL OR p.zone_id = ANY($1::int[])) ORDER BY z.code, p.name, p.id LIMIT $2`,
        [ids, EXPORT_MAX_FEATURES + 1],
      );
      if (rows.length > EXPORT_MAX_FEATURES) throw badRequest(`More than ${EXPORT_MAX_FEATURES} projects match: choose zones.`);
      // The stage by its (configured) Chinese name, as project lists write it; the importer reads it back.
      const { stages } = await loadStages(db);
      for (const r of rows) r.stage = stageOf(stages, r.stage as string).zh;
      sendFile(res, `projects-${epsg}`, await writeExport(rows, format, epsg, `projects-${epsg}`, PROJECT_EXPORT_COLUMNS));
    }),
  );
  return router;
}

/** The format (the contract checked it is one the writer knows) and the coordinate system, which must suit it. */
function formatAndCrs(query: { format?: ExportFormat; crs?: string }): { format: ExportFormat; epsg: number } {
  const format = query.format ?? 'geojson';
  const crsText = query.crs ?? '4326';
  const epsg = Number(crsText.replace(/^EPSG:/i, ''));
  if (!Number.isInteger(epsg) || !crsByEpsg(epsg))
    throw badRequest(`Unknown crs "${crsText}": use 4326 (WGS84), 4490 (CGCS2000 longitude/latitude) or a CGCS2000 Gauss–Krüger code (4491–4554).`);
  // KML is longitude/latitude by definition; CGCS2000's differ from WGS84's by centimetres, so 4490 is written as is (the file says so).
  if (format === 'kml' && crsByEpsg(epsg)!.kind !== 'geographic')
    throw badRequest('KML is always longitude/latitude (WGS84): choose crs 4326 or 4490 for KML.');
  if (format === 'txt' && crsByEpsg(epsg)!.kind === 'geographic') {
    throw new HttpError(
      400,
      'export_crs',
      "The ministry's coordinate TXT holds Gauss–Krüger metres (X northing, Y easting): choose a CGCS2000 Gauss–Krüger zone (crs 4491–4554), not longitude/latitude.",
      {
        message_zh: '自然资源部坐标 TXT 只能保存高斯-克吕格平面坐标（X 北坐标、Y 东坐标）：请选择 CGCS2000 高斯-克吕格投影带（EPSG 4491–4554），不能选经纬度。',
      },
    );
  }
  return { format, epsg };
}

/** A key's Chinese name from its list (a key not in the list is written as it is). */
function nameOf(list: readonly { key: string; zh: string }[], key: unknown): unknown {
  return list.find((x) => x.key === key)?.zh ?? key;
}

function sendFile(res: Response, base: string, file: ExportFile): void {
  res.set('Content-Type', file.contentType);
  res.set('Content-Disposition', `attachment; filename="${base}.${file.extension}"`);
  res.set('Cache-Control', 'private, no-store');
  res.send(file.body);
}
