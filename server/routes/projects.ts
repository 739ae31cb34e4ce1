/** Projects: pins as GeoJSON points (filter by zone and stage), and one project's record with its timeline. */
import { Router } from 'express';
import { PROJECT_STAGES, PROJECT_STAGE_KEYS } from '../../domain/lifecycle.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { allowOnlyParams, notFound, parseEnumList, parseId, queryString } from '../lib/http.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { requirePermission } from '../auth/middleware.ts';
import { updateProject } from '../services/otherWrites.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';

export function projectsRouter(db: Db): Router {
  const router = Router();

  router.patch('/:id', requirePermission('project.edit'), async (req, res) => {
    res.json({ project: await updateProject(db, req.user!, parseId(req.params.id, 'Project'), req.body ?? {}) });
  });

  router.get('/', allowOnlyParams(['zone', 'stage']), async (req, res) => {
    const where = whereBuilder();
    const zoneText = queryString(req.query, 'zone');
    if (zoneText) {
      const ids = await parseZoneFilter(db, zoneText);
      where.add('pr.zone_id = ANY($?::int[])', ids);
    }
    const stageText = queryString(req.query, 'stage');
    if (stageText) where.add('pr.stage = ANY($?::text[])', parseEnumList(stageText, 'stage', PROJECT_STAGE_KEYS));
    const { text, values } = where.build();
    const rows = await db.query<{ feature: unknown }>(
      `SELECT json_build_object('type', 'Feature', 'id', pr.id, 'geometry', ST_AsGeoJSON(pr.geom, 7)::json,
         'properties', json_build_object('id', pr.id, 'name', pr.name, 'stage', pr.stage, 'zone_id', pr.zone_id,
           'industry_chain', pr.industry_chain, 'total_investment_wan', pr.total_investment_wan)) AS feature
       FROM projects pr WHERE ${text} ORDER BY pr.id`,
      values,
    );
    res.json({ type: 'FeatureCollection', features: rows.map((r) => r.feature) });
  });

  router.get('/:id', allowOnlyParams([]), async (req, res) => {
    const id = parseId(req.params.id, 'Project');
    const [project] = await db.query<Record<string, unknown>>(sql.projectById, [id]);
    if (!project) throw notFound(`Project ${id} does not exist.`);
    const rounds = await db.query(sql.projectRounds, [id]);
    const timeline = PROJECT_STAGES.map((s) => ({ stage: s.key, date: (project[s.dateField] as string | null) ?? null }));
    res.json({ ...project, timeline, rounds });
  });

  return router;
}
