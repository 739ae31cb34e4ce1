/**
 * Land utilisation: idle land by the legal rule as of a date, per parcel and per zone, with 批而未供 and
 * 供而未用 areas, as JSON, CSV or Excel. The rule itself is domain/idleLand.ts, the same code the client uses.
 */
import { Router } from 'express';
import { addSheet, newWorkbook, sendCsv, sendWorkbook, type ExportColumn } from '../lib/exports.ts';
import { assessIdleLand, compareUrgency, idleRatio, type IdleAssessment, type IdleParcelRow } from '../../domain/idleLand.ts';
import type { Db } from '../db/types.ts';
import { allowOnlyParams, badRequest, parseBbox, parseEnumList, parseIntInRange, queryString } from '../lib/http.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';
import { isValidDate } from '../../domain/parcelFields.ts';
import { UNBUILDABLE_LAND_USES, intensiveUseIndicators, sumTotals, zoneType, type ZoneLandTotals } from '../../domain/intensiveUse.ts';
import { sql } from '../db/sql/index.ts';

type Row = IdleParcelRow & { lon: number; lat: number };

export type IdleParcel = Omit<Row, 'lon' | 'lat'> & { centre: [number, number] } & IdleAssessment;

const STATES = ['idle', 'at_risk', 'fine', 'no_agreed_date'] as const;
const STATE_ZH: Record<string, string> = { idle: '闲置', at_risk: '临近闲置', fine: '正常', no_agreed_date: '无约定动工日期' };
const STAGE_ZH: Record<string, string> = { fee: '征缴闲置费（土地价款20%）', take_back: '可无偿收回' };

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

export function parseAsOf(value: string | undefined): string {
  if (!value) return todayIso();
  if (!isValidDate(value)) throw badRequest('asOf must be a date YYYY-MM-DD between 1990 and 2100.');
  return value;
}

const SUPPLIED_OR_LATER = ['supplied', 'started', 'completed', 'producing', 'at_capacity'];

/**
 * Idle land as of a date: the zones' totals (SQL), and the parcels the rule can catch — supplied by the date
 * and not started by then, or started and stopped — judged by domain/idleLand.ts, most urgent first. Every
 * other supplied parcel is working (started and not stopped) and so on schedule by the rule: it is counted
 * in the totals but not listed, which keeps the report small at national scale.
 */
