/**
 * 亩均论英雄: enterprises rated by what they produce per mu of land they use.
 *
 * Indicators on the land an enterprise uses (owner's land, plus leased land for tenants): 亩均税收,
 * 亩均增加值, 亩均产值, 亩均销售收入 (万元/亩), 单位能耗增加值 (万元/吨标煤), 单位排放增加值 (万元/吨),
 * 全员劳动生产率 (万元/人), R&D占比 (share). Score = Σ weightᵢ × (valueᵢ ÷ benchmarkᵢ) (Zhejiang style),
 * the benchmark being the average over the enterprises evaluated with it. Classes by rank: A (top ~20 %),
 * B, C, D (bottom ~5 %). Enterprises failing a safety, environment or energy check cannot be A or B; new
 * enterprises and small ones (not above-scale and under the land threshold) are not evaluated.
 * Shanxi's own scheme was not found: DEFAULT_MUJUN_SCHEME is a documented default that administrators change.
 */
import { quantileBreaks, quantileClass } from './quantiles.ts';
import { areaMuFromSquareMetres } from './units.ts';

export const MUJUN_INDICATORS = {
  tax_per_mu: { zh: '亩均税收', en: 'Tax per mu', unit: '万元/亩' },
  value_added_per_mu: { zh: '亩均增加值', en: 'Value added per mu', unit: '万元/亩' },
  output_per_mu: { zh: '亩均产值', en: 'Output per mu', unit: '万元/亩' },
  revenue_per_mu: { zh: '亩均销售收入', en: 'Revenue per mu', unit: '万元/亩' },
  value_added_per_energy: { zh: '单位能耗增加值', en: 'Value added per energy', unit: '万元/吨标煤' },
  value_added_per_emission: { zh: '单位排放增加值', en: 'Value added per emission', unit: '万元/吨' },
  labour_productivity: { zh: '全员劳动生产率', en: 'Labour productivity', unit: '万元/人' },
  rd_share: { zh: 'R&D经费占比', en: 'R&D share of revenue', unit: '%' },
  tax_per_energy: { zh: '单位能耗税收', en: 'Tax per energy', unit: '万元/吨标煤' },
} as const;
export type MujunIndicator = keyof typeof MUJUN_INDICATORS;

export type MujunClass = 'A' | 'B' | 'C' | 'D';

export interface MujunScheme {
  year: number;
  /** Enterprises below scale are evaluated from this much land (亩). */
  sizeThresholdMu: number;
  /** Enterprises younger than this (years, at the end of the year rated) are not evaluated. */
  minAgeYears: number;
  /** Leased land: tenants rated on their own ('separate'), or their figures merged into the owner's. */
  attribution: 'separate' | 'merge_into_owner';
  weights: { aboveScale: Partial<Record<MujunIndicator, number>>; belowScale: Partial<Record<MujunIndicator, number>> };
  /** Cumulative shares of the ranking for A, B and C; the rest is D. */
  classShares: { A: number; B: number; C: number };
  /** Whether failing a safety, environment or energy check keeps an enterprise out of A and B. */
  vetoChecks: boolean;
}

/**
 * The documented default: above-scale weights tax 30, value added 20, energy 20, emissions 10, labour
 * productivity 10, R&D 10; below-scale tax 50 and tax per energy 50 (electricity use is not collected, so
 * energy stands in for kWh). Classes: A top 20 %, B to 60 %, C to 95 %, D the last 5 %. Land threshold 3 亩.
 */
export const DEFAULT_MUJUN_SCHEME: MujunScheme = {
  year: 2025,
  sizeThresholdMu: 3,
  minAgeYears: 2,
  attribution: 'separate',
  weights: {
    aboveScale: { tax_per_mu: 30, value_added_per_mu: 20, value_added_per_energy: 20, value_added_per_emission: 10, labour_productivity: 10, rd_share: 10 },
    belowScale: { tax_per_mu: 50, tax_per_energy: 50 },
  },
  classShares: { A: 0.2, B: 0.6, C: 0.95 },
  vetoChecks: true,
};

export interface MujunFigures {
  output_wan: number | null;
  value_added_wan: number | null;
  tax_wan: number | null;
  energy_tce: number | null;
  emissions_t: number | null;
  rd_wan: number | null;
  revenue_wan: number | null;
  employees: number | null;
}

export interface MujunEnterprise {
  id: number;
  name: string;
  above_scale: boolean;
  founded_date: string | null;
  failed_checks: string[];
  /** Land used, by parcel: the owner's share or the tenant's leased area (m²). */
  uses: { parcel_id: number; role: 'owner' | 'tenant'; area_m2: number }[];
  figures: MujunFigures | null;
}

export type MujunStatus = 'rated' | 'new' | 'too_small' | 'no_figures' | 'merged';

export interface MujunResult {
  id: number;
  name: string;
  status: MujunStatus;
  above_scale: boolean;
  land_mu: number;
  parcel_ids: number[];
  values: Partial<Record<MujunIndicator, number | null>>;
  score: number | null;
  rank: number | null;
  class: MujunClass | null;
  vetoed: boolean;
  /** For merged tenants: the owner they were rated with. */
  merged_into?: number;
}

