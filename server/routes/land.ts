/**
 * Land utilisation: idle land by the legal rule as of a date, per parcel and per zone, with 批而未供 and
 * 供而未用 areas, as JSON, CSV or Excel. The rule itself is domain/idleLand.ts, the same code the client uses.
 */
import { Router } from 'express';
import { addSheet, newWorkbook, sendCsv, sendWorkbook, type ExportColumn } from '../lib/exports.ts';
import {
  DEFAULT_IDLE_RULE,
  SUPPLIED_OR_LATER,
  assessIdleLand,
  idleRatio,
  urgencyKey,
  latestClockStartWithin,
  type IdleAssessment,
  type IdleParcelRow,
} from '../../domain/idleLand.ts';
import type { Db } from '../db/types.ts';
import { badRequest, parseBbox } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { scopeZones } from '../lib/zoneFilter.ts';
import { exportFileName } from '../../domain/scope.ts';
import { rollUpIdle } from '../../domain/rollup.ts';
import { isValidDate } from '../../domain/parcelFields.ts';
import { UNBUILDABLE_LAND_USES, intensiveUseIndicators, sumTotals, zoneType, type ZoneLandTotals } from '../../domain/intensiveUse.ts';
import { sql } from '../db/sql/index.ts';
import { todayIso } from '../../domain/dates.ts';
import * as contract from '../contract/land.ts';

export type IdleParcel = IdleParcelRow & { centre: [number, number] } & IdleAssessment;

const LISTED_STATES = ['idle', 'at_risk', 'fine', 'no_agreed_date'] as const;
type ListedState = (typeof LISTED_STATES)[number];
const STATE_ZH: Record<string, string> = { idle: '闲置', at_risk: '临近闲置', fine: '正常', no_agreed_date: '无约定动工日期' };
const STAGE_ZH: Record<string, string> = { fee: '征缴闲置费（土地价款20%）', take_back: '可无偿收回' };

/** The asOf of the routes not yet on contracts (projects, supervision); contracts use asOfQuery (server/contract/land.ts). */
export function parseAsOf(value: string | undefined): string {
  if (!value) return todayIso();
  if (!isValidDate(value)) throw badRequest('asOf must be a date YYYY-MM-DD between 1990 and 2100.');
  return value;
}

type CandidateTuple = [
  number,
  string,
  string,
  number,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
  number | null,
  number,
  number,
  string | null,
  string | null,
  number | null,
];

export interface IdleZoneTotals {
  zone_id: number;
  zone_name: string;
  supplied_area_m2: number;
  approved_unsupplied_area_m2: number;
  supplied_unused_area_m2: number;
  idle_area_m2: number;
  idle_ratio: number | null;
  idle_count: number;
  at_risk_count: number;
}

/**
 * Idle land as of a date. One pass over the parcels (SQL) gives each zone's supplied, 批而未供 and 供而未用
 * areas and the parcels the rule could catch within the horizon; domain/idleLand.ts judges those. Every
 * other supplied parcel is either working (started, not stopped) or has its clock running past the horizon:
 * on schedule by the rule, counted in the supplied area but not listed, which keeps the report small at
 * national scale. The horizon is the at-risk window unless a longer one is asked for.
 */
