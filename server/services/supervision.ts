/**
 * The data behind project supervision: projects with what the rates, 三未 lists and lights need, the scope
 * (zones, a city or all), the light thresholds setting, and the reports built on domain/threeBatches.ts,
 * domain/projectSupervision.ts and domain/zoneIndicators.ts. Shared by the routes and the briefing.
 */
import { threeBatchRates, type RateBasis, type RoundEntry } from '../../domain/threeBatches.ts';
import {
  DEFAULT_LIGHT_THRESHOLDS,
  SANWEI_KINDS,
  classifySanwei,
  countLights,
  trafficLight,
  type Light,
  type LightThresholds,
  type SanweiKind,
  type SupervisedProject,
} from '../../domain/projectSupervision.ts';
import { INDICATORS, indicatorSeries, indicatorStatus, rankByGrowth, type IndicatorKey, type MonthFigure } from '../../domain/zoneIndicators.ts';
import type { Db, Queryable } from '../db/types.ts';
import { badRequest } from '../lib/http.ts';
import { DEFAULT_STAGE_LIST, type StageDef } from '../../domain/projectStages.ts';
import { loadSetting } from './settings.ts';
import { parseZoneFilter, scopeZones } from '../lib/zoneFilter.ts';

export const LIGHTS_SETTING_KEY = 'project_light_thresholds';
export const STAGES_SETTING_KEY = 'project_stages';

/** The configured stage list (domain/projectStages.ts), the default until an administrator saves one. */
export async function loadStages(db: Queryable): Promise<{ stages: StageDef[]; version: number }> {
  const { value, version } = await loadSetting(db, STAGES_SETTING_KEY, { stages: [...DEFAULT_STAGE_LIST] });
  return { stages: value.stages, version };
}

export interface Scope {
  zoneIds: number[] | null;
  /** What the report covers, for titles: a zone's name, a city, or 全部开发区. */
  label: string;
  labelEn: string;
  city: string | null;
}

