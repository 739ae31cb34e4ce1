/**
 * 开发区考核 on the server: the scheme's versions (each save adds one, recorded in the audit log), the app's
 * own figures for the month (read through the services that already compute them), targets and manual
 * values (edited one by one or imported all or nothing), and the results for a city's zones or for the
 * province with its cities. The scoring is domain/evaluation.ts.
 */
import {
  APP_MEASURES,
  DEFAULT_EVALUATION_SCHEME,
  checkEvaluationScheme,
  evaluateUnits,
  indicatorRows,
  isAppMeasure,
  monthsOfYearTo,
  sumUnits,
  type AppMeasure,
  type EvaluatedUnit,
  type EvaluationScheme,
  type IndicatorInput,
  type ScoringRule,
  type UnitResult,
  type ZoneType,
} from '../../domain/evaluation.ts';
import { indicatorStatus } from '../../domain/zoneIndicators.ts';
import { threeBatchRates, type RoundEntry } from '../../domain/threeBatches.ts';
import { lastDayOfMonth, previousMonth } from '../../domain/dates.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import type { Actor } from '../../domain/permissions.ts';
import { can } from '../../domain/permissions.ts';
import { recordAudit, snapshot } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { idleLandReport } from '../routes/land.ts';
import { zoneOutputPerMu } from '../routes/mujun.ts';
import { loadFigures, loadProjects, loadStages } from './supervision.ts';

// ---------------------------------------------------------------------------------------------------
// The scheme and its versions

interface SchemeRow {
  id: number;
  version: number;
  name: string;
  basis: 'months' | 'days';
  note: string | null;
  created_by_name: string | null;
  created_at: string;
}

interface IndicatorRow {
  key: string;
  name_zh: string;
  name_en: string;
  unit: string;
  source: 'app' | 'manual';
  kind: 'flow' | 'stock';
  direction: 'higher' | 'lower';
  weight_industrial: number;
  weight_other: number;
  rule_type: ScoringRule['type'];
  rule_params: Record<string, unknown>;
}

async function schemeOfRow(db: Queryable, row: SchemeRow): Promise<EvaluationScheme> {
  const [indicators, thresholds] = await Promise.all([
    db.query<IndicatorRow>('SELECT * FROM evaluation_indicators WHERE scheme_id = $1 ORDER BY sort_order, key', [row.id]),
    db.query<{ class: 'first' | 'good' | 'fair'; min_score: number }>('SELECT class, min_score FROM evaluation_class_thresholds WHERE scheme_id = $1', [
      row.id,
    ]),
  ]);
  const t = Object.fromEntries(thresholds.map((x) => [x.class, x.min_score])) as EvaluationScheme['thresholds'];
  return {
    name: row.name,
    basis: row.basis,
    indicators: indicators.map((i) => ({
      key: i.key,
      name_zh: i.name_zh,
      name_en: i.name_en,
      unit: i.unit,
      source: i.source,
      kind: i.kind,
      direction: i.direction,
      weights: { industrial: i.weight_industrial, other: i.weight_other },
      rule: { type: i.rule_type, ...i.rule_params } as ScoringRule,
    })),
    thresholds: { first: t.first, good: t.good, fair: t.fair },
  };
}

const SCHEME_COLUMNS = `s.id, s.version, s.name, s.basis, s.note, u.display_name AS created_by_name, to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at`;

/** The scheme in force (the latest version), or the documented default as version 0; or one version asked for. */
export async function loadEvaluationScheme(db: Queryable, version?: number): Promise<{ scheme: EvaluationScheme; version: number }> {
  const [row] = await db.query<SchemeRow>(
    `SELECT ${SCHEME_COLUMNS} FROM evaluation_schemes s LEFT JOIN users u ON u.id = s.created_by
     WHERE ($1::int IS NULL OR s.version = $1) ORDER BY s.version DESC LIMIT 1`,
    [version ?? null],
  );
  if (!row) {
    if (version !== undefined && version !== 0) throw new HttpError(404, 'not_found', `There is no scheme version ${version}. 没有第 ${version} 版考核方案。`);
    return { scheme: DEFAULT_EVALUATION_SCHEME, version: 0 };
  }
  return { scheme: await schemeOfRow(db, row), version: row.version };
}