export async function idleLandReport(db: Db, asOf: string, zoneIds: number[] | null, horizonDays = DEFAULT_IDLE_RULE.atRiskDays) {
  const zoneRows = await db.query<Omit<IdleZoneTotals, 'idle_area_m2' | 'idle_ratio' | 'idle_count' | 'at_risk_count'> & { candidates: string }>(
    sql.idleCandidates,
    [asOf, zoneIds, SUPPLIED_OR_LATER, latestClockStartWithin(asOf, horizonDays)],
  );
  const zones: IdleZoneTotals[] = [];
  const parcels: IdleParcel[] = [];
  const notSupplied: number[] = [];
  for (const { candidates, ...z } of zoneRows) {
    const zone: IdleZoneTotals = { ...z, idle_area_m2: 0, idle_ratio: null, idle_count: 0, at_risk_count: 0 };
    for (const t of JSON.parse(candidates) as CandidateTuple[]) {
      const [
        id,
        code,
        status,
        area_m2,
        supplied_date,
        agreed_start_date,
        started_date,
        planned_building_area_m2,
        developed_area_m2,
        agreed_investment_wan,
        invested_wan,
        work_stopped_since,
        land_price_wan,
        lon,
        lat,
        extendedStart,
        extensionSigned,
        extensionCount,
      ] = t;
      // SQL passes only the extension in force on the date (the latest signed by then) and how many were signed.
      const extensions = extendedStart && extensionSigned ? [{ start_date: extendedStart, signed_on: extensionSigned }] : [];
      const row: IdleParcelRow = {
        id,
        code,
        zone_id: z.zone_id,
        zone_name: z.zone_name,
        status,
        area_m2,
        supplied_date,
        agreed_start_date,
        started_date,
        planned_building_area_m2,
        developed_area_m2,
        agreed_investment_wan,
        invested_wan,
        work_stopped_since,
        land_price_wan,
        extensions,
        extension_count: extensionCount ?? 0,
      };
      const a = assessIdleLand(row, asOf);
      if (a.state === 'not_supplied') notSupplied.push(id);
      // Clocks running past the horizon are on schedule; the pre-selection may include a few.
      if (a.state === 'not_supplied' || (a.state === 'fine' && (a.daysLeft === null || a.daysLeft > horizonDays))) continue;
      if (a.state === 'idle') {
        zone.idle_area_m2 += area_m2;
        zone.idle_count++;
      }
      if (a.state === 'at_risk') zone.at_risk_count++;
      // Object.assign, not a spread of two objects: V8's spread of this many keys is a hundred times slower.
      parcels.push(Object.assign(row, a, { centre: [lon, lat] as [number, number] }));
    }
    zone.idle_ratio = idleRatio(zone.idle_area_m2, zone.supplied_area_m2);
    zones.push(zone);
  }
  const key = new Map(parcels.map((p) => [p, urgencyKey(p)]));
  parcels.sort((a, b) => key.get(a)! - key.get(b)! || a.id - b.id);
  zones.sort((a, b) => (b.idle_ratio ?? -1) - (a.idle_ratio ?? -1) || a.zone_id - b.zone_id);
  // The scope's figures are the zones' summed, the ratio recomputed from the sums (domain/rollup.ts).
  const all = rollUpIdle(zones);
  const totals = { supplied_area_m2: all.supplied_area_m2, idle_area_m2: all.idle_area_m2, idle_ratio: all.idle_ratio };
  return { asOf, horizonDays, totals, zones, parcels, notSupplied };
}

const COLUMNS: ExportColumn<IdleParcel>[] = [
  { header: '地块编号', value: (p) => p.code, width: 14 },
  { header: '开发区', value: (p) => p.zone_name, width: 26 },
  { header: '面积（亩）', value: (p) => Math.round((p.area_m2 / (10000 / 15)) * 100) / 100 },
  { header: '状态', value: (p) => STATE_ZH[p.state] ?? p.state },
  { header: '依据', value: (p) => (p.rule === 1 ? '第一款：约定动工满一年未动工' : p.rule === 2 ? '第二款：开发不足且停工满一年' : ''), width: 28 },
  { header: '闲置起算日', value: (p) => p.idleFrom },
  { header: '距闲置天数', value: (p) => p.daysLeft },
  { header: '已闲置天数', value: (p) => p.daysIdle },
  { header: '处置阶段', value: (p) => (p.stage ? STAGE_ZH[p.stage] : ''), width: 22 },
  { header: '闲置费（万元）', value: (p) => p.feeWan },
  { header: '供地日期', value: (p) => p.supplied_date },
  { header: '约定动工日期', value: (p) => p.agreed_start_date },
  { header: '延期后约定动工日期', value: (p) => p.extendedTo, width: 14 },
  { header: '延期次数', value: (p) => p.extension_count },
  { header: '动工日期', value: (p) => p.started_date },
  { header: '已开发比例（%）', value: (p) => (p.developedShare === null ? null : Math.round(p.developedShare * 1000) / 10) },
  { header: '已投资比例（%）', value: (p) => (p.investedShare === null ? null : Math.round(p.investedShare * 1000) / 10) },
  { header: '停工日期', value: (p) => p.work_stopped_since },
  { header: '停工天数', value: (p) => p.daysStopped },
];

