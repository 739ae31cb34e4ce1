/** /api/statistics: 入统 — 规上 firms, the 培育库 near the threshold, projects started but not registered (internal). */
import { Router } from 'express';
import { todayIso } from '../../domain/dates.ts';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/statistics.ts';
import { aboveScaleFirms, cultivationFirms, registerEnterprise, registerProject, saveCultivationLower, unregisteredProjects } from '../services/statistics.ts';

const scopeOf = (q: { zone?: number[]; city?: string }) => ({ zoneIds: q.zone, city: q.city });

export function statisticsRouter(db: Db): Router {
  const router = Router();
  router.get('/above-scale', ...route(contract.aboveScale, ({ query }) => aboveScaleFirms(db, scopeOf(query))));
  router.get('/cultivation', ...route(contract.cultivation, ({ query }) => cultivationFirms(db, scopeOf(query), query.lower)));
  router.put(
    '/cultivation/settings',
    ...route(contract.saveCultivationLower, ({ body }, req) => saveCultivationLower(db, req.user!, body.lower_wan, body.version)),
  );
  router.patch('/enterprises/:id', ...route(contract.registerEnterprise, ({ params, body }, req) => registerEnterprise(db, req.user!, params.id, body)));
  router.get(
    '/unregistered-projects',
    ...route(contract.unregisteredProjects, ({ query }) => unregisteredProjects(db, scopeOf(query), todayIso(), query.limit ?? 200)),
  );
  router.patch('/projects/:id', ...route(contract.registerProject, ({ params, body }, req) => registerProject(db, req.user!, params.id, body, todayIso())));
  return router;
}
