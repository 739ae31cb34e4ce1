/**
 * 开发区考核: zones scored monthly against yearly targets with a scheme kept as data (indicators, weights per
 * zone type, scoring rules, class thresholds), 序时进度 (schedule by elapsed time), classes, warnings and
 * movement. Pure: the server's results, the what-if preview and the bulletin use the same code.
 *
 * 序时进度 (the rule, stated once):
 * - A **flow** indicator (value added, investment, 标准地 supplied, leads signed: summed over the year) is
 *   judged by its year-to-date figure against target × elapsed share of the year. The share counts the
 *   months reported: the figures of October are the figures of January–October, so October gives 10/12.
 *   (With `basis: 'days'` the share is the days to the end of the month over the days of the year, 366 in a
 *   leap year: 2024-02 → 60/366.) A month of the year not yet reported makes the year-to-date figure
 *   missing, never zero: a zone that did not report is not "0 % done", it is "not reported".
 * - A **stock** indicator (idle-land ratio, factory use rate, a growth rate, a ratio) is judged by its latest
 *   value against the target itself, with no time share.
 * - Higher-is-better: progress = value ÷ expected; lower-is-better (idle land): progress = expected ÷ value.
 */

export type IndicatorKind = 'flow' | 'stock';
export type Direction = 'higher' | 'lower';
export type ZoneType = 'industrial' | 'other';
export const ZONE_TYPES: readonly ZoneType[] = ['industrial', 'other'];
export const ZONE_TYPE_LABELS: Record<ZoneType, { zh: string; en: string }> = {
  industrial: { zh: '工业类', en: 'Industrial' },
  other: { zh: '其他类', en: 'Other' },
};

/** How progress becomes points (each out of the indicator's weight). */
export type ScoringRule =
  /** weight × min(progress, cap): progress 0.9 → 90 % of the weight; over-achievement counts up to the cap (1.2 = 120 %). */
  | { type: 'ratio'; cap: number }
  /** Ranked by progress among the zones evaluated together: first gets the weight, last gets floor × weight, linear between; ties share the better rank's points. */
  | { type: 'rank'; floor: number }
  /** Steps: the first step whose `min` progress is reached gives `share` × weight (steps sorted by min, highest first). */
  | { type: 'steps'; steps: { min: number; share: number }[] };

export interface EvaluationIndicator {
  key: string;
  name_zh: string;
  name_en: string;
  unit: string;
  /** `app`: computed from the app's own figures; `manual`: entered by hand or imported. */
  source: 'app' | 'manual';
  kind: IndicatorKind;
  direction: Direction;
  /** Points per zone type; each type's weights sum to 100. */
  weights: Record<ZoneType, number>;
  rule: ScoringRule;
}

export type EvaluationClass = 'first' | 'good' | 'fair' | 'warning';
export const EVALUATION_CLASSES: readonly EvaluationClass[] = ['first', 'good', 'fair', 'warning'];
export const CLASS_LABELS: Record<EvaluationClass, { zh: string; en: string }> = {
  first: { zh: '第一方阵', en: 'Leading group' },
  good: { zh: '良好', en: 'Good' },
  fair: { zh: '一般', en: 'Fair' },
  warning: { zh: '预警', en: 'Warning' },
};

export interface EvaluationScheme {
  name: string;
  /** How the elapsed share of the year is counted for flows. */
  basis: 'months' | 'days';
  indicators: EvaluationIndicator[];
  /** Minimum total (points out of 100) of each class; below `fair` is 预警. */
  thresholds: { first: number; good: number; fair: number };
}

