/**
 * /api/parcels/:id/extensions: a parcel's extensions of its agreed start date (《闲置土地处置办法》 Art. 8),
 * read by anyone signed in, recorded by the roles that edit land records in their zones.
 */
import { Router } from 'express';
import { requirePermission } from '../auth/middleware.ts';
import type { Db } from '../db/types.ts';
import { allowOnlyParams, parseId } from '../lib/http.ts';
import { addExtension, parcelExtensions } from '../services/extensions.ts';
import { todayIso } from '../../domain/dates.ts';

export function extensionsRouter(db: Db): Router {
  const router = Router({ mergeParams: true });
  router.get('/', allowOnlyParams([]), async (req, res) => {
    res.json(await parcelExtensions(db, parseId((req.params as { id?: string }).id, 'Parcel'), todayIso()));
  });
  router.post('/', requirePermission('parcel.editLandRecord'), async (req, res) => {
    const parcelId = parseId((req.params as { id?: string }).id, 'Parcel');
    res.status(201).json(await addExtension(db, req.user!, parcelId, (req.body ?? {}) as Record<string, unknown>, todayIso()));
  });
  return router;
}