/** `zone` (ids) or a place (`county`, with or without its `city`; or `city`), not zones and a place; none = all zones. */
export async function parseScope(db: Db, zoneText: string | undefined, cityText: string | undefined, countyText?: string): Promise<Scope> {
  if (zoneText && (cityText || countyText)) throw badRequest('Give either "zone" or "city"/"county", not both.');
  if (zoneText) {
    const ids = await parseZoneFilter(db, zoneText);
    const names = await db.query<{ name: string; name_en: string | null }>('SELECT name, name_en FROM zones WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
    return { zoneIds: ids, label: names.map((n) => n.name).join('、'), labelEn: names.map((n) => n.name_en ?? n.name).join(', '), city: null };
  }
  if (countyText || cityText) {
    const { zoneIds, label } = await scopeZones(db, { city: cityText, county: countyText });
    return { zoneIds, label, labelEn: label, city: cityText ?? null };
  }
  return { zoneIds: null, label: '全部开发区', labelEn: 'All zones', city: null };
}

export type ProjectRecord = SupervisedProject & { zone_name: string; city: string; industry_chain: string | null; parcel_id: number | null };

const PROJECT_COLUMNS = `pr.id, pr.name, pr.zone_id, z.name AS zone_name, z.city, pr.industry_chain, pr.is_industrial, pr.stage, pr.parcel_id,
  pr.total_investment_wan, pr.completed_investment_wan, pr.expected_annual_output_wan, pr.actual_annual_output_wan,
  pr.agreed_annual_tax_wan, pr.actual_annual_tax_wan,
  to_char(pr.planned_date, 'YYYY-MM-DD') AS planned_date, to_char(pr.signed_date, 'YYYY-MM-DD') AS signed_date,
  to_char(pr.landed_date, 'YYYY-MM-DD') AS landed_date, to_char(pr.started_date, 'YYYY-MM-DD') AS started_date,
  to_char(pr.producing_date, 'YYYY-MM-DD') AS producing_date, to_char(pr.at_capacity_date, 'YYYY-MM-DD') AS at_capacity_date,
  to_char(pr.plan_landed_date, 'YYYY-MM-DD') AS plan_landed_date, to_char(pr.plan_started_date, 'YYYY-MM-DD') AS plan_started_date,
  to_char(pr.plan_producing_date, 'YYYY-MM-DD') AS plan_producing_date, to_char(pr.plan_at_capacity_date, 'YYYY-MM-DD') AS plan_at_capacity_date,
  pr.extra_stage_dates`;

export async function loadProjects(db: Queryable, zoneIds: number[] | null, ids: number[] | null = null): Promise<ProjectRecord[]> {
  return db.query<ProjectRecord>(
    `SELECT ${PROJECT_COLUMNS} FROM projects pr JOIN zones z ON z.id = pr.zone_id
     WHERE ($1::int[] IS NULL OR pr.zone_id = ANY($1::int[])) AND ($2::int[] IS NULL OR pr.id = ANY($2::int[]))
     ORDER BY pr.id`,
    [zoneIds, ids],
  );
}

export async function loadLightThresholds(db: Queryable): Promise<{ thresholds: LightThresholds; version: number }> {
  const { value, version } = await loadSetting(db, LIGHTS_SETTING_KEY, DEFAULT_LIGHT_THRESHOLDS);
  return { thresholds: value, version };
}

export interface RoundRow {
  id: number;
  name: string;
  held_on: string;
  signed: number;
  started: number;
  producing: number;
}

export async function listRounds(db: Db, zoneIds: number[] | null): Promise<RoundRow[]> {
  return db.query<RoundRow>(
    `SELECT r.id, r.name, to_char(r.held_on, 'YYYY-MM-DD') AS held_on,
       count(*) FILTER (WHERE e.batch = 'signed')::int AS signed,
       count(*) FILTER (WHERE e.batch = 'started')::int AS started,
       count(*) FILTER (WHERE e.batch = 'producing')::int AS producing
     FROM project_rounds r
     LEFT JOIN project_round_entries e ON e.round_id = r.id
       AND ($1::int[] IS NULL OR e.project_id IN (SELECT id FROM projects WHERE zone_id = ANY($1::int[])))
     GROUP BY r.id ORDER BY r.held_on, r.id`,
    [zoneIds],
  );
}

/** A project as the lists show it. */
function projectRef(p: ProjectRecord) {
  return {
    id: p.id,
    name: p.name,
    zone_id: p.zone_id,
    zone_name: p.zone_name,
    stage: p.stage,
    is_industrial: p.is_industrial,
    total_investment_wan: p.total_investment_wan,
    completed_investment_wan: p.completed_investment_wan,
    signed_date: p.signed_date,
    landed_date: p.landed_date,
    started_date: p.started_date,
    producing_date: p.producing_date,
    at_capacity_date: p.at_capacity_date,
  };
}

/** 三个一批 rates for the rounds in the scope, with the projects behind each number. */
/**
 * The rounds counted when none are chosen, on /projects and in the briefing alike: every round held on or
 * before the as-of date. The rates follow each batch up cumulatively (a project signed two rounds ago and
 * not yet started still counts against 签约项目开工率); the latest round alone reads 0 % right after its
 * meeting, since its projects were only just signed.
 */
export async function roundsHeldBy(db: Queryable, asOf: string): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT id FROM project_rounds WHERE held_on <= $1::date ORDER BY held_on, id', [asOf]);
  return rows.map((r) => r.id);
}

