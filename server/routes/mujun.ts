/**
 * 亩均论英雄 on the server: the saved scheme (administrators change it, recorded in the audit log), the
 * evaluation for a zone or all zones, a what-if preview with an unsaved scheme, and each zone's per-mu output.
 * The evaluation itself is domain/mujun.ts.
 */
import { Router } from 'express';
import {
  DEFAULT_MUJUN_SCHEME,
  MUJUN_INDICATORS,
  checkMujunScheme,
  evaluateMujun,
  parcelClasses,
  parcelValueClasses,
  type MujunEnterprise,
  type MujunIndicator,
  type MujunScheme,
} from '../../domain/mujun.ts';
import { loadSetting, saveSetting } from '../services/settings.ts';
import type { Db } from '../db/types.ts';
import { badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { knownZones, scopeZones } from '../lib/zoneFilter.ts';
import * as contract from '../contract/mujun.ts';

const SCHEME_KEY = 'mujun_scheme';

export async function loadScheme(db: Db): Promise<{ scheme: MujunScheme; version: number }> {
  const { value, version } = await loadSetting(db, SCHEME_KEY, DEFAULT_MUJUN_SCHEME);
  return { scheme: value, version };
}

type EnterpriseTuple = [number, string, boolean, string | null, string[] | null, ...(number | null)[]];
const FIGURES = ['output_wan', 'value_added_wan', 'tax_wan', 'energy_tce', 'emissions_t', 'rd_wan', 'revenue_wan', 'employees'] as const;

/**
 * The enterprises using land (in the zones, if given) with the figures of the scheme's year, and all the land
 * each uses. Two flat queries returned as JSON text, parsed once: tens of thousands of rows through the
 * driver, or one correlated sub-query per enterprise, cost many times more.
 */
async function enterprisesFor(db: Db, year: number, zoneIds: number[] | null): Promise<MujunEnterprise[]> {
  const [[{ list }], [{ uses }]] = await Promise.all([
    db.query<{ list: string }>(
      // Without a zone, every enterprise using land: no need to look at the parcels.
      `SELECT coalesce(json_agg(json_build_array(e.id, e.name, e.above_scale, e.founded_date, e.failed_checks,
         ${FIGURES.map((f) => `f.${f}`).join(', ')}, f.enterprise_id)), '[]')::text AS list
       FROM enterprises e
       LEFT JOIN enterprise_figures f ON f.enterprise_id = e.id AND f.year = $1
       WHERE e.id IN (SELECT u.enterprise_id FROM parcel_uses u
                      ${zoneIds ? 'JOIN parcels p ON p.id = u.parcel_id WHERE p.zone_id = ANY($2::int[])' : 'WHERE $2::int[] IS NULL'})`,
      [year, zoneIds],
    ),
    db.query<{ uses: string }>(
      `SELECT coalesce(json_agg(json_build_array(u.enterprise_id, u.parcel_id, u.role, u.area_m2)), '[]')::text AS uses FROM parcel_uses u
       WHERE $1::int[] IS NULL OR u.enterprise_id IN (SELECT u2.enterprise_id FROM parcel_uses u2 JOIN parcels p ON p.id = u2.parcel_id WHERE p.zone_id = ANY($1::int[]))`,
      [zoneIds],
    ),
  ]);
  const usesOf = new Map<number, MujunEnterprise['uses']>();
  for (const [enterpriseId, parcelId, role, area] of JSON.parse(uses) as [number, number, 'owner' | 'tenant', number][]) {
    const mine = usesOf.get(enterpriseId) ?? [];
    mine.push({ parcel_id: parcelId, role, area_m2: area });
    usesOf.set(enterpriseId, mine);
  }
  // In id order, as the ranking's ties are.
  return (JSON.parse(list) as EnterpriseTuple[])
    .sort((a, b) => a[0] - b[0])
    .map(([id, name, above_scale, founded_date, failed_checks, ...rest]) => {
      // In the order of FIGURES; the last column says whether the year's figures exist (a LEFT JOIN miss leaves every figure null).
      const [output_wan, value_added_wan, tax_wan, energy_tce, emissions_t, rd_wan, revenue_wan, employees, figuresOf] = rest;
      const figures = figuresOf === null ? null : { output_wan, value_added_wan, tax_wan, energy_tce, emissions_t, rd_wan, revenue_wan, employees };
      return { id, name, above_scale, founded_date, failed_checks: failed_checks ?? [], uses: usesOf.get(id) ?? [], figures };
    });
}

/** Zone per-mu output = Σ output ÷ Σ used industrial land (万元/亩), for the year (the evaluation reads its tax too). */
export async function zoneOutputPerMu(db: Db, year: number, zoneIds: number[] | null) {
  return db.query(
    `SELECT z.id AS zone_id, z.name AS zone_name, sum(f.output_wan * u.area_m2 / t.total) AS output_wan, sum(f.tax_wan * u.area_m2 / t.total) AS tax_wan, sum(u.area_m2) / (10000.0 / 15) AS land_mu,
       sum(f.output_wan * u.area_m2 / t.total) / nullif(sum(u.area_m2) / (10000.0 / 15), 0) AS output_per_mu
     FROM parcel_uses u
     JOIN parcels p ON p.id = u.parcel_id AND (p.land_use_code LIKE '1001%' OR p.land_use_code LIKE '1101%')
     JOIN zones z ON z.id = p.zone_id
     JOIN enterprise_figures f ON f.enterprise_id = u.enterprise_id AND f.year = $1
     JOIN (SELECT enterprise_id, sum(area_m2) AS total FROM parcel_uses GROUP BY enterprise_id) t ON t.enterprise_id = u.enterprise_id
     WHERE ($2::int[] IS NULL OR z.id = ANY($2::int[]))
     GROUP BY z.id ORDER BY output_per_mu DESC NULLS LAST`,
    [year, zoneIds],
  );
}

export const MUJUN_QUANTILE_CLASSES = 5;

interface Listing {
  /** Rows of the ranking (and of the unrated) to return, from `offset`. */
  limit: number;
  offset: number;
  /** An indicator to map in quantile classes, if any. */
  measure: MujunIndicator | null;
}

/**
 * The evaluation as the page needs it at any scale: counts, the ranking page, the unrated page with counts
 * by reason, and the map as parcel ids by class (and by quantile class of one indicator, when asked) — not
 * every enterprise's full record, which is tens of megabytes for a province.
 */
async function evaluation(db: Db, scheme: MujunScheme, zoneIds: number[] | null, listing: Listing) {
  const [enterprises, zones] = await Promise.all([enterprisesFor(db, scheme.year, zoneIds), zoneOutputPerMu(db, scheme.year, zoneIds)]);
  const results = evaluateMujun(enterprises, scheme);
  const classes = { A: 0, B: 0, C: 0, D: 0 };
  const notRatedCounts: Record<string, number> = { new: 0, too_small: 0, no_figures: 0, merged: 0 };
  for (const r of results) {
    if (r.class) classes[r.class]++;
    if (r.status !== 'rated') notRatedCounts[r.status]++;
  }
  const rated = results.filter((r) => r.status === 'rated').sort((a, b) => a.rank! - b.rank! || a.id - b.id);
  const notRated = results.filter((r) => r.status !== 'rated');
  const page = <T>(list: T[]) => list.slice(listing.offset, listing.offset + listing.limit);
  return {
    scheme,
    classes,
    zones,
    rated_total: rated.length,
    rated: page(rated),
    not_rated_total: notRated.length,
    not_rated_counts: notRatedCounts,
    not_rated: page(notRated),
    map: {
      classes: parcelClasses(results),
      values: listing.measure
        ? { measure: listing.measure, unit: MUJUN_INDICATORS[listing.measure].unit, ...parcelValueClasses(results, listing.measure, MUJUN_QUANTILE_CLASSES) }
        : null,
    },
  };
}

/** The zones of a preview's body: one id, a comma-separated list, or none (all zones). */
function previewZones(zone: number | number[] | null | undefined): number[] | null {
  if (zone === undefined || zone === null) return null;
  return typeof zone === 'number' ? [zone] : zone;
}

/** A scheme that passed its contract is used only if the rules across its fields hold too. */
function checkedScheme(scheme: unknown): MujunScheme {
  const problems = checkMujunScheme(scheme);
  if (problems.length) throw badRequest(`The scheme cannot be used: ${problems.join(' ')}`, { problems });
  return scheme as MujunScheme;
}

export function mujunRouter(db: Db): Router {
  const router = Router();

  router.get(
    '/',
    ...route(contract.getMujun, async ({ query }) => {
      const { zoneIds } = await scopeZones(db, query);
      const { scheme, version } = await loadScheme(db);
      return { version, ...(await evaluation(db, scheme, zoneIds, listing(query))) };
    }),
  );

  // What-if: the classes a changed scheme would give, before anyone saves it.
  router.post(
    '/preview',
    ...route(contract.previewMujun, async ({ body }) => {
      const scheme = checkedScheme(body.scheme);
      const zones = previewZones(body.zone);
      const zoneIds = zones ? await knownZones(db, zones) : null;
      return evaluation(db, scheme, zoneIds, listing(body));
    }),
  );

  router.get('/scheme', ...route(contract.getMujunScheme, () => loadScheme(db)));

  router.put(
    '/scheme',
    ...route(contract.saveMujunScheme, async ({ body }, req) => {
      const scheme = checkedScheme(body.scheme);
      const saved = await saveSetting(db, req.user!, SCHEME_KEY, scheme, body.version, DEFAULT_MUJUN_SCHEME, 'The scheme');
      return { version: saved, scheme };
    }),
  );

  return router;
}

/** The page and the map measure asked for, with their defaults. */
function listing(source: { limit?: number; offset?: number; measure?: MujunIndicator }): Listing {
  return { limit: source.limit ?? 200, offset: source.offset ?? 0, measure: source.measure ?? null };
}
