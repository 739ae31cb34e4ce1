/** /api/events: 招商活动 for the roles that work leads (never public). */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import { createEvent, eventDetail, listEvents, updateEvent } from '../services/events.ts';
import * as contract from '../contract/events.ts';

export function eventsRouter(db: Db): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.listEvents, ({ query }, req) => listEvents(db, req.user!, { from: query.from, to: query.to, zoneIds: query.zone, city: query.city })),
  );
  router.post('/', ...route(contract.createEvent, ({ body }, req) => createEvent(db, req.user!, body)));
  router.get('/:id', ...route(contract.getEvent, ({ params }, req) => eventDetail(db, req.user!, params.id)));
  router.patch('/:id', ...route(contract.updateEvent, ({ params, body }, req) => updateEvent(db, req.user!, params.id, body.version, body.changes)));
  return router;
}