export function landRouter(db: Db): Router {
  const router = Router();

  router.get(
    '/idle',
    ...route(contract.idleLand, async ({ query }, _req, res) => {
      const asOf = query.asOf ?? todayIso();
      const { zoneIds, label } = await scopeZones(db, query);
      const states: readonly string[] = query.state ?? LISTED_STATES;
      const { format = 'json', horizon = DEFAULT_IDLE_RULE.atRiskDays, limit = 1000, offset = 0 } = query;
      const report = await idleLandReport(db, asOf, zoneIds, horizon);
      const parcels = report.parcels.filter((p) => states.includes(p.state));
      const filename = exportFileName('闲置土地', label, asOf);
      if (format === 'csv') return sendCsv(res, filename, COLUMNS, parcels);
      if (format === 'xlsx') return sendWorkbook(res, filename, idleWorkbook(asOf, parcels, report.zones));
      const { parcels: all, notSupplied, ...summary } = report;
      const counts = { idle: 0, at_risk: 0, fine: 0, no_agreed_date: 0 };
      for (const p of all) counts[p.state as ListedState]++;
      return {
        ...summary,
        counts,
        // The map's colouring, compact: the tiles carry today's status, the date's states travel here.
        map: {
          idle: all.filter((p) => p.state === 'idle').map((p) => p.id),
          at_risk: all.filter((p) => p.state === 'at_risk').map((p) => [p.id, p.daysLeft!, ...p.centre] as [number, number, number, number]),
          no_agreed_date: all.filter((p) => p.state === 'no_agreed_date').map((p) => p.id),
          not_supplied: notSupplied,
        },
        total: parcels.length,
        offset,
        limit,
        parcels: parcels.slice(offset, offset + limit),
      };
    }),
  );

  // The parcels in a box with what the browser needs to analyse a drawn area (domain/areaAnalysis.ts).
  router.get(
    '/parcels',
    ...route(contract.landParcels, async ({ query }) => {
      const bbox = parseBbox(query.bbox, 2);
      const asOf = query.asOf ?? todayIso();
      const year = Number(asOf.slice(0, 4)) - 1;
      const rows = await db.query<
        Omit<IdleParcelRow, 'extension_count'> & {
          land_use_code: string;
          completed_date: string | null;
          geometry: unknown;
          output_wan: number | null;
          used_m2: number | null;
        }
      >(
        `SELECT p.id, p.code, p.zone_id, '' AS zone_name, p.status, p.area_m2, p.land_use_code, p.supplied_date, p.agreed_start_date, p.started_date,
           p.completed_date, p.planned_building_area_m2, p.developed_area_m2, p.agreed_investment_wan, p.invested_wan, p.work_stopped_since, p.land_price_wan,
           ST_AsGeoJSON(p.geom, 7)::json AS geometry,
           -- The extension of the agreed start date in force on the date (Art. 8), for the idle rule.
           (SELECT json_agg(json_build_object('start_date', e.start_date, 'signed_on', e.signed_on)) FROM parcel_start_extensions e
              WHERE e.parcel_id = p.id AND e.signed_on <= $6::date) AS extensions,
           (SELECT sum(f.output_wan * u.area_m2 / t.total) FROM parcel_uses u
              JOIN enterprise_figures f ON f.enterprise_id = u.enterprise_id AND f.year = $5
              JOIN (SELECT enterprise_id, sum(area_m2) AS total FROM parcel_uses GROUP BY enterprise_id) t ON t.enterprise_id = u.enterprise_id
            WHERE u.parcel_id = p.id) AS output_wan,
           (SELECT sum(u.area_m2) FROM parcel_uses u WHERE u.parcel_id = p.id
              AND EXISTS (SELECT 1 FROM enterprise_figures f WHERE f.enterprise_id = u.enterprise_id AND f.year = $5)) AS used_m2
         FROM parcels p WHERE p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY p.id LIMIT 20001`,
        [...bbox, year, asOf],
      );
      if (rows.length > 20000) throw badRequest('More than 20,000 parcels in this box: zoom in.');
      const features = rows.map((r) => {
        const idle = assessIdleLand(r, asOf);
        return {
          type: 'Feature' as const,
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
            area_m2: r.area_m2,
          },
        };
      });
      return { type: 'FeatureCollection' as const, asOf, year, features };
    }),
  );

  router.get(
    '/dashboard',
    ...route(contract.landDashboard, async ({ query }) => {
      const asOf = query.asOf ?? todayIso();
      const { zoneIds } = await scopeZones(db, query);
      // Tax of the last complete year before the as-of date, unless a year is asked for.
      return landDashboard(db, asOf, zoneIds, query.year ?? Number(asOf.slice(0, 4)) - 1);
    }),
  );

  return router;
}