export async function listSchemeVersions(db: Queryable) {
  const rows = await db.query<SchemeRow>(`SELECT ${SCHEME_COLUMNS} FROM evaluation_schemes s LEFT JOIN users u ON u.id = s.created_by ORDER BY s.version DESC`);
  return rows.map((r) => ({ version: r.version, name: r.name, note: r.note, created_by: r.created_by_name, created_at: r.created_at }));
}

/** Refuses a scheme whose fields do not fit together (weights not summing to 100, thresholds not falling, unknown app figures). */
export function checkedScheme(scheme: EvaluationScheme): EvaluationScheme {
  const problems = checkEvaluationScheme(scheme);
  if (problems.length)
    throw badRequest(`The scheme cannot be used: ${problems.map((p) => p.en).join(' ')}`, {
      problems,
      message_zh: `考核方案不能使用：${problems.map((p) => p.zh).join('')}`,
    });
  return scheme;
}

/** Inserts a scheme as a version (no checks, no audit): the demo seed and saveEvaluationScheme use it. */
export async function insertSchemeVersion(
  tx: Queryable,
  scheme: EvaluationScheme,
  version: number,
  actorId: number | null,
  note: string | null,
): Promise<number> {
  const [{ id }] = await tx.query<{ id: number }>(
    'INSERT INTO evaluation_schemes (version, name, basis, note, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [version, scheme.name, scheme.basis, note, actorId],
  );
  await tx.query(
    `INSERT INTO evaluation_indicators (scheme_id, key, sort_order, name_zh, name_en, unit, source, kind, direction, weight_industrial, weight_other, rule_type, rule_params)
     SELECT $1, r.key, r.sort_order, r.name_zh, r.name_en, r.unit, r.source, r.kind, r.direction, r.weight_industrial, r.weight_other, r.rule_type, r.rule_params
     FROM json_to_recordset($2::json) AS r(key text, sort_order int, name_zh text, name_en text, unit text, source text, kind text, direction text,
       weight_industrial double precision, weight_other double precision, rule_type text, rule_params jsonb)`,
    [id, JSON.stringify(indicatorRows(scheme))],
  );
  await tx.query(`INSERT INTO evaluation_class_thresholds (scheme_id, class, min_score) VALUES ($1, 'first', $2), ($1, 'good', $3), ($1, 'fair', $4)`, [
    id,
    scheme.thresholds.first,
    scheme.thresholds.good,
    scheme.thresholds.fair,
  ]);
  return id;
}

/** Saves a checked scheme as the next version if the caller edited the latest one (409 otherwise), with its audit entry. */
export async function saveEvaluationScheme(db: Db, actor: Actor, scheme: EvaluationScheme, version: number, note: string | null) {
  requireAllZones(actor, 'the scheme', '考核方案');
  checkedScheme(scheme);
  return db.transaction(async (tx) => {
    // One writer at a time: the lock keeps two saves from both taking the same next version.
    await tx.query('LOCK TABLE evaluation_schemes IN EXCLUSIVE MODE');
    const [current] = await tx.query<{ id: number; version: number }>('SELECT id, version FROM evaluation_schemes ORDER BY version DESC LIMIT 1');
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== version)
      throw new HttpError(
        409,
        'conflict',
        `The scheme was changed by someone else meanwhile (version ${version} → ${currentVersion}). Reload it and apply your change again. 考核方案已被他人修改，请刷新后重新修改。`,
      );
    const before = current ? await snapshot(tx, 'evaluation_scheme', current.id) : null;
    const id = await insertSchemeVersion(tx, scheme, currentVersion + 1, actor.id, note);
    await recordAudit(tx, actor, {
      action: current ? 'update' : 'create',
      entity: 'evaluation_scheme',
      entityId: id,
      before,
      after: await snapshot(tx, 'evaluation_scheme', id),
      note: `考核方案第 ${currentVersion + 1} 版`,
    });
    return { scheme, version: currentVersion + 1 };
  });
}

// ---------------------------------------------------------------------------------------------------
// The figures of a month

interface ZoneRow {
  id: number;
  name: string;
  name_en: string | null;
  city: string;
  type: ZoneType;
}

export async function zonesOf(db: Queryable, city: string | null): Promise<ZoneRow[]> {
  return db.query<ZoneRow>(
    `SELECT z.id, z.name, z.name_en, z.city, coalesce(t.zone_type, 'industrial') AS type FROM zones z LEFT JOIN evaluation_zone_types t ON t.zone_id = z.id
     WHERE ($1::text IS NULL OR z.city = $1) ORDER BY z.id`,
    [city],
  );
}

