/**
 * Figures above a zone (county, city, province) are sums of the zones' figures; ratios are computed again from
 * the sums, never averaged (an average of ratios weighs a small zone like a large one).
 */
import { idleRatio } from './idleLand.ts';

export interface ZoneIdleFigures {
  supplied_area_m2: number;
  idle_area_m2: number;
  approved_unsupplied_area_m2: number;
  supplied_unused_area_m2: number;
  idle_count: number;
  at_risk_count: number;
}

/** Idle land of several zones: areas and counts summed, 土地闲置率 = Σ idle ÷ Σ supplied. */
export function rollUpIdle(zones: readonly ZoneIdleFigures[]): ZoneIdleFigures & { idle_ratio: number | null } {
  const sum: ZoneIdleFigures = {
    supplied_area_m2: 0,
    idle_area_m2: 0,
    approved_unsupplied_area_m2: 0,
    supplied_unused_area_m2: 0,
    idle_count: 0,
    at_risk_count: 0,
  };
  for (const z of zones) for (const k of Object.keys(sum) as (keyof ZoneIdleFigures)[]) sum[k] += z[k];
  return { ...sum, idle_ratio: idleRatio(sum.idle_area_m2, sum.supplied_area_m2) };
}

export interface ZoneOutputFigures {
  output_wan: number;
  land_mu: number;
}

/** 亩均产值 of several zones: Σ output ÷ Σ used land (万元/亩); null without land. */
export function rollUpOutputPerMu(zones: readonly ZoneOutputFigures[]): { output_wan: number; land_mu: number; output_per_mu: number | null } {
  let output = 0;
  let land = 0;
  for (const z of zones) {
    output += z.output_wan;
    land += z.land_mu;
  }
  return { output_wan: output, land_mu: land, output_per_mu: land > 0 ? output / land : null };
}

/** Groups zones' rows by a key (city or county) and rolls each group up with the given function. */
export function rollUpBy<T, R>(rows: readonly T[], key: (row: T) => string, rollUp: (group: T[]) => R): { key: string; value: R }[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups].map(([k, g]) => ({ key: k, value: rollUp(g) }));
}