/** The Excel export: the parcels listed, and a sheet of zone totals. */
function idleWorkbook(asOf: string, parcels: IdleParcel[], zones: IdleZoneTotals[]) {
  const book = newWorkbook();
  addSheet(book, `闲置土地 ${asOf}`, COLUMNS, parcels);
  const zonesSheet = book.addWorksheet('开发区汇总');
  zonesSheet.columns = [
    { header: '开发区', width: 28 },
    { header: '已供应面积（亩）', width: 16 },
    { header: '闲置面积（亩）', width: 14 },
    { header: '土地闲置率（%）', width: 14 },
    { header: '闲置宗数', width: 10 },
    { header: '临近闲置宗数', width: 12 },
    { header: '批而未供（亩）', width: 14 },
    { header: '供而未用（亩）', width: 14 },
  ];
  const mu = (m2: number) => Math.round((m2 / (10000 / 15)) * 100) / 100;
  for (const z of zones) {
    zonesSheet.addRow([
      z.zone_name,
      mu(z.supplied_area_m2),
      mu(z.idle_area_m2),
      z.idle_ratio === null ? null : Math.round(z.idle_ratio * 10000) / 100,
      z.idle_count,
      z.at_risk_count,
      mu(z.approved_unsupplied_area_m2),
      mu(z.supplied_unused_area_m2),
    ]);
  }
  zonesSheet.getRow(1).font = { bold: true };
  return book;
}

interface LandGroup {
  zone_id: number;
  land_use: string;
  industrial: boolean;
  unbuildable: boolean;
  parcel_count: number;
  area_m2: number;
  ready_area_m2: number;
  supplied_area_m2: number;
  built_area_m2: number;
  built_floor_area_m2: number;
  built_investment_wan: number;
  step_reserve_m2: number;
  step_available_m2: number;
  step_supplied_m2: number;
  step_started_m2: number;
}

type LandUseArea = { land_use: string; area_m2: number; parcel_count: number };

/** Adds a group's area and count to the land-use list of its class. */
function addLandUse(list: Map<string, LandUseArea>, g: LandGroup) {
  const e = list.get(g.land_use) ?? { land_use: g.land_use, area_m2: 0, parcel_count: 0 };
  e.area_m2 += g.area_m2;
  e.parcel_count += g.parcel_count;
  list.set(g.land_use, e);
}