const ratio = (numerator: number | null, denominator: number | null, scale: number): IndicatorInput => ({
  value: numerator === null || !denominator ? null : (numerator / denominator) * scale,
  numerator,
  denominator,
  scale,
  target: null,
});

/**
 * Every app figure for each zone as of the month's end, through the services that compute them: monthly
 * value added and investment (domain/zoneIndicators.ts), 三个一批 rates of the year's rounds
 * (domain/threeBatches.ts), idle land (domain/idleLand.ts via the land report), 亩均 tax and output of the
 * year before (the year's enterprise figures come after it ends), 标准地 supplied in the year, factory use,
 * leads signed in the year.
 */
async function appFigures(db: Db, zones: ZoneRow[], month: string, needed: Set<AppMeasure>): Promise<Map<number, Partial<Record<AppMeasure, IndicatorInput>>>> {
  const ids = zones.map((z) => z.id);
  const year = Number(month.slice(0, 4));
  const asOf = lastDayOfMonth(month);
  const yearStart = `${year}-01-01`;
  const out = new Map<number, Partial<Record<AppMeasure, IndicatorInput>>>(ids.map((id) => [id, {}]));
  const set = (zoneId: number, key: AppMeasure, input: IndicatorInput) => {
    if (needed.has(key)) out.get(zoneId)![key] = input;
  };
  const has = (...keys: AppMeasure[]) => keys.some((k) => needed.has(k));
  const tasks: Promise<void>[] = [];

  if (has('value_added_growth', 'value_added_completion', 'investment_growth', 'investment_completion'))
    tasks.push(
      loadFigures(db, ids, year).then(({ figuresOf, targetOf }) => {
        const yearMonths = monthsOfYearTo(month);
        for (const id of ids)
          for (const [indicator, growthKey, completionKey] of [
            ['value_added', 'value_added_growth', 'value_added_completion'],
            ['investment', 'investment_growth', 'investment_completion'],
          ] as const) {
            const figures = figuresOf(id, indicator);
            const status = indicatorStatus(figures, month, targetOf(id, indicator));
            const growth = status.cumulativeWan === null || status.previousCumulativeWan === null ? null : status.cumulativeWan - status.previousCumulativeWan;
            set(id, growthKey, { ...ratio(growth, status.previousCumulativeWan, 100), target: status.targetPct });
            const monthly: Record<string, number | null> = {};
            for (const f of figures) if (yearMonths.includes(f.month)) monthly[f.month] = f.valueWan;
            set(id, completionKey, { value: null, monthly, target: null });
          }
      }),
    );

  if (has('start_rate', 'produce_rate', 'capacity_rate'))
    tasks.push(
      (async () => {
        const entries = await db.query<RoundEntry & { zone_id: number }>(
          `SELECT e.round_id, e.project_id, e.batch, pr.zone_id FROM project_round_entries e JOIN project_rounds r ON r.id = e.round_id
           JOIN projects pr ON pr.id = e.project_id WHERE r.held_on BETWEEN $1::date AND $2::date AND pr.zone_id = ANY($3::int[])`,
          [yearStart, asOf, ids],
        );
        const [projects, { stages }] = await Promise.all([loadProjects(db, ids, [...new Set(entries.map((e) => e.project_id))]), loadStages(db)]);
        for (const id of ids) {
          const rates = threeBatchRates(
            projects.filter((p) => p.zone_id === id),
            entries.filter((e) => e.zone_id === id),
            'investment',
            asOf,
            stages,
          );
          set(id, 'start_rate', ratio(rates.start.numerator, rates.start.denominator, 100));
          set(id, 'produce_rate', ratio(rates.produce.numerator, rates.produce.denominator, 100));
          set(id, 'capacity_rate', ratio(rates.capacity.numerator, rates.capacity.denominator, 100));
        }
      })(),
    );

  if (has('idle_ratio'))
    tasks.push(
      idleLandReport(db, asOf, ids).then((report) => {
        for (const id of ids) {
          const z = report.zones.find((r) => r.zone_id === id);
          set(id, 'idle_ratio', ratio(z ? z.idle_area_m2 : null, z ? z.supplied_area_m2 : null, 100));
        }
      }),
    );

  if (has('tax_per_mu', 'output_per_mu'))
    tasks.push(
      zoneOutputPerMu(db, year - 1, ids).then((rows) => {
        for (const id of ids) {
          const r = (rows as { zone_id: number; output_wan: number | null; tax_wan: number | null; land_mu: number }[]).find((x) => x.zone_id === id);
          set(id, 'tax_per_mu', ratio(r?.tax_wan ?? null, r?.land_mu ?? null, 1));
          set(id, 'output_per_mu', ratio(r?.output_wan ?? null, r?.land_mu ?? null, 1));
        }
      }),
    );

  if (has('standard_land_mu', 'factory_use_rate', 'leads_signed'))
    tasks.push(
      db
        .query<{ zone_id: number; standard_m2: number; floor_m2: number | null; leased_m2: number | null; leads: number }>(
          `SELECT z.id AS zone_id,
             coalesce((SELECT sum(p.area_m2) FROM parcels p WHERE p.zone_id = z.id AND p.is_standard_land AND p.supplied_date BETWEEN $2::date AND $3::date), 0) AS standard_m2,
             (SELECT sum(f.floor_area_m2) FROM factory_buildings f WHERE f.zone_id = z.id) AS floor_m2,
             (SELECT sum(f.leased_area_m2) FROM factory_buildings f WHERE f.zone_id = z.id) AS leased_m2,
             (SELECT count(*)::int FROM leads l WHERE l.zone_id = z.id AND l.stage = 'signed' AND l.signed_date BETWEEN $2::date AND $3::date) AS leads
           FROM zones z WHERE z.id = ANY($1::int[])`,
          [ids, yearStart, asOf],
        )
        .then((rows) => {
          for (const r of rows) {
            set(r.zone_id, 'standard_land_mu', { value: areaMuFromSquareMetres(r.standard_m2), target: null });
            set(r.zone_id, 'factory_use_rate', ratio(r.leased_m2, r.floor_m2, 100));
            set(r.zone_id, 'leads_signed', { value: r.leads, target: null });
          }
        }),
    );
  await Promise.all(tasks);
  return out;
}