export async function idleLandReport(db: Db, asOf: string, zoneIds: number[] | null) {
  const zoneRows = await db.query<{ zone_id: number; zone_name: string; supplied_area_m2: number; approved_unsupplied_area_m2: number; supplied_unused_area_m2: number }>(
    `SELECT z.id AS zone_id, z.name AS zone_name,
       coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date AND p.status = ANY($3::text[])), 0) AS supplied_area_m2,
       -- 批而未供: approved and offered, not supplied
       coalesce(sum(p.area_m2) FILTER (WHERE p.status = 'available'), 0) AS approved_unsupplied_area_m2,
       -- 供而未用: supplied by the date, not started by then
       coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date AND p.status = ANY($3::text[])
         AND (p.started_date IS NULL OR p.started_date > $1::date)), 0) AS supplied_unused_area_m2
     FROM zones z JOIN parcels p ON p.zone_id = z.id
     WHERE ($2::int[] IS NULL OR z.id = ANY($2::int[]))
     GROUP BY z.id`,
    [asOf, zoneIds, SUPPLIED_OR_LATER],
  );
  const rows = await db.query<Row>(
    `SELECT p.id, p.code, p.zone_id, z.name AS zone_name, p.status, p.area_m2, p.supplied_date, p.agreed_start_date, p.started_date,
       p.planned_building_area_m2, p.developed_area_m2, p.agreed_investment_wan, p.invested_wan, p.work_stopped_since, p.land_price_wan,
       -- The box's centre: inside the rectangular plots of a zone, and far cheaper than ST_PointOnSurface.
       (ST_XMin(p.geom) + ST_XMax(p.geom)) / 2 AS lon, (ST_YMin(p.geom) + ST_YMax(p.geom)) / 2 AS lat
     FROM parcels p JOIN zones z ON z.id = p.zone_id
     WHERE p.supplied_date <= $1::date AND p.status = ANY($3::text[])
       AND (p.started_date IS NULL OR p.started_date > $1::date OR p.work_stopped_since <= $1::date)
       AND ($2::int[] IS NULL OR p.zone_id = ANY($2::int[]))`,
    [asOf, zoneIds, SUPPLIED_OR_LATER],
  );
  // Parcels that are supplied now but were not yet on the date: the map's tiles show today's status.
  const notYet = await db.query<{ id: number }>(
    `SELECT id FROM parcels WHERE status = ANY($3::text[]) AND (supplied_date IS NULL OR supplied_date > $1::date)
       AND ($2::int[] IS NULL OR zone_id = ANY($2::int[]))`,
    [asOf, zoneIds, SUPPLIED_OR_LATER],
  );
  const zones = new Map(zoneRows.map((z) => [z.zone_id, { ...z, idle_area_m2: 0, idle_count: 0, at_risk_count: 0 }]));
  const parcels: IdleParcel[] = [];
  for (const { lon, lat, ...r } of rows) {
    const a = assessIdleLand(r, asOf);
    const z = zones.get(r.zone_id)!;
    if (a.state === 'idle') {
      z.idle_area_m2 += r.area_m2;
      z.idle_count++;
    }
    if (a.state === 'at_risk') z.at_risk_count++;
    parcels.push({ ...r, centre: [lon, lat], ...a });
  }
  parcels.sort(compareUrgency);
  const zoneList = [...zones.values()].map((z) => ({ ...z, idle_ratio: idleRatio(z.idle_area_m2, z.supplied_area_m2) })).sort((a, b) => (b.idle_ratio ?? -1) - (a.idle_ratio ?? -1));
  const totals = zoneList.reduce(
    (t, z) => ({ supplied_area_m2: t.supplied_area_m2 + z.supplied_area_m2, idle_area_m2: t.idle_area_m2 + z.idle_area_m2 }),
    { supplied_area_m2: 0, idle_area_m2: 0 },
  );
  return {
    asOf,
    totals: { ...totals, idle_ratio: idleRatio(totals.idle_area_m2, totals.supplied_area_m2) },
    zones: zoneList,
    parcels,
    not_yet_supplied: notYet.map((n) => n.id),
  };
}

const COLUMNS: ExportColumn<IdleParcel>[] = [
  { header: '地块编号', value: (p) => p.code, width: 14 },
  { header: '开发区', value: (p) => p.zone_name, width: 26 },
  { header: '面积（亩）', value: (p) => Math.round((p.area_m2 / (10000 / 15)) * 100) / 100 },
  { header: '状态', value: (p) => STATE_ZH[p.state] ?? p.state },
  { header: '依据', value: (p) => (p.rule === 1 ? '第一款：约定动工满一年未动工' : p.rule === 2 ? '第二款：开发不足且停工满一年' : '') , width: 28 },
  { header: '闲置起算日', value: (p) => p.idleFrom },
  { header: '距闲置天数', value: (p) => p.daysLeft },
  { header: '已闲置天数', value: (p) => p.daysIdle },
  { header: '处置阶段', value: (p) => (p.stage ? STAGE_ZH[p.stage] : ''), width: 22 },
  { header: '闲置费（万元）', value: (p) => p.feeWan },
  { header: '供地日期', value: (p) => p.supplied_date },
  { header: '约定动工日期', value: (p) => p.agreed_start_date },
  { header: '动工日期', value: (p) => p.started_date },
  { header: '已开发比例（%）', value: (p) => (p.developedShare === null ? null : Math.round(p.developedShare * 1000) / 10) },
  { header: '已投资比例（%）', value: (p) => (p.investedShare === null ? null : Math.round(p.investedShare * 1000) / 10) },
  { header: '停工日期', value: (p) => p.work_stopped_since },
  { header: '停工天数', value: (p) => p.daysStopped },
];

