/** /api/factories: standard factory buildings, their leases (leased area kept in step), use rate per zone (internal). */
import express, { Router } from 'express';
import { currentYear, todayIso } from '../../domain/dates.ts';
import type { Db } from '../db/types.ts';
import { addSheet, newWorkbook, sendWorkbook } from '../lib/exports.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/factories.ts';
import { addLease, buildingWithLeases, deleteLease, listBuildings, setCompletedYear, updateLease, useRateFor } from '../services/factories.ts';
import { importLeases, readTable } from '../services/supplyImports.ts';
import { UPLOAD_TYPES } from './indicators.ts';

type Row = Record<string, unknown>;
const scopeOf = (q: { zone?: number[]; city?: string }) => ({ zoneIds: q.zone, city: q.city });

export function factoriesRouter(db: Db): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.listBuildings, async ({ query }) => ({ today: todayIso(), buildings: await listBuildings(db, scopeOf(query), todayIso()) })),
  );
  router.get('/use-rate', ...route(contract.useRate, ({ query }) => useRateFor(db, scopeOf(query), query.year ?? currentYear())));
  router.post(
    '/leases/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importLeases, async ({ body, query }, req) =>
      importLeases(db, req.user!, await readTable(body, (req.get('Content-Type') ?? '').split(';')[0].trim()), todayIso(), query.dryRun === 'true'),
    ),
  );
  router.get(
    '/export.xlsx',
    ...route(contract.exportBuildings, async ({ query }, _req, res) => {
      const today = todayIso();
      const buildings = (await listBuildings(db, scopeOf(query), today)) as Row[];
      const book = newWorkbook();
      addSheet(
        book,
        '标准化厂房',
        [
          { header: '开发区', value: (b: Row) => b.zone_name as string, width: 22 },
          { header: '厂房', value: (b) => b.name as string, width: 26 },
          { header: '建筑面积（m²）', value: (b) => b.floor_area_m2 as number },
          { header: '已出租面积（m²）', value: (b) => b.leased_area_m2 as number },
          { header: '空置面积（m²）', value: (b) => b.vacant_area_m2 as number },
          { header: '使用率（%）', value: (b) => b.use_rate_pct as number | null },
          { header: '竣工年份', value: (b) => b.completed_year as number | null },
        ],
        buildings,
      );
      const leases = await db.query<Row>(
        `SELECT b.name AS building, l.tenant_name, l.leased_area_m2, l.start_date, l.end_date FROM factory_leases l JOIN factory_buildings b ON b.id = l.building_id
         WHERE b.id = ANY($1::int[]) ORDER BY b.name, l.start_date`,
        [buildings.map((b) => b.id)],
      );
      addSheet(
        book,
        '租赁',
        [
          { header: '厂房', value: (l: Row) => l.building as string, width: 26 },
          { header: '承租方', value: (l) => l.tenant_name as string, width: 26 },
          { header: '出租面积（m²）', value: (l) => l.leased_area_m2 as number },
          { header: '起租日期', value: (l) => l.start_date as string },
          { header: '到期日期', value: (l) => l.end_date as string | null },
        ],
        leases,
      );
      await sendWorkbook(res, `standard-factories-${today}`, book);
    }),
  );
  router.get('/:id/leases', ...route(contract.buildingLeases, ({ params }) => buildingWithLeases(db, params.id, todayIso())));
  router.post('/:id/leases', ...route(contract.addLease, ({ params, body }, req) => addLease(db, req.user!, params.id, body, todayIso())));
  router.patch(
    '/:id',
    ...route(contract.setCompletedYear, ({ params, body }, req) => setCompletedYear(db, req.user!, params.id, body.version, body.completed_year, todayIso())),
  );
  return router;
}

/** /api/factory-leases/:id: change or remove one lease. */
export function factoryLeasesRouter(db: Db): Router {
  const router = Router();
  router.patch(
    '/:id',
    ...route(contract.updateLease, ({ params, body }, req) => updateLease(db, req.user!, params.id, body.version, body.changes, todayIso())),
  );
  router.delete('/:id', ...route(contract.deleteLease, ({ params, query }, req) => deleteLease(db, req.user!, params.id, query.version, todayIso())));
  return router;
}