/** The evaluation units (zones) of a month: app figures, manual values and targets per indicator of the scheme. */
async function zoneUnits(db: Db, zones: ZoneRow[], scheme: EvaluationScheme, month: string): Promise<EvaluatedUnit[]> {
  const ids = zones.map((z) => z.id);
  const year = Number(month.slice(0, 4));
  const needed = new Set(scheme.indicators.filter((i) => i.source === 'app' && isAppMeasure(i.key)).map((i) => i.key as AppMeasure));
  const [app, targets, manual] = await Promise.all([
    appFigures(db, zones, month, needed),
    db.query<{ zone_id: number; indicator_key: string; target: number }>(
      'SELECT zone_id, indicator_key, target FROM evaluation_targets WHERE year = $1 AND zone_id = ANY($2::int[])',
      [year, ids],
    ),
    db.query<{ zone_id: number; indicator_key: string; month: string; value: number }>(
      `SELECT zone_id, indicator_key, to_char(month, 'YYYY-MM') AS month, value FROM evaluation_manual_values
       WHERE month BETWEEN make_date($1, 1, 1) AND $2::date AND zone_id = ANY($3::int[]) ORDER BY month`,
      [year, `${month}-01`, ids],
    ),
  ]);
  return zones.map((z) => {
    const inputs: Record<string, IndicatorInput> = {};
    for (const ind of scheme.indicators) {
      const target = targets.find((t) => t.zone_id === z.id && t.indicator_key === ind.key)?.target;
      let input: IndicatorInput;
      if (ind.source === 'app') input = app.get(z.id)?.[ind.key as AppMeasure] ?? { value: null, target: null };
      else {
        const mine = manual.filter((m) => m.zone_id === z.id && m.indicator_key === ind.key);
        // A manual flow: its months summed (a month without a value is missing); a stock: its latest value of the year.
        input =
          ind.kind === 'flow'
            ? { value: null, monthly: Object.fromEntries(mine.map((m) => [m.month, m.value])), target: null }
            : { value: mine.length ? mine[mine.length - 1].value : null, target: null };
      }
      // The growth figures keep the yearly growth targets set with the monthly indicators unless the evaluation sets its own.
      inputs[ind.key] = { ...input, target: target ?? input.target };
    }
    return { id: String(z.id), type: z.type, inputs };
  });
}

export type EvaluationResults = Awaited<ReturnType<typeof evaluationResults>>;

const cityUnitId = (city: string) => `city:${city}`;