export function landRouter(db: Db): Router {
  const router = Router();

  router.get('/idle', allowOnlyParams(['asOf', 'zone', 'state', 'format']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const asOf = parseAsOf(queryString(q, 'asOf'));
    const zoneText = queryString(q, 'zone');
    const zoneIds = zoneText ? await parseZoneFilter(db, zoneText) : null;
    const stateText = queryString(q, 'state');
    const states = stateText ? parseEnumList(stateText, 'state', STATES) : null;
    const format = queryString(q, 'format') ?? 'json';
    if (!['json', 'csv', 'xlsx'].includes(format)) throw badRequest('format is json, csv or xlsx.');

    const report = await idleLandReport(db, asOf, zoneIds);
    const parcels = states ? report.parcels.filter((p) => (states as string[]).includes(p.state)) : report.parcels;
    const filename = `idle-land-${asOf}`;
    if (format === 'csv') return sendCsv(res, filename, COLUMNS, parcels);
    if (format === 'xlsx') {
      const book = newWorkbook();
      addSheet(book, `闲置土地 ${asOf}`, COLUMNS, parcels);
      const zonesSheet = book.addWorksheet('开发区汇总');
      zonesSheet.columns = [
        { header: '开发区', width: 28 }, { header: '已供应面积（亩）', width: 16 }, { header: '闲置面积（亩）', width: 14 }, { header: '土地闲置率（%）', width: 14 },
        { header: '闲置宗数', width: 10 }, { header: '临近闲置宗数', width: 12 }, { header: '批而未供（亩）', width: 14 }, { header: '供而未用（亩）', width: 14 },
      ];
      const mu = (m2: number) => Math.round((m2 / (10000 / 15)) * 100) / 100;
      for (const z of report.zones) {
        zonesSheet.addRow([z.zone_name, mu(z.supplied_area_m2), mu(z.idle_area_m2), z.idle_ratio === null ? null : Math.round(z.idle_ratio * 10000) / 100, z.idle_count, z.at_risk_count, mu(z.approved_unsupplied_area_m2), mu(z.supplied_unused_area_m2)]);
      }
      zonesSheet.getRow(1).font = { bold: true };
      return sendWorkbook(res, filename, book);
    }
    res.json({ ...report, parcels });
  });

  // The parcels in a box with what the browser needs to analyse a drawn area (domain/areaAnalysis.ts).
  router.get('/parcels', allowOnlyParams(['bbox', 'asOf']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const bboxText = queryString(q, 'bbox');
    if (!bboxText) throw badRequest('bbox is required: "minLon,minLat,maxLon,maxLat".');
    const bbox = parseBbox(bboxText, 2);
    const asOf = parseAsOf(queryString(q, 'asOf'));
    const year = Number(asOf.slice(0, 4)) - 1;
    const rows = await db.query<IdleParcelRow & { land_use_code: string; completed_date: string | null; geometry: unknown; output_wan: number | null; used_m2: number | null }>(
      `SELECT p.id, p.code, p.zone_id, '' AS zone_name, p.status, p.area_m2, p.land_use_code, p.supplied_date, p.agreed_start_date, p.started_date,
         p.completed_date, p.planned_building_area_m2, p.developed_area_m2, p.agreed_investment_wan, p.invested_wan, p.work_stopped_since, p.land_price_wan,
         ST_AsGeoJSON(p.geom, 7)::json AS geometry,
         (SELECT sum(f.output_wan * u.area_m2 / t.total) FROM parcel_uses u
            JOIN enterprise_figures f ON f.enterprise_id = u.enterprise_id AND f.year = $5
            JOIN (SELECT enterprise_id, sum(area_m2) AS total FROM parcel_uses GROUP BY enterprise_id) t ON t.enterprise_id = u.enterprise_id
          WHERE u.parcel_id = p.id) AS output_wan,
         (SELECT sum(u.area_m2) FROM parcel_uses u WHERE u.parcel_id = p.id
            AND EXISTS (SELECT 1 FROM enterprise_figures f WHERE f.enterprise_id = u.enterprise_id AND f.year = $5)) AS used_m2
       FROM parcels p WHERE p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY p.id LIMIT 20001`,
      [...bbox, year],
    );
    if (rows.length > 20000) throw badRequest('More than 20,000 parcels in this box: zoom in.');
    const features = rows.map((r) => {
      const idle = assessIdleLand(r, asOf);
      return {
        type: 'Feature',
        id: r.id,
        geometry: r.geometry,
        properties: {
          id: r.id,
          land_use: r.land_use_code,
          supplied: idle.state !== 'not_supplied',
          built: r.completed_date !== null && r.completed_date <= asOf,
          idle: idle.state === 'idle',
          industrial: r.land_use_code.startsWith('1001') || r.land_use_code.startsWith('1101'),
          output_wan: r.output_wan ?? 0,
          used_m2: r.used_m2 ?? 0,
        },
      };
    });
    res.json({ type: 'FeatureCollection', asOf, year, features });
  });

  router.get('/dashboard', allowOnlyParams(['asOf', 'zone', 'year']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const asOf = parseAsOf(queryString(q, 'asOf'));
    const zoneText = queryString(q, 'zone');
    const zoneIds = zoneText ? await parseZoneFilter(db, zoneText) : null;
    const yearText = queryString(q, 'year');
    // Tax of the last complete year before the as-of date, unless a year is asked for.
    const year = yearText ? parseIntInRange(yearText, 'year', 1990, 2100) : Number(asOf.slice(0, 4)) - 1;
    res.json(await landDashboard(db, asOf, zoneIds, year));
  });

  return router;
}

