/**
 * /api/parcels/:id/extensions: a parcel's extensions of its agreed start date (《闲置土地处置办法》 Art. 8),
 * read by anyone signed in, recorded by the roles that edit land records in their zones.
 */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import { addExtension, parcelExtensions } from '../services/extensions.ts';
import { todayIso } from '../../domain/dates.ts';
import * as contract from '../contract/extensions.ts';

export function extensionsRouter(db: Db): Router {
  const router = Router({ mergeParams: true });
  router.get('/', ...route(contract.listExtensions, ({ params }) => parcelExtensions(db, params.id, todayIso())));
  router.post('/', ...route(contract.addExtension, ({ params, body }, req) => addExtension(db, req.user!, params.id, body, todayIso())));
  return router;
}
