/** Development zones: all boundaries as GeoJSON, and one zone's record with its land-use and status summary. */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { notFound } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { updateZone } from '../services/otherWrites.ts';
import * as contract from '../contract/zones.ts';

export function zonesRouter(db: Db, onWrite: () => void): Router {
  const router = Router();

  router.patch(
    '/:id',
    ...route(contract.updateZone, async ({ params, body }, req) => {
      const zone = await updateZone(db, req.user!, params.id, body);
      onWrite();
      return { zone };
    }),
  );

  router.get(
    '/',
    ...route(contract.listZones, async () => {
      const [row] = await db.query<{ fc: unknown }>(sql.zonesFeatureCollection);
      return row.fc;
    }),
  );

  router.get(
    '/:id',
    ...route(contract.getZone, async ({ params: { id } }) => {
      const [zone] = await db.query(sql.zoneById, [id]);
      if (!zone) throw notFound(`Zone ${id} does not exist.`);
      const [landUse, statuses] = await Promise.all([db.query(sql.zoneLandUse, [id]), db.query(sql.zoneParcelStatus, [id])]);
      return { ...zone, land_use: landUse, parcel_status: statuses };
    }),
  );

  return router;
}