/** Land use, lifecycle areas and the intensive-use indicators per zone, and for all of them together. */
export async function landDashboard(db: Db, asOf: string, zoneIds: number[] | null, year: number) {
  const unbuildable = UNBUILDABLE_LAND_USES.map((c) => `${c}%`);
  const [rows, taxes, landUse, idle] = await Promise.all([
    db.query<Record<string, number> & { zone_id: number; zone_name: string }>(sql.zoneLandTotals, [asOf, unbuildable, zoneIds]),
    db.query<{ zone_id: number; all_tax_wan: number; industrial_tax_wan: number }>(sql.zoneTax, [year, asOf]),
    db.query<{ zone_id: number; land_use: string; area_m2: number; parcel_count: number }>(sql.zoneLandUseByClass, [zoneIds]),
    idleLandReport(db, asOf, zoneIds),
  ]);
  const zones = rows.map((r) => {
    const tax = taxes.find((t) => t.zone_id === r.zone_id);
    const totals: ZoneLandTotals = {
      totalAreaM2: r.total_area_m2, unbuildableAreaM2: r.unbuildable_area_m2, readyAreaM2: r.ready_area_m2, suppliedAreaM2: r.supplied_area_m2,
      builtAreaM2: r.built_area_m2, industrialAreaM2: r.industrial_area_m2, residentialAreaM2: r.residential_area_m2, floorAreaM2: r.floor_area_m2,
      industrialFloorAreaM2: r.industrial_floor_area_m2,
      // Building footprints are not collected yet: density and coverage say so instead of guessing.
      buildingFootprintM2: null, industrialFootprintM2: null,
      industrialInvestmentWan: r.industrial_investment_wan, industrialTaxWan: tax?.industrial_tax_wan ?? 0, allTaxWan: tax?.all_tax_wan ?? 0,
      idleAreaM2: idle.zones.find((z) => z.zone_id === r.zone_id)?.idle_area_m2 ?? 0,
    };
    return {
      zone_id: r.zone_id,
      zone_name: r.zone_name,
      totals,
      steps: { reserve: r.step_reserve_m2, available: r.step_available_m2, supplied: r.step_supplied_m2, started: r.step_started_m2, built: r.step_built_m2 },
      land_use: landUse.filter((l) => l.zone_id === r.zone_id).map(({ zone_id: _z, ...l }) => l).sort((a, b) => b.area_m2 - a.area_m2),
      type: zoneType(totals),
      indicators: intensiveUseIndicators(totals),
    };
  });
  const allTotals = sumTotals(zones.map((z) => z.totals));
  const allLandUse = new Map<string, { land_use: string; area_m2: number; parcel_count: number }>();
  for (const l of landUse) {
    const e = allLandUse.get(l.land_use) ?? { land_use: l.land_use, area_m2: 0, parcel_count: 0 };
    e.area_m2 += l.area_m2;
    e.parcel_count += l.parcel_count;
    allLandUse.set(l.land_use, e);
  }
  return {
    asOf,
    taxYear: year,
    all: { totals: allTotals, type: zoneType(allTotals), indicators: intensiveUseIndicators(allTotals), land_use: [...allLandUse.values()].sort((a, b) => b.area_m2 - a.area_m2) },
    zones,
  };
}
