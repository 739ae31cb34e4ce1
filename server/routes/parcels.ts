/** Parcels: bbox-limited GeoJSON with filters, and one parcel's full record with the enterprises using it. */
import { Router } from 'express';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { PARCEL_STATUS_KEYS } from '../../domain/lifecycle.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import {
  allowOnlyParams,
  badRequest,
  notFound,
  parseBbox,
  parseEnumList,
  parseId,
  parseIntInRange,
  queryString,
} from '../lib/http.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { requirePermission, requireSignIn } from '../auth/middleware.ts';
import { checkParcelGeometry, parseGeometry } from '../services/geometryCheck.ts';
import { createParcel, mergeParcels, splitParcel, updateParcel } from '../services/parcelWrites.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';

export const PARCELS_DEFAULT_LIMIT = 2000;
export const PARCELS_MAX_LIMIT = 5000;
const LAND_USE_CODES = LAND_USE_CLASSES.map((c) => c.code);

export function parcelsRouter(db: Db, onWrite: () => void): Router {
  const router = Router();

  // Writes: the services check each field's permission and the user's zones, versions, and record history.
  router.post('/', requirePermission('parcel.editGeometry'), async (req, res) => {
    const parcel = await createParcel(db, req.user!, req.body ?? {});
    onWrite();
    res.status(201).json({ parcel });
  });
  router.post('/check-geometry', requirePermission('parcel.editGeometry'), async (req, res) => {
    const body = (req.body ?? {}) as { zone_id?: unknown; geometry?: unknown; parcel_id?: unknown };
    if (!Number.isInteger(body.zone_id)) throw badRequest('"zone_id" is required.');
    const geometry = parseGeometry(body.geometry);
    const exclude = Number.isInteger(body.parcel_id) ? [body.parcel_id as number] : [];
    res.json(await checkParcelGeometry(db, geometry, body.zone_id as number, exclude));
  });
  router.post('/merge', requirePermission('parcel.editGeometry'), async (req, res) => {
    const result = await mergeParcels(db, req.user!, req.body ?? {});
    onWrite();
    res.json(result);
  });
  router.patch('/:id', requireSignIn, async (req, res) => {
    const parcel = await updateParcel(db, req.user!, parseId(req.params.id, 'Parcel'), req.body ?? {});
    onWrite();
    res.json({ parcel });
  });
  router.post('/:id/split', requirePermission('parcel.editGeometry'), async (req, res) => {
    const result = await splitParcel(db, req.user!, parseId(req.params.id, 'Parcel'), req.body ?? {});
    onWrite();
    res.json(result);
  });

  router.get('/', allowOnlyParams(['bbox', 'zone', 'status', 'landUse', 'limit']), async (req, res) => {
    const bboxText = queryString(req.query, 'bbox');
    if (!bboxText) throw badRequest('bbox is required: "minLon,minLat,maxLon,maxLat" (WGS84 degrees). For whole areas use the vector tiles.');
    const bbox = parseBbox(bboxText);
    const limitText = queryString(req.query, 'limit');
    const limit = limitText ? parseIntInRange(limitText, 'limit', 1, PARCELS_MAX_LIMIT) : PARCELS_DEFAULT_LIMIT;

    const where = whereBuilder();
    where.add('p.geom && ST_MakeEnvelope($?, $?, $?, $?, 4326)', ...bbox);
    const zoneText = queryString(req.query, 'zone');
    if (zoneText) {
      const ids = await parseZoneFilter(db, zoneText);
      where.add('p.zone_id = ANY($?::int[])', ids);
    }
    const statusText = queryString(req.query, 'status');
    if (statusText) where.add('p.status = ANY($?::text[])', parseEnumList(statusText, 'status', PARCEL_STATUS_KEYS));
    const landUseText = queryString(req.query, 'landUse');
    if (landUseText) {
      // A code matches itself and the codes below it: "10" matches 100101.
      const codes = parseEnumList(landUseText, 'land-use code', LAND_USE_CODES);
      where.add('p.land_use_code LIKE ANY($?::text[])', codes.map((c) => `${c}%`));
    }
    const { text: whereText, values } = where.build();
    values.push(limit + 1);
    const rows = await db.query<{ feature: unknown }>(
      `SELECT json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 7)::json,
         'properties', json_build_object('id', p.id, 'code', p.code, 'zone_id', p.zone_id, 'land_use', p.land_use_code,
           'status', p.status, 'standard', p.is_standard_land, 'area_m2', round(p.area_m2::numeric, 1))) AS feature
       FROM parcels p WHERE ${whereText} ORDER BY p.id LIMIT $${values.length}`,
      values,
    );
    const truncated = rows.length > limit;
    res.json({
      type: 'FeatureCollection',
      features: rows.slice(0, limit).map((r) => r.feature),
      limit,
      truncated,
    });
  });

  router.get('/:id', allowOnlyParams([]), async (req, res) => {
    const id = parseId(req.params.id, 'Parcel');
    const [parcel] = await db.query<Record<string, unknown>>(sql.parcelById, [id]);
    if (!parcel) throw notFound(`Parcel ${id} does not exist.`);
    const [enterprises, projects, factoryBuildings] = await Promise.all([
      db.query(sql.parcelEnterprises, [id]),
      db.query(sql.parcelProjects, [id]),
      db.query(sql.parcelFactoryBuildings, [id]),
    ]);
    // Internal fields (price, notes) are for signed-in users only; this whole route requires sign-in.
    res.json({
      ...parcel,
      enterprises,
      projects,
      factory_buildings: factoryBuildings,
    });
  });

  return router;
}