/** The app's figures the scheme may name as `app` indicators (their kind, direction and unit are fixed by what they measure). */
export const APP_MEASURES = {
  value_added_growth: { zh: '规上工业增加值增速', en: 'Value added growth', unit: '%', kind: 'stock', direction: 'higher' },
  value_added_completion: { zh: '规上工业增加值完成', en: 'Value added to date', unit: '万元', kind: 'flow', direction: 'higher' },
  investment_growth: { zh: '工业投资增速', en: 'Industrial investment growth', unit: '%', kind: 'stock', direction: 'higher' },
  investment_completion: { zh: '工业投资完成', en: 'Industrial investment to date', unit: '万元', kind: 'flow', direction: 'higher' },
  start_rate: { zh: '签约项目开工率', en: 'Signed projects started', unit: '%', kind: 'stock', direction: 'higher' },
  produce_rate: { zh: '开工项目投产率', en: 'Started projects producing', unit: '%', kind: 'stock', direction: 'higher' },
  capacity_rate: { zh: '投产项目达产率', en: 'Producing projects at capacity', unit: '%', kind: 'stock', direction: 'higher' },
  idle_ratio: { zh: '土地闲置率', en: 'Idle-land ratio', unit: '%', kind: 'stock', direction: 'lower' },
  tax_per_mu: { zh: '亩均税收', en: 'Tax per mu', unit: '万元/亩', kind: 'stock', direction: 'higher' },
  output_per_mu: { zh: '亩均产值', en: 'Output per mu', unit: '万元/亩', kind: 'stock', direction: 'higher' },
  standard_land_mu: { zh: '标准地供应', en: 'Standard land supplied', unit: '亩', kind: 'flow', direction: 'higher' },
  factory_use_rate: { zh: '标准化厂房使用率', en: 'Factory use rate', unit: '%', kind: 'stock', direction: 'higher' },
  leads_signed: { zh: '招商签约项目', en: 'Leads signed', unit: '个', kind: 'flow', direction: 'higher' },
} as const satisfies Record<string, { zh: string; en: string; unit: string; kind: IndicatorKind; direction: Direction }>;
export type AppMeasure = keyof typeof APP_MEASURES;
export const APP_MEASURE_KEYS = Object.keys(APP_MEASURES) as AppMeasure[];

/** A scheme's indicators as rows of evaluation_indicators hold them: the rule's type apart from its parameters. */
export function indicatorRows(scheme: EvaluationScheme) {
  return scheme.indicators.map((i, n) => {
    const { type, ...params } = i.rule;
    return {
      key: i.key,
      sort_order: n,
      name_zh: i.name_zh,
      name_en: i.name_en,
      unit: i.unit,
      source: i.source,
      kind: i.kind,
      direction: i.direction,
      weight_industrial: i.weights.industrial,
      weight_other: i.weights.other,
      rule_type: type,
      rule_params: params,
    };
  });
}

export function isAppMeasure(key: string): key is AppMeasure {
  return Object.hasOwn(APP_MEASURES, key);
}

const appIndicator = (key: AppMeasure, industrial: number, other: number, rule: ScoringRule): EvaluationIndicator => ({
  key,
  name_zh: APP_MEASURES[key].zh,
  name_en: APP_MEASURES[key].en,
  unit: APP_MEASURES[key].unit,
  source: 'app',
  kind: APP_MEASURES[key].kind,
  direction: APP_MEASURES[key].direction,
  weights: { industrial, other },
  rule,
});

/**
 * The documented default (the province's own scheme was not found): economic figures 45 points for
 * industrial zones, project follow-up and land use the rest, one manual indicator (营商环境评价, entered by
 * the province's office). Classes: 第一方阵 ≥ 80, 良好 ≥ 72, 一般 ≥ 68, below 68 预警 (set so that a typical
 * province spreads over the four classes; the province sets its own).
 */
export const DEFAULT_EVALUATION_SCHEME: EvaluationScheme = {
  name: '2026年开发区考核方案（默认）',
  basis: 'months',
  indicators: [
    appIndicator('value_added_completion', 15, 10, { type: 'ratio', cap: 1.2 }),
    appIndicator('value_added_growth', 10, 5, { type: 'rank', floor: 0.6 }),
    appIndicator('investment_completion', 15, 15, { type: 'ratio', cap: 1.2 }),
    appIndicator('investment_growth', 5, 5, { type: 'rank', floor: 0.6 }),
    appIndicator('start_rate', 10, 10, { type: 'ratio', cap: 1.2 }),
    appIndicator('idle_ratio', 10, 10, {
      type: 'steps',
      steps: [
        { min: 1, share: 1 },
        { min: 0.5, share: 0.6 },
        { min: 0, share: 0.2 },
      ],
    }),
    appIndicator('tax_per_mu', 10, 10, { type: 'ratio', cap: 1.2 }),
    appIndicator('standard_land_mu', 5, 5, { type: 'ratio', cap: 1.2 }),
    appIndicator('factory_use_rate', 5, 5, { type: 'ratio', cap: 1.2 }),
    appIndicator('leads_signed', 5, 10, { type: 'ratio', cap: 1.2 }),
    {
      key: 'business_environment',
      name_zh: '营商环境评价',
      name_en: 'Business environment rating',
      unit: '分',
      source: 'manual',
      kind: 'stock',
      direction: 'higher',
      weights: { industrial: 10, other: 15 },
      rule: { type: 'ratio', cap: 1 },
    },
  ],
  thresholds: { first: 80, good: 72, fair: 68 },
};