function presentIndicators(scheme: EvaluationScheme) {
  return scheme.indicators.map((i) => ({
    key: i.key,
    name_zh: i.name_zh,
    name_en: i.name_en,
    unit: i.unit,
    source: i.source,
    kind: i.kind,
    direction: i.direction,
    weights: i.weights,
  }));
}

async function scoredMonth(
  db: Db,
  zones: ZoneRow[],
  scheme: EvaluationScheme,
  month: string,
  previousRanks?: { zones: Map<string, number>; cities: Map<string, number> },
) {
  const units = await zoneUnits(db, zones, scheme, month);
  const zoneResults = evaluateUnits(units, scheme, month, previousRanks?.zones);
  const cities = [...new Set(zones.map((z) => z.city))];
  const cityUnits = cities.map((c) =>
    sumUnits(
      cityUnitId(c),
      'industrial',
      units.filter((u) => zones.find((z) => String(z.id) === u.id)!.city === c),
      scheme,
      month,
    ),
  );
  const cityResults = evaluateUnits(cityUnits, scheme, month, previousRanks?.cities);
  return { zoneResults, cityResults, cityUnits };
}

const ranksOf = (results: UnitResult[]) => new Map(results.map((r) => [r.id, r.rank]));

/**
 * The results of a month: with a city, its zones ranked among themselves; without, every zone of the province
 * ranked and the cities ranked by their zones summed. Movement compares with the previous month's ranking
 * under the same scheme.
 */
export async function evaluationResults(db: Db, scheme: EvaluationScheme, month: string, city: string | null, schemeVersion: number | null) {
  const zones = await zonesOf(db, city);
  if (city && zones.length === 0) {
    const known = await db.query<{ city: string }>('SELECT DISTINCT city FROM zones ORDER BY city');
    throw badRequest(`Unknown city "${city.slice(0, 40)}". Cities with zones: ${known.map((c) => c.city).join(', ')}. 没有该市的开发区。`);
  }
  const previous = await scoredMonth(db, zones, scheme, previousMonth(month));
  const now = await scoredMonth(db, zones, scheme, month, { zones: ranksOf(previous.zoneResults), cities: ranksOf(previous.cityResults) });
  const zoneById = new Map(zones.map((z) => [String(z.id), z]));
  const allCities = await db.query<{ city: string }>('SELECT DISTINCT city FROM zones ORDER BY city');
  return {
    month,
    year: Number(month.slice(0, 4)),
    city,
    city_list: allCities.map((c) => c.city),
    scheme_version: schemeVersion,
    scheme_name: scheme.name,
    basis: scheme.basis,
    thresholds: scheme.thresholds,
    indicators: presentIndicators(scheme),
    zones: now.zoneResults.map((r) => {
      const z = zoneById.get(r.id)!;
      return { zone_id: z.id, name: z.name, name_en: z.name_en, city: z.city, ...withoutId(r) };
    }),
    cities: city
      ? []
      : now.cityResults.map((r) => ({ city: r.id.slice(5), zone_count: zones.filter((z) => cityUnitId(z.city) === r.id).length, ...withoutId(r) })),
  };
}

function withoutId({ id: _id, ...rest }: UnitResult) {
  return { ...rest, details: true };
}

/**
 * What a zone-limited account sees of the results: its own zones in full; other zones and the cities as the
 * published 通报 shows them (rank, total, class, movement, warning and the indicators behind with their gaps),
 * without the per-indicator values, targets and scores (indicators and missing empty, details false).
 */
export function resultsFor<
  R extends { zones: { zone_id: number; indicators: unknown[]; missing: string[] }[]; cities: { indicators: unknown[]; missing: string[] }[] },
>(results: R, actor: Actor): R {
  if (actor.zone_ids === null) return results;
  const own = new Set(actor.zone_ids);
  const bare = <U extends { indicators: unknown[]; missing: string[] }>(u: U): U => ({ ...u, indicators: [], missing: [], details: false });
  return { ...results, zones: results.zones.map((z) => (own.has(z.zone_id) ? z : bare(z))), cities: results.cities.map(bare) };
}

/** A zone-limited account's own rows only (targets and manual values are details). */
export function ownRows<T extends { zone_id: number }>(rows: T[], actor: Actor): T[] {
  return actor.zone_ids === null ? rows : rows.filter((r) => actor.zone_ids!.includes(r.zone_id));
}

// ---------------------------------------------------------------------------------------------------
// Zone types (工业类 / 其他类): which weights a zone is scored with