const div = (a: number | null | undefined, b: number | null | undefined): number | null => (a === null || a === undefined || !b ? null : a / b);

export function mujunValues(f: MujunFigures, landMu: number): Record<MujunIndicator, number | null> {
  return {
    tax_per_mu: div(f.tax_wan, landMu),
    value_added_per_mu: div(f.value_added_wan, landMu),
    output_per_mu: div(f.output_wan, landMu),
    revenue_per_mu: div(f.revenue_wan, landMu),
    value_added_per_energy: div(f.value_added_wan, f.energy_tce),
    value_added_per_emission: div(f.value_added_wan, f.emissions_t),
    labour_productivity: div(f.value_added_wan, f.employees),
    rd_share: div(f.rd_wan, f.revenue_wan),
    tax_per_energy: div(f.tax_wan, f.energy_tce),
  };
}

function addFigures(a: MujunFigures, b: MujunFigures): MujunFigures {
  const add = (x: number | null, y: number | null) => (x === null && y === null ? null : (x ?? 0) + (y ?? 0));
  return {
    output_wan: add(a.output_wan, b.output_wan),
    value_added_wan: add(a.value_added_wan, b.value_added_wan),
    tax_wan: add(a.tax_wan, b.tax_wan),
    energy_tce: add(a.energy_tce, b.energy_tce),
    emissions_t: add(a.emissions_t, b.emissions_t),
    rd_wan: add(a.rd_wan, b.rd_wan),
    revenue_wan: add(a.revenue_wan, b.revenue_wan),
    employees: add(a.employees, b.employees),
  };
}

/** Rates the enterprises with a scheme. Pure: the same inputs give the same classes on server and client. */
export function evaluateMujun(enterprises: MujunEnterprise[], scheme: MujunScheme): MujunResult[] {
  const yearEnd = `${scheme.year}-12-31`;
  // Merge mode: a tenant's figures and land go to the owner of the parcel it leases (its first one).
  const mergedInto = new Map<number, number>();
  if (scheme.attribution === 'merge_into_owner') {
    const ownerOf = new Map<number, number>();
    for (const e of enterprises) for (const u of e.uses) if (u.role === 'owner') ownerOf.set(u.parcel_id, e.id);
    for (const e of enterprises) {
      if (e.uses.length && e.uses.every((u) => u.role === 'tenant')) {
        const owner = ownerOf.get(e.uses[0].parcel_id);
        if (owner !== undefined && owner !== e.id) mergedInto.set(e.id, owner);
      }
    }
  }
  const landM2 = new Map<number, number>();
  const figures = new Map<number, MujunFigures | null>();
  for (const e of enterprises) {
    landM2.set(
      e.id,
      e.uses.reduce((s, u) => s + u.area_m2, 0),
    );
    figures.set(e.id, e.figures);
  }
  for (const [tenant, owner] of mergedInto) {
    landM2.set(owner, (landM2.get(owner) ?? 0) + (landM2.get(tenant) ?? 0));
    const t = figures.get(tenant);
    const o = figures.get(owner);
    if (t && o) figures.set(owner, addFigures(o, t));
  }

  const youngestFounded = shiftYears(yearEnd, -scheme.minAgeYears);
  const results: MujunResult[] = enterprises.map((e) => {
    const landMu = areaMuFromSquareMetres(landM2.get(e.id) ?? 0);
    const base: MujunResult = {
      id: e.id,
      name: e.name,
      status: 'rated',
      above_scale: e.above_scale,
      land_mu: landMu,
      parcel_ids: e.uses.length === 1 ? [e.uses[0].parcel_id] : [...new Set(e.uses.map((u) => u.parcel_id))],
      values: {},
      score: null,
      rank: null,
      class: null,
      vetoed: false,
    };
    // The record is completed in place (not copied): tens of thousands of enterprises are rated at once.
    if (mergedInto.has(e.id)) {
      base.status = 'merged';
      base.merged_into = mergedInto.get(e.id);
    } else if (e.founded_date && e.founded_date > youngestFounded) base.status = 'new';
    else if (!e.above_scale && landMu < scheme.sizeThresholdMu) base.status = 'too_small';
    else {
      const f = figures.get(e.id);
      if (!f || landMu <= 0) base.status = 'no_figures';
      else {
        base.values = mujunValues(f, landMu);
        base.vetoed = scheme.vetoChecks && e.failed_checks.length > 0;
      }
    }
    return base;
  });

  // Above-scale and below-scale enterprises are scored with their own weights and benchmarks, ranked together.
  for (const group of [true, false]) {
    const rated = results.filter((r) => r.status === 'rated' && r.above_scale === group);
    const weights = group ? scheme.weights.aboveScale : scheme.weights.belowScale;
    for (const [key, weight] of Object.entries(weights) as [MujunIndicator, number][]) {
      const present = rated.map((r) => r.values[key]).filter((v): v is number => v !== null && v !== undefined);
      const benchmark = present.length ? present.reduce((s, v) => s + v, 0) / present.length : 0;
      for (const r of rated) {
        const v = r.values[key];
        // A missing figure scores nothing for that indicator (the enterprise did not report it).
        const part = v === null || v === undefined || benchmark <= 0 ? 0 : weight * (v / benchmark);
        r.score = (r.score ?? 0) + part;
      }
    }
  }
  // Scores are kept to two decimals before ranking, so that equal scores tie exactly.
  for (const r of results) if (r.status === 'rated') r.score = Math.round((r.score ?? 0) * 100) / 100;
  const rated = results.filter((r) => r.status === 'rated').sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const n = rated.length;
  rated.forEach((r, i) => {
    // Ties share the rank (and so the class) of the first of them.
    r.rank = i > 0 && rated[i - 1].score === r.score ? rated[i - 1].rank : i + 1;
    const position = (r.rank! - 1) / n;
    let cls: MujunClass = position < scheme.classShares.A ? 'A' : position < scheme.classShares.B ? 'B' : position < scheme.classShares.C ? 'C' : 'D';
    if (r.vetoed && (cls === 'A' || cls === 'B')) cls = 'C';
    r.class = cls;
  });
  return results;
}