// ---------------------------------------------------------------------------------------------------
// 序时进度

function monthParts(month: string): { year: number; m: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`Month must be YYYY-MM, got "${month}".`);
  return { year: Number(match[1]), m: Number(match[2]) };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The elapsed share of the year at the end of a month (0..1). months: 2026-10 → 10/12; days: the days to
 * the month's last day over the year's days, 2024-02 → 60/366, 2026-02 → 59/365.
 */
export function elapsedShare(month: string, basis: 'months' | 'days' = 'months'): number {
  const { year, m } = monthParts(month);
  if (basis === 'months') return m / 12;
  const daysToEnd = (Date.UTC(year, m, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  return daysToEnd / (isLeapYear(year) ? 366 : 365);
}

/** The months January..month of its year, YYYY-MM. */
export function monthsOfYearTo(month: string): string[] {
  const { year, m } = monthParts(month);
  return Array.from({ length: m }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/** A zone's figure for one indicator in the month evaluated. */
export interface IndicatorInput {
  /** Stock: the latest value; flow: the year-to-date sum (or give `monthly`). null: not reported. */
  value: number | null;
  /** Flows reported month by month (YYYY-MM → figure, null = not reported): summed January..month. */
  monthly?: Record<string, number | null>;
  /** The yearly target (flow: the year's total; stock: the value to reach). */
  target: number | null;
  /** Ratios: what the value is made of, so that sums of zones recompute it (value = numerator ÷ denominator × scale). */
  numerator?: number | null;
  denominator?: number | null;
  scale?: number;
}

export interface ScheduleProgress {
  value: number | null;
  target: number | null;
  /** What the target asks for by now: target × elapsed share (flow) or the target (stock). */
  expected: number | null;
  /** Progress against `expected` as a share (1 = on schedule), direction applied; null when either is missing. */
  progress: number | null;
  /** Behind schedule (progress < 1). */
  behind: boolean;
  /** How far from `expected`, in the indicator's unit (positive = short of it; for lower-is-better, above it). */
  gap: number | null;
  /** Months of the year without a figure (flows reported monthly). */
  missing: string[];
}

/** Progress of a lower-is-better indicator at 0 (or far below target). */
export const ZERO_LOWER_PROGRESS = 10;

/**
 * 序时进度 of one indicator in a month. Example (flow): target 12,000 万元, January–October 9,000 →
 * expected 12,000 × 10/12 = 10,000, progress 0.9, behind by 1,000 万元. Example (stock, lower is
 * better): idle ratio 4 % against a target of 2 % → progress 2 ÷ 4 = 0.5, gap 2 points.
 */
export function scheduleProgress(
  indicator: Pick<EvaluationIndicator, 'kind' | 'direction'>,
  input: IndicatorInput,
  month: string,
  basis: 'months' | 'days' = 'months',
): ScheduleProgress {
  const missing: string[] = [];
  let value = input.value;
  if (indicator.kind === 'flow' && input.monthly) {
    let sum = 0;
    for (const mo of monthsOfYearTo(month)) {
      const v = input.monthly[mo];
      if (v === null || v === undefined) missing.push(mo);
      else sum += v;
    }
    value = missing.length ? null : sum;
  }
  const target = input.target;
  const expected = target === null ? null : indicator.kind === 'flow' ? target * elapsedShare(month, basis) : target;
  let progress: number | null = null;
  if (value !== null && expected !== null) {
    if (indicator.direction === 'higher') progress = expected > 0 ? Math.max(0, value / expected) : value >= expected ? 1 : 0;
    // Nothing at all (0 % idle) meets any target: counted as 10 (1000 %), above every cap, finite for JSON.
    else progress = value > 0 ? Math.min(ZERO_LOWER_PROGRESS, Math.max(0, expected / value)) : expected >= 0 ? ZERO_LOWER_PROGRESS : 0;
  }
  const gap = value === null || expected === null ? null : indicator.direction === 'higher' ? expected - value : value - expected;
  return { value, target, expected, progress, behind: progress !== null && progress < 1, gap, missing };
}

// ---------------------------------------------------------------------------------------------------
// Points

/**
 * Points for one indicator, for each zone's progress (null = missing: 0 points). Ranking points need all
 * the zones evaluated together, hence the list. Ties in a ranking share the better rank: two zones tied
 * first of four both get the full weight, the next is third.
 */
export function indicatorPoints(rule: ScoringRule, progresses: (number | null)[], weights: number[]): (number | null)[] {
  if (rule.type === 'ratio') return progresses.map((p, i) => (p === null ? null : weights[i] * Math.min(p, rule.cap)));
  if (rule.type === 'steps') {
    const steps = [...rule.steps].sort((a, b) => b.min - a.min);
    return progresses.map((p, i) => (p === null ? null : weights[i] * (steps.find((s) => p >= s.min)?.share ?? 0)));
  }
  const known = progresses.filter((p): p is number => p !== null);
  const n = known.length;
  return progresses.map((p, i) => {
    if (p === null) return null;
    const rank = known.filter((q) => q > p).length + 1;
    const share = n <= 1 ? 1 : 1 - ((rank - 1) / (n - 1)) * (1 - rule.floor);
    return weights[i] * share;
  });
}

export function classOf(total: number, thresholds: EvaluationScheme['thresholds']): EvaluationClass {
  if (total >= thresholds.first) return 'first';
  if (total >= thresholds.good) return 'good';
  if (total >= thresholds.fair) return 'fair';
  return 'warning';
}

export interface EvaluatedUnit {
  id: string;
  type: ZoneType;
  inputs: Record<string, IndicatorInput>;
}

export interface IndicatorResult extends ScheduleProgress {
  key: string;
  weight: number;
  score: number | null;
  /** Rank among the units by this indicator's progress (1 = best; ties share), null when missing. */
  rank: number | null;
}

export interface UnitResult {
  id: string;
  type: ZoneType;
  indicators: IndicatorResult[];
  /** Σ weighted scores (points out of 100; up to the caps above 100). */
  total: number;
  rank: number;
  class: EvaluationClass;
  /** Places moved since the previous month (+2: up two places); null without a previous rank. */
  movement: number | null;
  previous_rank: number | null;
  /** Indicators behind schedule, with their gaps. */
  behind: { key: string; gap: number | null; progress: number | null }[];
  /** Indicators not reported. */
  missing: string[];
  /** 预警: class 预警, or any indicator behind schedule by more than the warning share. */
  warning: boolean;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Competition ranks (1, 1, 3) of values, higher first; null values get null. */
export function competitionRanks(values: (number | null)[]): (number | null)[] {
  return values.map((v) => (v === null ? null : values.filter((w) => w !== null && w > v).length + 1));
}

/**
 * Scores the units (zones, or cities as sums of their zones) with a scheme in a month; results ranked best
 * first (ties by id). `previousRanks` gives last month's ranks for the movement.
 */
export function evaluateUnits(units: EvaluatedUnit[], scheme: EvaluationScheme, month: string, previousRanks: Map<string, number> = new Map()): UnitResult[] {
  const perIndicator = scheme.indicators.map((ind) => {
    const progress = units.map((u) => scheduleProgress(ind, u.inputs[ind.key] ?? { value: null, target: null }, month, scheme.basis));
    const weights = units.map((u) => ind.weights[u.type]);
    const points = indicatorPoints(
      ind.rule,
      progress.map((p) => p.progress),
      weights,
    );
    const ranks = competitionRanks(progress.map((p) => p.progress));
    return { ind, progress, weights, points, ranks };
  });
  const scored = units.map((u, i) => {
    const indicators: IndicatorResult[] = perIndicator.map(({ ind, progress, weights, points, ranks }) => ({
      key: ind.key,
      ...progress[i],
      weight: weights[i],
      score: points[i] === null ? null : round(points[i]!),
      rank: ranks[i],
    }));
    const total = round(
      indicators.reduce((s, r) => s + (r.score ?? 0), 0),
      2,
    );
    return { u, indicators, total };
  });
  const totals = competitionRanks(scored.map((s) => s.total));
  return scored
    .map(({ u, indicators, total }, i) => {
      const rank = totals[i]!;
      const previous = previousRanks.get(u.id) ?? null;
      const cls = classOf(total, scheme.thresholds);
      const behind = indicators.filter((r) => r.behind && r.weight > 0).map((r) => ({ key: r.key, gap: r.gap, progress: r.progress }));
      const missing = indicators.filter((r) => r.progress === null && r.weight > 0).map((r) => r.key);
      return {
        id: u.id,
        type: u.type,
        indicators,
        total,
        rank,
        class: cls,
        movement: previous === null ? null : previous - rank,
        previous_rank: previous,
        behind,
        missing,
        warning: cls === 'warning',
      };
    })
    .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * One unit made of several (a city of its zones): flows and targets summed; ratios recomputed from the
 * summed numerators and denominators, never averaged; a stock target weighted by the denominator
 * (Σ targetᵢ × denominatorᵢ ÷ Σ denominatorᵢ); a rating without parts is the members' mean. A missing figure
 * of any member makes the sum missing.
 */
export function sumUnits(id: string, type: ZoneType, members: EvaluatedUnit[], scheme: EvaluationScheme, month: string): EvaluatedUnit {
  const inputs: Record<string, IndicatorInput> = {};
  for (const ind of scheme.indicators) {
    const list = members.map((m) => m.inputs[ind.key] ?? { value: null, target: null });
    const sum = (f: (x: IndicatorInput) => number | null | undefined): number | null => {
      let s = 0;
      for (const x of list) {
        const v = f(x);
        if (v === null || v === undefined) return null;
        s += v;
      }
      return list.length ? s : null;
    };
    if (ind.kind === 'flow') {
      const value = sum((x) => (x.monthly ? scheduleProgress(ind, x, month, scheme.basis).value : x.value));
      inputs[ind.key] = { value, target: sum((x) => x.target) };
    } else if (list.every((x) => x.denominator !== undefined)) {
      const numerator = sum((x) => x.numerator);
      const denominator = sum((x) => x.denominator);
      const scale = list[0]?.scale ?? 1;
      const value = numerator === null || !denominator ? null : (numerator / denominator) * scale;
      const weightedTarget = sum((x) => (x.target === null || x.denominator === null ? null : x.target * x.denominator!));
      inputs[ind.key] = { value, numerator, denominator, scale, target: weightedTarget === null || !denominator ? null : weightedTarget / denominator };
    } else {
      // A stock without parts (a manual rating such as 营商环境评价) has nothing to sum: the city gets its zones'
      // mean rating and mean target, so that the city is scored on every indicator. Ratios never come here.
      const value = sum((x) => x.value);
      const targetSum = sum((x) => x.target);
      inputs[ind.key] = { value: value === null ? null : value / list.length, target: targetSum === null ? null : targetSum / list.length };
    }
  }
  return { id, type, inputs };
}

// ---------------------------------------------------------------------------------------------------
// Checking a scheme

export interface Problem {
  zh: string;
  en: string;
}

/** The rules across a scheme's fields: unique keys, each zone type's weights summing to 100, rising thresholds, sane rules. */
export function checkEvaluationScheme(scheme: EvaluationScheme): Problem[] {
  const problems: Problem[] = [];
  const keys = new Set<string>();
  for (const ind of scheme.indicators) {
    if (keys.has(ind.key)) problems.push({ zh: `指标 ${ind.key} 重复。`, en: `Indicator ${ind.key} appears twice.` });
    keys.add(ind.key);
    if (ind.source === 'app' && !isAppMeasure(ind.key))
      problems.push({ zh: `系统指标 ${ind.key} 不存在。`, en: `There is no app figure "${ind.key}" (known: ${APP_MEASURE_KEYS.join(', ')}).` });
    if (ind.source === 'app' && isAppMeasure(ind.key) && (APP_MEASURES[ind.key].kind !== ind.kind || APP_MEASURES[ind.key].direction !== ind.direction))
      problems.push({
        zh: `系统指标 ${ind.key} 的类型或方向与其含义不符。`,
        en: `The app figure ${ind.key} is a ${APP_MEASURES[ind.key].kind}, ${APP_MEASURES[ind.key].direction} is better.`,
      });
    if (ind.source === 'manual' && isAppMeasure(ind.key))
      problems.push({ zh: `手工指标不能使用系统指标名 ${ind.key}。`, en: `A manual indicator cannot use the app figure's key ${ind.key}.` });
    if (ind.rule.type === 'steps' && ind.rule.steps.length === 0) problems.push({ zh: `指标 ${ind.key} 没有分档。`, en: `Indicator ${ind.key} has no steps.` });
  }
  for (const type of ZONE_TYPES) {
    const total = scheme.indicators.reduce((s, i) => s + i.weights[type], 0);
    if (Math.abs(total - 100) > 1e-6)
      problems.push({
        zh: `${ZONE_TYPE_LABELS[type].zh}开发区的权重合计为 ${round(total, 2)}，应为 100。`,
        en: `The weights of ${type} zones sum to ${round(total, 2)}, not 100.`,
      });
  }
  const t = scheme.thresholds;
  if (!(t.first > t.good && t.good > t.fair))
    problems.push({ zh: '分档分数须依次降低：第一方阵 > 良好 > 一般。', en: 'Thresholds must fall: first > good > fair.' });
  return problems;
}