function requireAllZones(actor: Actor, what: string, whatZh: string): void {
  if (actor.zone_ids !== null)
    throw new HttpError(
      403,
      'forbidden',
      `Only an account for every zone may change ${what}: it moves every zone's ranking. 只有不限开发区的账号才能修改${whatZh}（影响所有开发区的排名）。`,
    );
}

export async function listZoneTypes(db: Queryable) {
  return db.query<{ zone_id: number; name: string; city: string; zone_type: ZoneType }>(
    `SELECT z.id AS zone_id, z.name, z.city, coalesce(t.zone_type, 'industrial') AS zone_type FROM zones z LEFT JOIN evaluation_zone_types t ON t.zone_id = z.id
     ORDER BY z.city, z.name`,
  );
}

export async function setZoneType(db: Db, actor: Actor, zoneId: number, zoneType: ZoneType) {
  requireAllZones(actor, 'a zone type', '开发区类型');
  return db.transaction(async (tx) => {
    const before = await snapshot(tx, 'evaluation_zone_type', zoneId);
    if (!before) throw notFound(`没有编号为 ${zoneId} 的开发区。 No zone ${zoneId}.`);
    await tx.query(
      `INSERT INTO evaluation_zone_types (zone_id, zone_type) VALUES ($1, $2) ON CONFLICT (zone_id) DO UPDATE SET zone_type = EXCLUDED.zone_type`,
      [zoneId, zoneType],
    );
    const after = await snapshot(tx, 'evaluation_zone_type', zoneId);
    if (before.zone_type !== zoneType) await recordAudit(tx, actor, { action: 'update', entity: 'evaluation_zone_type', entityId: zoneId, before, after });
    return { zone_id: zoneId, zone_type: zoneType };
  });
}

// ---------------------------------------------------------------------------------------------------
// Targets and manual values

export interface TargetInput {
  zone_id: number;
  year: number;
  indicator_key: string;
  target: number;
}
export interface ValueInput {
  zone_id: number;
  month: string;
  indicator_key: string;
  value: number;
}

export async function listTargets(db: Queryable, year: number, city: string | null) {
  return db.query<{ zone_id: number }>(
    `SELECT t.zone_id, z.name AS zone_name, z.city, t.year, t.indicator_key, t.target, t.version FROM evaluation_targets t JOIN zones z ON z.id = t.zone_id
     WHERE t.year = $1 AND ($2::text IS NULL OR z.city = $2) ORDER BY t.zone_id, t.indicator_key`,
    [year, city],
  );
}

export async function listValues(db: Queryable, month: string, city: string | null) {
  return db.query<{ zone_id: number }>(
    `SELECT v.zone_id, z.name AS zone_name, z.city, to_char(v.month, 'YYYY-MM') AS month, v.indicator_key, v.value, v.version FROM evaluation_manual_values v
     JOIN zones z ON z.id = v.zone_id WHERE v.month = $1::date AND ($2::text IS NULL OR z.city = $2) ORDER BY v.zone_id, v.indicator_key`,
    [`${month}-01`, city],
  );
}

/** Row problems of targets or values against the scheme in force and the actor's zones: an unknown zone or indicator, a zone not theirs, a manual-only value for an app figure. */
async function rowProblems(db: Queryable, actor: Actor, rows: { zone_id: number; indicator_key: string }[], kind: 'target' | 'value'): Promise<string[]> {
  const { scheme } = await loadEvaluationScheme(db);
  const known = new Set(
    (await db.query<{ id: number }>('SELECT id FROM zones WHERE id = ANY($1::int[])', [[...new Set(rows.map((r) => r.zone_id))]])).map((z) => z.id),
  );
  const problems: string[] = [];
  rows.forEach((r, i) => {
    const at = rows.length > 1 ? `Row ${i + 1}: ` : '';
    const ind = scheme.indicators.find((x) => x.key === r.indicator_key);
    if (!known.has(r.zone_id)) problems.push(`${at}unknown zone ${r.zone_id} (开发区不存在).`);
    else if (!can(actor, 'evaluation.edit', r.zone_id)) problems.push(`${at}zone ${r.zone_id} is not one of yours (无权修改该开发区).`);
    if (!ind)
      problems.push(`${at}the scheme has no indicator "${r.indicator_key}" (方案中无此指标). Known: ${scheme.indicators.map((x) => x.key).join(', ')}.`);
    else if (kind === 'value' && ind.source !== 'manual')
      problems.push(`${at}"${r.indicator_key}" is computed by the app, not entered (系统计算指标不能手工填报).`);
  });
  return problems;
}

