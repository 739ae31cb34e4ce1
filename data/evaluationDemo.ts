/**
 * Demo 开发区考核 data: the default scheme saved as version 1, zone types (tourism and farming zones are
 * 其他类), 2026 targets for every zone and every indicator that needs one, and the manual 营商环境评价 values
 * for the months reported. Targets are set from the demo's own 2025 figures (value added and investment:
 * last year's total × (1 + the zone's growth target); 标准地 and signed leads: a little above 2025), so that
 * zones land on both sides of 序时进度. Its own random stream: the rest of the demo does not change.
 */
import { DEFAULT_EVALUATION_SCHEME, indicatorRows } from '../domain/evaluation.ts';
import type { MonthlyIndicatorRow, ParcelRow, YearlyTargetRow, ZoneRow } from './generator.ts';
import type { LeadRow } from './leadsDemo.ts';

type Random = { between: (a: number, b: number) => number; int: (a: number, b: number) => number; pick: <T>(items: readonly T[]) => T };

export interface EvaluationSchemeRow {
  id: number;
  version: number;
  name: string;
  basis: string;
  note: string;
}
export interface EvaluationIndicatorRow {
  scheme_id: number;
  key: string;
  sort_order: number;
  name_zh: string;
  name_en: string;
  unit: string;
  source: string;
  kind: string;
  direction: string;
  weight_industrial: number;
  weight_other: number;
  rule_type: string;
  rule_params: Record<string, unknown>;
}
export interface EvaluationThresholdRow {
  scheme_id: number;
  class: string;
  min_score: number;
}
export interface EvaluationZoneTypeRow {
  zone_id: number;
  zone_type: string;
}
export interface EvaluationTargetRow {
  zone_id: number;
  year: number;
  indicator_key: string;
  target: number;
}
export interface EvaluationValueRow {
  zone_id: number;
  month: string;
  indicator_key: string;
  value: number;
}

export interface EvaluationDemo {
  evaluationSchemes: EvaluationSchemeRow[];
  evaluationIndicators: EvaluationIndicatorRow[];
  evaluationThresholds: EvaluationThresholdRow[];
  evaluationZoneTypes: EvaluationZoneTypeRow[];
  evaluationTargets: EvaluationTargetRow[];
  evaluationValues: EvaluationValueRow[];
}

const OTHER_TYPE = /旅游|文旅|农业|农牧|生态/;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

export function generateEvaluationDemo(
  rnd: Random,
  input: { zones: ZoneRow[]; parcels: ParcelRow[]; monthly: MonthlyIndicatorRow[]; growthTargets: YearlyTargetRow[]; leads: LeadRow[]; asOf: string },
): EvaluationDemo {
  const scheme = DEFAULT_EVALUATION_SCHEME;
  const year = Number(input.asOf.slice(0, 4));
  const lastMonth = Number(input.asOf.slice(5, 7));
  const evaluationIndicators = indicatorRows(scheme).map((row) => ({ scheme_id: 1, ...row }));
  const evaluationTargets: EvaluationTargetRow[] = [];
  const evaluationValues: EvaluationValueRow[] = [];
  for (const zone of input.zones) {
    const previous = input.monthly.filter((m) => m.zone_id === zone.id && m.month.startsWith(String(year - 1)));
    const growth = input.growthTargets.find((t) => t.zone_id === zone.id && t.year === year);
    const sum = (f: (m: MonthlyIndicatorRow) => number | null) => previous.reduce((s, m) => s + (f(m) ?? 0), 0);
    const standard2025 = input.parcels.filter((p) => p.zone_id === zone.id && p.is_standard_land && p.supplied_date?.startsWith(String(year - 1))).length;
    const leads2025 = input.leads.filter((l) => l.zone_id === zone.id && l.signed_date?.startsWith(String(year - 1))).length;
    const add = (key: string, target: number) => evaluationTargets.push({ zone_id: zone.id, year, indicator_key: key, target });
    add('value_added_completion', round(sum((m) => m.industrial_value_added_wan) * (1 + (growth?.value_added_growth_target_pct ?? 10) / 100), -1));
    add('investment_completion', round(sum((m) => m.industrial_investment_wan) * (1 + (growth?.investment_growth_target_pct ?? 12) / 100), -1));
    add('start_rate', rnd.pick([60, 65, 70, 75]));
    add('idle_ratio', rnd.pick([2, 3, 4, 5]));
    add('tax_per_mu', rnd.pick([8, 10, 12, 15, 20]));
    // About 36 亩 a parcel: a little more than last year's, at least 100 亩.
    add('standard_land_mu', Math.max(100, round(standard2025 * 36 * rnd.between(1, 1.4), -1)));
    add('factory_use_rate', 80);
    add('leads_signed', Math.max(2, Math.ceil(leads2025 * rnd.between(1, 1.5))));
    add('business_environment', 90);
    const base = rnd.between(72, 96);
    for (let m = 1; m <= lastMonth; m++)
      evaluationValues.push({
        zone_id: zone.id,
        month: `${year}-${String(m).padStart(2, '0')}-01`,
        indicator_key: 'business_environment',
        value: round(Math.min(100, base + rnd.between(-3, 3)), 1),
      });
  }
  return {
    evaluationSchemes: [{ id: 1, version: 1, name: scheme.name, basis: scheme.basis, note: '演示数据：默认方案' }],
    evaluationIndicators,
    evaluationThresholds: (['first', 'good', 'fair'] as const).map((c) => ({ scheme_id: 1, class: c, min_score: scheme.thresholds[c] })),
    evaluationZoneTypes: input.zones.map((z) => ({
      zone_id: z.id,
      zone_type: OTHER_TYPE.test(z.leading_industry) || OTHER_TYPE.test(z.name) ? 'other' : 'industrial',
    })),
    evaluationTargets,
    evaluationValues,
  };
}