const byArea = (list: Map<string, LandUseArea>) => [...list.values()].sort((a, b) => b.area_m2 - a.area_m2);

/** Land use, lifecycle areas and the intensive-use indicators per zone, and for all of them together. */
export async function landDashboard(db: Db, asOf: string, zoneIds: number[] | null, year: number) {
  const unbuildable = UNBUILDABLE_LAND_USES.map((c) => `${c}%`);
  const [zoneRows, groups, taxes, idle] = await Promise.all([
    db.query<{ zone_id: number; zone_name: string; area_m2: number }>(
      'SELECT id AS zone_id, name AS zone_name, area_m2 FROM zones WHERE ($1::int[] IS NULL OR id = ANY($1::int[])) ORDER BY id',
      [zoneIds],
    ),
    db.query<LandGroup>(sql.zoneLandByClass, [asOf, unbuildable, zoneIds]),
    db.query<{ zone_id: number; all_tax_wan: number; industrial_tax_wan: number }>(sql.zoneTax, [year, asOf]),
    idleLandReport(db, asOf, zoneIds),
  ]);
  const zones = zoneRows.map((z) => {
    const tax = taxes.find((t) => t.zone_id === z.zone_id);
    const mine = groups.filter((g) => g.zone_id === z.zone_id);
    const sum = (value: (g: LandGroup) => number, where: (g: LandGroup) => boolean = () => true) => mine.reduce((s, g) => (where(g) ? s + value(g) : s), 0);
    const totals: ZoneLandTotals = {
      totalAreaM2: z.area_m2,
      unbuildableAreaM2: sum(
        (g) => g.area_m2,
        (g) => g.unbuildable,
      ),
      readyAreaM2: sum(
        (g) => g.ready_area_m2,
        (g) => !g.unbuildable,
      ),
      suppliedAreaM2: sum((g) => g.supplied_area_m2),
      builtAreaM2: sum((g) => g.built_area_m2),
      industrialAreaM2: sum(
        (g) => g.built_area_m2,
        (g) => g.industrial,
      ),
      residentialAreaM2: sum(
        (g) => g.built_area_m2,
        (g) => g.land_use === '07',
      ),
      floorAreaM2: sum((g) => g.built_floor_area_m2),
      industrialFloorAreaM2: sum(
        (g) => g.built_floor_area_m2,
        (g) => g.industrial,
      ),
      // Building footprints are not collected yet: density and coverage say so instead of guessing.
      buildingFootprintM2: null,
      industrialFootprintM2: null,
      industrialInvestmentWan: sum(
        (g) => g.built_investment_wan,
        (g) => g.industrial,
      ),
      industrialTaxWan: tax?.industrial_tax_wan ?? 0,
      allTaxWan: tax?.all_tax_wan ?? 0,
      idleAreaM2: idle.zones.find((i) => i.zone_id === z.zone_id)?.idle_area_m2 ?? 0,
    };
    const landUse = new Map<string, LandUseArea>();
    for (const g of mine) addLandUse(landUse, g);
    return {
      zone_id: z.zone_id,
      zone_name: z.zone_name,
      totals,
      steps: {
        reserve: sum((g) => g.step_reserve_m2),
        available: sum((g) => g.step_available_m2),
        supplied: sum((g) => g.step_supplied_m2),
        started: sum((g) => g.step_started_m2),
        built: totals.builtAreaM2,
      },
      land_use: byArea(landUse),
      type: zoneType(totals),
      indicators: intensiveUseIndicators(totals),
    };
  });
  const allTotals = sumTotals(zones.map((z) => z.totals));
  const allLandUse = new Map<string, LandUseArea>();
  for (const g of groups) addLandUse(allLandUse, g);
  return {
    asOf,
    taxYear: year,
    all: { totals: allTotals, type: zoneType(allTotals), indicators: intensiveUseIndicators(allTotals), land_use: byArea(allLandUse) },
    zones,
  };
}
