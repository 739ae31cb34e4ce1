/** Parcels: bbox-limited GeoJSON with filters, and one parcel's full record with the enterprises using it. */
import { Router } from 'express';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { PARCEL_STATUS_KEYS } from '../../domain/lifecycle.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { notFound, parseBbox, parseEnumList } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { checkParcelGeometry, parseGeometry } from '../services/geometryCheck.ts';
import { createParcel, mergeParcels, splitParcel, updateParcel } from '../services/parcelWrites.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';
import * as contract from '../contract/parcels.ts';

export { PARCELS_DEFAULT_LIMIT, PARCELS_MAX_LIMIT } from '../contract/parcels.ts';
const LAND_USE_CODES = LAND_USE_CLASSES.map((c) => c.code);

export function parcelsRouter(db: Db, onWrite: () => void): Router {
  const router = Router();

  // Writes: the services check each field's permission and the user's zones, versions, and record history.
  router.post(
    '/',
    ...route(contract.createParcel, async ({ body }, req) => {
      const parcel = await createParcel(db, req.user!, body);
      onWrite();
      return { parcel };
    }),
  );
  router.post(
    '/check-geometry',
    ...route(contract.checkGeometry, async ({ body }) => {
      const geometry = parseGeometry(body.geometry);
      return checkParcelGeometry(db, geometry, body.zone_id, body.parcel_id === undefined ? [] : [body.parcel_id]);
    }),
  );
  router.post(
    '/merge',
    ...route(contract.mergeParcels, async ({ body }, req) => {
      const result = await mergeParcels(db, req.user!, body);
      onWrite();
      return result;
    }),
  );
  router.patch(
    '/:id',
    ...route(contract.updateParcel, async ({ params, body }, req) => {
      const parcel = await updateParcel(db, req.user!, params.id, body);
      onWrite();
      return { parcel };
    }),
  );
  router.post(
    '/:id/split',
    ...route(contract.splitParcel, async ({ params, body }, req) => {
      const result = await splitParcel(db, req.user!, params.id, body);
      onWrite();
      return result;
    }),
  );

  router.get(
    '/',
    ...route(contract.listParcels, async ({ query }) => {
      const bbox = parseBbox(query.bbox);
      const limit = query.limit ?? contract.PARCELS_DEFAULT_LIMIT;
      const where = whereBuilder();
      where.add('p.geom && ST_MakeEnvelope($?, $?, $?, $?, 4326)', ...bbox);
      if (query.zone) where.add('p.zone_id = ANY($?::int[])', await parseZoneFilter(db, query.zone));
      if (query.status) where.add('p.status = ANY($?::text[])', parseEnumList(query.status, 'status', PARCEL_STATUS_KEYS));
      if (query.landUse) {
        // A code matches itself and the codes below it: "10" matches 100101.
        const codes = parseEnumList(query.landUse, 'land-use code', LAND_USE_CODES);
        where.add(
          'p.land_use_code LIKE ANY($?::text[])',
          codes.map((c) => `${c}%`),
        );
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
      return { type: 'FeatureCollection' as const, features: rows.slice(0, limit).map((r) => r.feature), limit, truncated: rows.length > limit };
    }),
  );

  router.get(
    '/:id',
    ...route(contract.getParcel, async ({ params: { id } }) => {
      const [parcel] = await db.query<Record<string, unknown>>(sql.parcelById, [id]);
      if (!parcel) throw notFound(`Parcel ${id} does not exist.`);
      const [enterprises, projects, factoryBuildings] = await Promise.all([
        db.query(sql.parcelEnterprises, [id]),
        db.query(sql.parcelProjects, [id]),
        db.query(sql.parcelFactoryBuildings, [id]),
      ]);
      // Internal fields (price, notes) are for signed-in users only; this whole route requires sign-in.
      return { ...parcel, enterprises, projects, factory_buildings: factoryBuildings };
    }),
  );

  return router;
}