/**
 * The class a parcel is shown in: the best class among the rated enterprises on it (an owner and its
 * tenants may differ; the map shows what the land achieves at best). Parcel ids by class.
 */
export function parcelClasses(results: MujunResult[]): Record<MujunClass, number[]> {
  const best = new Map<number, MujunClass>();
  for (const r of results) {
    if (r.status !== 'rated' || !r.class) continue;
    for (const id of r.parcel_ids) {
      const current = best.get(id);
      if (!current || r.class < current) best.set(id, r.class);
    }
  }
  const out: Record<MujunClass, number[]> = { A: [], B: [], C: [], D: [] };
  for (const [id, cls] of best) out[cls].push(id);
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

/**
 * One indicator on the map: quantile breaks over the rated enterprises' values, and each parcel's class by
 * the best value among the rated enterprises on it (every indicator is "more is better"). Parcel ids by class.
 */
export function parcelValueClasses(results: MujunResult[], indicator: MujunIndicator, classes: number): { breaks: number[]; parcels: number[][] } {
  const rated = results.filter((r) => r.status === 'rated');
  const breaks = quantileBreaks(
    rated.map((r) => r.values[indicator]).filter((v): v is number => typeof v === 'number'),
    classes,
  );
  const best = new Map<number, number>();
  for (const r of rated) {
    const v = r.values[indicator];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    for (const id of r.parcel_ids) if (!best.has(id) || v > best.get(id)!) best.set(id, v);
  }
  const parcels: number[][] = Array.from({ length: breaks.length + 1 }, () => []);
  for (const [id, v] of best) parcels[quantileClass(v, breaks)].push(id);
  for (const list of parcels) list.sort((a, b) => a - b);
  return { breaks, parcels };
}

function shiftYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

/** Checks a scheme from outside (an administrator's edit): a list of problems, empty when it can be used. */
export function checkMujunScheme(s: unknown): string[] {
  const problems: string[] = [];
  const x = s as MujunScheme;
  if (!x || typeof x !== 'object') return ['The scheme must be an object.'];
  if (!Number.isInteger(x.year) || x.year < 2000 || x.year > 2100) problems.push('year must be a year between 2000 and 2100.');
  if (typeof x.sizeThresholdMu !== 'number' || x.sizeThresholdMu < 0 || x.sizeThresholdMu > 1000) problems.push('sizeThresholdMu must be 0–1000 亩.');
  if (!Number.isInteger(x.minAgeYears) || x.minAgeYears < 0 || x.minAgeYears > 10) problems.push('minAgeYears must be 0–10.');
  if (x.attribution !== 'separate' && x.attribution !== 'merge_into_owner') problems.push('attribution is separate or merge_into_owner.');
  for (const group of ['aboveScale', 'belowScale'] as const) {
    const w = x.weights?.[group];
    if (!w || typeof w !== 'object') {
      problems.push(`weights.${group} is required.`);
      continue;
    }
    for (const [k, v] of Object.entries(w)) {
      if (!(k in MUJUN_INDICATORS)) problems.push(`Unknown indicator ${k}.`);
      if (typeof v !== 'number' || v < 0 || v > 100) problems.push(`Weight of ${k} must be 0–100.`);
    }
    if (!Object.values(w).some((v) => (v as number) > 0)) problems.push(`weights.${group} needs at least one positive weight.`);
  }
  const c = x.classShares;
  if (!c || !(c.A > 0 && c.A < c.B && c.B < c.C && c.C <= 1)) problems.push('classShares must rise: 0 < A < B < C ≤ 1.');
  if (typeof x.vetoChecks !== 'boolean') problems.push('vetoChecks is true or false.');
  return problems;
}