function refuse(problems: string[]): never {
  throw badRequest(`Nothing was saved: ${problems.slice(0, 20).join(' ')}`, { problems, message_zh: `未保存：${problems.slice(0, 20).join(' ')}` });
}

/** Saves targets (one or an imported sheet) all or nothing, each change audited. */
export async function saveTargets(db: Db, actor: Actor, rows: TargetInput[], action: 'update' | 'import') {
  return db.transaction(async (tx) => {
    const problems = await rowProblems(tx, actor, rows, 'target');
    if (problems.length) refuse(problems);
    for (const r of rows) {
      const [before] = await tx.query<{ target: number; version: number }>(
        'SELECT target, version FROM evaluation_targets WHERE zone_id = $1 AND year = $2 AND indicator_key = $3 FOR UPDATE',
        [r.zone_id, r.year, r.indicator_key],
      );
      const [after] = await tx.query<{ version: number }>(
        `INSERT INTO evaluation_targets (zone_id, year, indicator_key, target, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (zone_id, year, indicator_key) DO UPDATE SET target = EXCLUDED.target, version = evaluation_targets.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING version`,
        [r.zone_id, r.year, r.indicator_key, r.target, actor.id],
      );
      await recordAudit(tx, actor, {
        action: before ? action : action === 'import' ? 'import' : 'create',
        entity: 'evaluation_target',
        entityId: r.zone_id,
        before: before ? { ...r, target: before.target, version: before.version } : null,
        after: { ...r, version: after.version },
        note: `${r.year} ${r.indicator_key}`,
      });
    }
    return { saved: rows.length };
  });
}

/** Saves manual values all or nothing, each change audited. */
export async function saveValues(db: Db, actor: Actor, rows: ValueInput[], action: 'update' | 'import') {
  return db.transaction(async (tx) => {
    const problems = await rowProblems(tx, actor, rows, 'value');
    if (problems.length) refuse(problems);
    for (const r of rows) {
      const [before] = await tx.query<{ value: number; version: number }>(
        'SELECT value, version FROM evaluation_manual_values WHERE zone_id = $1 AND month = $2::date AND indicator_key = $3 FOR UPDATE',
        [r.zone_id, `${r.month}-01`, r.indicator_key],
      );
      const [after] = await tx.query<{ version: number }>(
        `INSERT INTO evaluation_manual_values (zone_id, month, indicator_key, value, updated_by) VALUES ($1, $2::date, $3, $4, $5)
         ON CONFLICT (zone_id, month, indicator_key) DO UPDATE SET value = EXCLUDED.value, version = evaluation_manual_values.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING version`,
        [r.zone_id, `${r.month}-01`, r.indicator_key, r.value, actor.id],
      );
      await recordAudit(tx, actor, {
        action: before ? action : action === 'import' ? 'import' : 'create',
        entity: 'evaluation_value',
        entityId: r.zone_id,
        before: before ? { ...r, value: before.value, version: before.version } : null,
        after: { ...r, version: after.version },
        note: `${r.month} ${r.indicator_key}`,
      });
    }
    return { saved: rows.length };
  });
}

/** Deletes one target (audited); 404 when there is none. */
export async function deleteTarget(db: Db, actor: Actor, key: { zone_id: number; year: number; indicator_key: string }) {
  if (!can(actor, 'evaluation.edit', key.zone_id)) throw new HttpError(403, 'forbidden', `Zone ${key.zone_id} is not one of yours. 无权修改该开发区。`);
  return db.transaction(async (tx) => {
    const [before] = await tx.query<{ target: number; version: number }>(
      'DELETE FROM evaluation_targets WHERE zone_id = $1 AND year = $2 AND indicator_key = $3 RETURNING target, version',
      [key.zone_id, key.year, key.indicator_key],
    );
    if (!before) throw new HttpError(404, 'not_found', 'There is no such target. 没有该目标。');
    await recordAudit(tx, actor, {
      action: 'delete',
      entity: 'evaluation_target',
      entityId: key.zone_id,
      before: { ...key, ...before },
      after: null,
      note: `${key.year} ${key.indicator_key}`,
    });
    return { deleted: 1 };
  });
}

export { APP_MEASURES };