export async function ratesReport(db: Db, roundIds: number[], scope: Scope, basis: RateBasis, asOf: string) {
  const rounds = await db.query<{ id: number; name: string; held_on: string }>(
    "SELECT id, name, to_char(held_on, 'YYYY-MM-DD') AS held_on FROM project_rounds WHERE id = ANY($1::int[]) ORDER BY held_on, id",
    [roundIds],
  );
  const missing = roundIds.filter((id) => !rounds.some((r) => r.id === id));
  if (missing.length) throw badRequest(`Unknown round ${missing.join(', ')}: see GET /api/supervision/rounds.`);
  const entries = await db.query<RoundEntry>(
    `SELECT e.round_id, e.project_id, e.batch FROM project_round_entries e JOIN projects pr ON pr.id = e.project_id
     WHERE e.round_id = ANY($1::int[]) AND ($2::int[] IS NULL OR pr.zone_id = ANY($2::int[]))`,
    [roundIds, scope.zoneIds],
  );
  const [projects, { stages }] = await Promise.all([loadProjects(db, scope.zoneIds, [...new Set(entries.map((e) => e.project_id))]), loadStages(db)]);
  const report = threeBatchRates(projects, entries, basis, asOf, stages);
  return {
    ...report,
    scope: { zone_ids: scope.zoneIds, city: scope.city, label: scope.label, label_en: scope.labelEn },
    rounds,
    projects: projects.map(projectRef),
  };
}

export type SanweiRow = ReturnType<typeof projectRef> & {
  kind: SanweiKind;
  since: string;
  days: number;
  output_share: number | null;
  tax_share: number | null;
  expected_annual_output_wan: number | null;
  actual_annual_output_wan: number | null;
  agreed_annual_tax_wan: number | null;
  actual_annual_tax_wan: number | null;
};

/** The 三未 projects of the scope as of a date, longest stuck first within each list, with per-zone counts. */
export async function sanweiReport(db: Db, scope: Scope, asOf: string, kinds: SanweiKind[] | null) {
  const [projects, { stages }] = await Promise.all([loadProjects(db, scope.zoneIds), loadStages(db)]);
  const rows: SanweiRow[] = [];
  for (const p of projects) {
    const s = classifySanwei(p, asOf, stages);
    if (!s || (kinds && !kinds.includes(s.kind))) continue;
    rows.push({
      ...projectRef(p),
      kind: s.kind,
      since: s.since,
      days: s.days,
      output_share: s.outputShare,
      tax_share: s.taxShare,
      expected_annual_output_wan: p.expected_annual_output_wan ?? null,
      actual_annual_output_wan: p.actual_annual_output_wan ?? null,
      agreed_annual_tax_wan: p.agreed_annual_tax_wan ?? null,
      actual_annual_tax_wan: p.actual_annual_tax_wan ?? null,
    });
  }
  const order = SANWEI_KINDS.map((k) => k.key) as string[];
  rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.days - a.days || a.id - b.id);
  const zones = new Map<
    number,
    { zone_id: number; zone_name: string; signed_not_landed: number; landed_not_producing: number; producing_not_effective: number }
  >();
  for (const r of rows) {
    const z = zones.get(r.zone_id) ?? { zone_id: r.zone_id, zone_name: r.zone_name, signed_not_landed: 0, landed_not_producing: 0, producing_not_effective: 0 };
    z[r.kind]++;
    zones.set(r.zone_id, z);
  }
  return {
    asOf,
    scope: { zone_ids: scope.zoneIds, city: scope.city, label: scope.label },
    projects: rows,
    zones: [...zones.values()].sort((a, b) => a.zone_id - b.zone_id),
  };
}

/** Every project's light as of a date, with counts per zone and in all. */
export async function lightsReport(db: Db, scope: Scope, asOf: string, lights: Light[] | null) {
  const [{ thresholds }, projects, { stages }] = await Promise.all([loadLightThresholds(db), loadProjects(db, scope.zoneIds), loadStages(db)]);
  const judged = projects.map((p) => ({ p, l: trafficLight(p, asOf, thresholds, stages) }));
  const zones = new Map<number, { zone_id: number; zone_name: string; counts: Record<Light, number> }>();
  for (const { p, l } of judged) {
    const z = zones.get(p.zone_id) ?? { zone_id: p.zone_id, zone_name: p.zone_name, counts: countLights([]) };
    z.counts[l.light]++;
    zones.set(p.zone_id, z);
  }
  const severity: Record<Light, number> = { red: 0, yellow: 1, green: 2, none: 3 };
  const list = judged
    .filter(({ l }) => !lights || lights.includes(l.light))
    .sort((a, b) => severity[a.l.light] - severity[b.l.light] || b.l.daysLate - a.l.daysLate || a.p.id - b.p.id)
    .map(({ p, l }) => ({ ...projectRef(p), light: l.light, due_stage: l.dueStage, due_date: l.dueDate, days_late: l.daysLate }));
  return {
    asOf,
    thresholds,
    counts: countLights(judged.map((j) => j.l.light)),
    zones: [...zones.values()].sort((a, b) => a.zone_id - b.zone_id),
    projects: list,
  };
}

