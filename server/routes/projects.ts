/** Projects: pins as GeoJSON points (filter by zone and stage), and one project's record with its timeline. */
import { Router } from 'express';
import { stageDate } from '../../domain/projectStages.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { notFound, parseEnumList } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { updateProject } from '../services/otherWrites.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';
import { LIGHT_KEYS, classifySanwei, trafficLight, type Light } from '../../domain/projectSupervision.ts';
import { loadLightThresholds, loadProjects, loadStages } from '../services/supervision.ts';
import { parseAsOf } from './land.ts';
import { todayIso } from '../../domain/dates.ts';
import * as contract from '../contract/projects.ts';

export function projectsRouter(db: Db, onParcelChange: () => void = () => {}): Router {
  const router = Router();

  router.patch(
    '/:id',
    ...route(contract.updateProject, async ({ params, body }, req) => {
      const project = await updateProject(db, req.user!, params.id, body);
      // The linked parcel may have followed the project's step: its tiles must show the new status.
      if (project.parcel_id) onParcelChange();
      return { project };
    }),
  );

  router.get(
    '/',
    ...route(contract.listProjects, async ({ query }) => {
      const where = whereBuilder();
      const zoneIds = query.zone ? await parseZoneFilter(db, query.zone) : null;
      if (zoneIds) where.add('pr.zone_id = ANY($?::int[])', zoneIds);
      const lightFilter = query.light ? parseEnumList(query.light, 'light', LIGHT_KEYS) : null;
      const asOf = parseAsOf(query.asOf);
      const { stages } = await loadStages(db);
      if (query.stage)
        where.add(
          'pr.stage = ANY($?::text[])',
          parseEnumList(
            query.stage,
            'stage',
            stages.map((s) => s.key),
          ),
        );
      const { text, values } = where.build();
      const rows = await db.query<{ feature: unknown }>(
        `SELECT json_build_object('type', 'Feature', 'id', pr.id, 'geometry', ST_AsGeoJSON(pr.geom, 7)::json,
         'properties', json_build_object('id', pr.id, 'name', pr.name, 'stage', pr.stage, 'zone_id', pr.zone_id,
           'industry_chain', pr.industry_chain, 'total_investment_wan', pr.total_investment_wan)) AS feature
       FROM projects pr WHERE ${text} ORDER BY pr.id`,
        values,
      );
      // Each pin carries its traffic light (domain/projectSupervision.ts) so that the map can colour and filter by it.
      const [{ thresholds }, records] = await Promise.all([loadLightThresholds(db), loadProjects(db, zoneIds)]);
      const lightOf = new Map(records.map((p) => [p.id, trafficLight(p, asOf, thresholds, stages).light]));
      const features = rows
        .map((r) => r.feature as { id: number; properties: Record<string, unknown> })
        .map((f) => ({ ...f, properties: { ...f.properties, light: lightOf.get(f.id) ?? 'none' } }))
        .filter((f) => !lightFilter || lightFilter.includes(f.properties.light as Light));
      return { type: 'FeatureCollection' as const, features };
    }),
  );

  router.get(
    '/:id',
    ...route(contract.getProject, async ({ params: { id } }) => {
      const [project] = await db.query<Record<string, unknown>>(sql.projectById, [id]);
      if (!project) throw notFound(`Project ${id} does not exist.`);
      const rounds = await db.query(sql.projectRounds, [id]);
      const { stages } = await loadStages(db);
      // The timeline follows the configured stage list: added stages' dates come from extra_stage_dates.
      const timeline = stages.map((s) => ({
        stage: s.key,
        date: stageDate(project, s.key),
        planned: (project[`plan_${s.key}_date`] as string | null | undefined) ?? null,
      }));
      const asOf = todayIso();
      const [record] = await loadProjects(db, null, [id]);
      const { thresholds } = await loadLightThresholds(db);
      return { ...project, timeline, rounds, light: trafficLight(record, asOf, thresholds, stages), sanwei: classifySanwei(record, asOf, stages) };
    }),
  );

  return router;
}
