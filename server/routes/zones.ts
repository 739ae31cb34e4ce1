/** Development zones: all boundaries as GeoJSON, and one zone's record with its land-use and status summary. */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { allowOnlyParams, notFound, parseId } from '../lib/http.ts';
import { requirePermission } from '../auth/middleware.ts';
import { updateZone } from '../services/otherWrites.ts';

export function zonesRouter(db: Db, onWrite: () => void): Router {
  const router = Router();

  router.patch('/:id', requirePermission('zone.edit'), async (req, res) => {
    const zone = await updateZone(db, req.user!, parseId(req.params.id, 'Zone'), req.body ?? {});
    onWrite();
    res.json({ zone });
  });

  router.get('/', allowOnlyParams([]), async (_req, res) => {
    const [row] = await db.query<{ fc: unknown }>(sql.zonesFeatureCollection);
    res.json(row.fc);
  });

  router.get('/:id', allowOnlyParams([]), async (req, res) => {
    const id = parseId(req.params.id, 'Zone');
    const [zone] = await db.query(sql.zoneById, [id]);
    if (!zone) throw notFound(`Zone ${id} does not exist.`);
    const [landUse, statuses] = await Promise.all([db.query(sql.zoneLandUse, [id]), db.query(sql.zoneParcelStatus, [id])]);
    res.json({ ...zone, land_use: landUse, parcel_status: statuses });
  });

  return router;
}