/** The monthly figures of the zones for a year and the one before, and their growth targets. */
export async function loadFigures(db: Db, zoneIds: number[] | null, year: number) {
  const rows = await db.query<{ zone_id: number; month: string; industrial_value_added_wan: number | null; industrial_investment_wan: number | null }>(
    `SELECT zone_id, to_char(month, 'YYYY-MM') AS month, industrial_value_added_wan, industrial_investment_wan
     FROM zone_monthly_indicators WHERE month >= make_date($1 - 1, 1, 1) AND month < make_date($1 + 1, 1, 1)
       AND ($2::int[] IS NULL OR zone_id = ANY($2::int[])) ORDER BY zone_id, month`,
    [year, zoneIds],
  );
  const targets = await db.query<{ zone_id: number; value_added_growth_target_pct: number | null; investment_growth_target_pct: number | null }>(
    'SELECT zone_id, value_added_growth_target_pct, investment_growth_target_pct FROM zone_yearly_targets WHERE year = $1 AND ($2::int[] IS NULL OR zone_id = ANY($2::int[]))',
    [year, zoneIds],
  );
  const figuresOf = (zoneId: number, key: IndicatorKey): MonthFigure[] => {
    const column = INDICATORS.find((i) => i.key === key)!.column;
    return rows.filter((r) => r.zone_id === zoneId).map((r) => ({ month: r.month, valueWan: r[column] }));
  };
  const targetOf = (zoneId: number, key: IndicatorKey): number | null => {
    const column = INDICATORS.find((i) => i.key === key)!.targetColumn;
    return targets.find((t) => t.zone_id === zoneId)?.[column] ?? null;
  };
  return { figuresOf, targetOf };
}

/** One zone's series for the year to the month, for both indicators. */
export async function zoneIndicatorSeries(db: Db, zoneId: number, month: string) {
  const [zone] = await db.query<{ id: number; name: string; city: string }>('SELECT id, name, city FROM zones WHERE id = $1', [zoneId]);
  const year = Number(month.slice(0, 4));
  const { figuresOf, targetOf } = await loadFigures(db, [zoneId], year);
  const indicators = Object.fromEntries(
    INDICATORS.map((i) => [i.key, { target_pct: targetOf(zoneId, i.key), series: indicatorSeries(figuresOf(zoneId, i.key), month, targetOf(zoneId, i.key)) }]),
  );
  return { zone, month, indicators };
}

/** All zones of the scope with the indicator's status in the month, ranked by growth, behind-target flagged. */
export async function indicatorRanking(db: Db, scope: Scope, month: string, indicator: IndicatorKey) {
  const zones = await db.query<{ id: number; name: string; city: string }>(
    'SELECT id, name, city FROM zones WHERE ($1::int[] IS NULL OR id = ANY($1::int[])) ORDER BY id',
    [scope.zoneIds],
  );
  const { figuresOf, targetOf } = await loadFigures(db, scope.zoneIds, Number(month.slice(0, 4)));
  const ranked = rankByGrowth(
    zones.map((z) => ({ zone_id: z.id, name: z.name, city: z.city, status: indicatorStatus(figuresOf(z.id, indicator), month, targetOf(z.id, indicator)) })),
  );
  return {
    month,
    indicator,
    scope: { zone_ids: scope.zoneIds, city: scope.city, label: scope.label },
    zones: ranked,
    warnings: ranked.filter((z) => z.status.warning).length,
  };
}
