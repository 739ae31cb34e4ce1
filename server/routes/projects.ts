/** Projects: pins as GeoJSON points (filter by zone and stage), and one project's record with its timeline. */
import { Router } from 'express';
import { stageDate } from '../../domain/projectStages.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { allowOnlyParams, notFound, parseEnumList, parseId, queryString } from '../lib/http.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { requirePermission } from '../auth/middleware.ts';
import { updateProject } from '../services/otherWrites.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';
import { LIGHT_KEYS, classifySanwei, trafficLight, type Light } from '../../domain/projectSupervision.ts';
import { loadLightThresholds, loadProjects, loadStages } from '../services/supervision.ts';
import { parseAsOf } from './land.ts';
import { todayIso } from '../../domain/dates.ts';

export function projectsRouter(db: Db, onParcelChange: () => void = () => {}): Router {
  const router = Router();

  router.patch('/:id', requirePermission('project.edit'), async (req, res) => {
    const project = await updateProject(db, req.user!, parseId(req.params.id, 'Project'), req.body ?? {});
    // The linked parcel may have followed the project's step: its tiles must show the new status.
    if (project.parcel_id) onParcelChange();
    res.json({ project });
  });

  router.get('/', allowOnlyParams(['zone', 'stage', 'light', 'asOf']), async (req, res) => {
    const where = whereBuilder();
    const zoneText = queryString(req.query, 'zone');
    const zoneIds = zoneText ? await parseZoneFilter(db, zoneText) : null;
    if (zoneIds) where.add('pr.zone_id = ANY($?::int[])', zoneIds);
    const lightText = queryString(req.query, 'light');
    const lightFilter = lightText ? parseEnumList(lightText, 'light', LIGHT_KEYS) : null;
    const asOf = parseAsOf(queryString(req.query, 'asOf'));
    const stageText = queryString(req.query, 'stage');
    const { stages } = await loadStages(db);
    if (stageText) where.add('pr.stage = ANY($?::text[])', parseEnumList(stageText, 'stage', stages.map((s) => s.key)));
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
    res.json({ type: 'FeatureCollection', features });
  });

  router.get('/:id', allowOnlyParams([]), async (req, res) => {
    const id = parseId(req.params.id, 'Project');
    const [project] = await db.query<Record<string, unknown>>(sql.projectById, [id]);
    if (!project) throw notFound(`Project ${id} does not exist.`);
    const rounds = await db.query(sql.projectRounds, [id]);
    const { stages } = await loadStages(db);
    // The timeline follows the configured stage list: added stages' dates come from extra_stage_dates.
    const timeline = stages.map((s) => ({ stage: s.key, date: stageDate(project, s.key), planned: (project[`plan_${s.key}_date`] as string | null | undefined) ?? null }));
    const asOf = todayIso();
    const [record] = await loadProjects(db, null, [id]);
    const { thresholds } = await loadLightThresholds(db);
    res.json({ ...project, timeline, rounds, light: trafficLight(record, asOf, thresholds, stages), sanwei: classifySanwei(record, asOf, stages) });
  });

  return router;
}
