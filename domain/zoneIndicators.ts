/**
 * Zone monthly indicators: 规上工业增加值 and 工业投资 per month (the month's own figure, 万元), the
 * cumulative figure of the year to the month (1–N月累计), its year-on-year growth against the same months
 * of the year before, and the gap to the year's growth target; a zone behind its target gets a warning
 * (预警). Pure: the server's ranking, the page's chart and the briefing use the same code.
 */
export type IndicatorKey = 'value_added' | 'investment';
export const INDICATORS = [
  {
    key: 'value_added',
    zh: '规上工业增加值',
    en: 'Value added of above-scale industry',
    column: 'industrial_value_added_wan',
    targetColumn: 'value_added_growth_target_pct',
  },
  { key: 'investment', zh: '工业投资', en: 'Industrial investment', column: 'industrial_investment_wan', targetColumn: 'investment_growth_target_pct' },
] as const satisfies readonly { key: IndicatorKey; zh: string; en: string; column: string; targetColumn: string }[];
export const INDICATOR_KEYS: readonly IndicatorKey[] = INDICATORS.map((i) => i.key);

/** One month of one zone: month is YYYY-MM; null = not reported. */
export interface MonthFigure {
  month: string;
  valueWan: number | null;
}

export interface IndicatorStatus {
  month: string;
  /** The month's own figure. */
  monthWan: number | null;
  /** January to the month of the year. null when a month of it is missing. */
  cumulativeWan: number | null;
  previousCumulativeWan: number | null;
  /** Year-on-year growth of the cumulative figure, in % (−9.8 = −9.8 %); null when it cannot be computed. */
  growthPct: number | null;
  targetPct: number | null;
  /** Percentage points below the target (positive = behind), null without growth or target. */
  gapPct: number | null;
  warning: boolean;
  /** Months (YYYY-MM) without a figure that the cumulative figures need. */
  missing: string[];
}

export function isMonth(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m !== null && Number(m[1]) >= 1990 && Number(m[1]) <= 2100 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function monthsToDate(year: number, month: number): string[] {
  return Array.from({ length: month }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The status of an indicator in a month (YYYY-MM) from the zone's monthly figures and the year's growth
 * target in %. Example: Jan–Jun 2025 = 120, Jan–Jun 2024 = 100, target 15 → growth 20 %, gap −5, no warning.
 */
export function indicatorStatus(figures: MonthFigure[], month: string, targetPct: number | null): IndicatorStatus {
  if (!isMonth(month)) throw new RangeError(`Month must be YYYY-MM, got "${month}".`);
  const byMonth = new Map(figures.map((f) => [f.month, f.valueWan]));
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const missing: string[] = [];
  const sum = (months: string[]) => {
    let total = 0;
    let complete = true;
    for (const mo of months) {
      const v = byMonth.get(mo);
      if (v === null || v === undefined) {
        missing.push(mo);
        complete = false;
      } else total += v;
    }
    return complete ? total : null;
  };
  const cumulativeWan = sum(monthsToDate(year, m));
  const previousCumulativeWan = sum(monthsToDate(year - 1, m));
  const growthPct =
    cumulativeWan === null || previousCumulativeWan === null || previousCumulativeWan <= 0
      ? null
      : ((cumulativeWan - previousCumulativeWan) / previousCumulativeWan) * 100;
  const gapPct = growthPct === null || targetPct === null ? null : targetPct - growthPct;
  return {
    month,
    monthWan: byMonth.get(month) ?? null,
    cumulativeWan,
    previousCumulativeWan,
    growthPct,
    targetPct,
    gapPct,
    warning: gapPct !== null && gapPct > 0,
    missing: missing.sort(),
  };
}

/** The status for every month of a year up to `lastMonth` (YYYY-MM): the chart's series. */
export function indicatorSeries(figures: MonthFigure[], lastMonth: string, targetPct: number | null): IndicatorStatus[] {
  const year = Number(lastMonth.slice(0, 4));
  return monthsToDate(year, Number(lastMonth.slice(5, 7))).map((mo) => indicatorStatus(figures, mo, targetPct));
}

/**
 * Zones ranked by growth (highest first; zones without a growth figure last, by name), each with its rank
 * (ties share a rank: 1, 2, 2, 4).
 */
export function rankByGrowth<T extends { name: string; status: IndicatorStatus }>(zones: T[]): (T & { rank: number | null })[] {
  const sorted = [...zones].sort((a, b) => {
    const ga = a.status.growthPct;
    const gb = b.status.growthPct;
    if (ga === null && gb === null) return a.name.localeCompare(b.name, 'zh');
    if (ga === null) return 1;
    if (gb === null) return -1;
    return gb - ga || a.name.localeCompare(b.name, 'zh');
  });
  let rank = 0;
  return sorted.map((z, i) => {
    if (z.status.growthPct === null) return { ...z, rank: null };
    if (i === 0 || sorted[i - 1].status.growthPct !== z.status.growthPct) rank = i + 1;
    return { ...z, rank };
  });
}

export interface MonthRowInput {
  /** 1-based line in the uploaded file (header = 1). */
  line: number;
  zone: string;
  month: string;
  valueAdded: string;
  investment: string;
}

export interface CheckedMonthRow {
  line: number;
  zoneId: number;
  month: string;
  valueAddedWan: number | null;
  investmentWan: number | null;
}

/**
 * Checks the rows of a month upload: each must name a known zone (code or name), a month YYYY-MM, and
 * figures in 万元 (≥ 0, empty = not reported, at least one given); a zone and month only once.
 * Returns every problem with its line, or the rows when there is none (all-or-nothing).
 */
export function checkMonthRows(
  rows: MonthRowInput[],
  zoneIdOf: (text: string) => number | null,
): { ok: true; rows: CheckedMonthRow[] } | { ok: false; errors: { line: number; message: string; message_zh: string }[] } {
  const errors: { line: number; message: string; message_zh: string }[] = [];
  const seen = new Map<string, number>();
  const out: CheckedMonthRow[] = [];
  const num = (text: string): number | null | 'bad' => {
    const s = text.trim().replace(/,/g, '');
    if (s === '') return null;
    if (!/^-?\d+(\.\d+)?$/.test(s)) return 'bad';
    const n = Number(s);
    return n >= 0 && n <= 1e9 ? n : 'bad';
  };
  for (const r of rows) {
    const problems: [string, string][] = [];
    const zoneId = zoneIdOf(r.zone.trim());
    if (r.zone.trim() === '') problems.push(['the zone is missing', '缺少开发区']);
    else if (zoneId === null) problems.push([`unknown zone "${r.zone.trim()}"`, `未知的开发区“${r.zone.trim()}”`]);
    const month = r.month.trim().replace(/^(\d{4})[/.年](\d{1,2})月?$/, (_, y: string, m: string) => `${y}-${m.padStart(2, '0')}`);
    if (!isMonth(month)) problems.push([`month "${r.month.trim()}" is not YYYY-MM`, `月份“${r.month.trim()}”不是 YYYY-MM 格式`]);
    const va = num(r.valueAdded);
    const inv = num(r.investment);
    if (va === 'bad')
      problems.push([`value added "${r.valueAdded.trim()}" is not a number of 万元 ≥ 0`, `规上工业增加值“${r.valueAdded.trim()}”不是不小于 0 的万元数`]);
    if (inv === 'bad')
      problems.push([`investment "${r.investment.trim()}" is not a number of 万元 ≥ 0`, `工业投资“${r.investment.trim()}”不是不小于 0 的万元数`]);
    if (va === null && inv === null) problems.push(['no figure given', '未填写任何数值']);
    if (zoneId !== null && isMonth(month)) {
      const key = `${zoneId}:${month}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push([`the same zone and month as line ${first}`, `与第 ${first} 行的开发区和月份重复`]);
      else seen.set(key, r.line);
    }
    if (problems.length) {
      errors.push({ line: r.line, message: problems.map((p) => p[0]).join('; '), message_zh: problems.map((p) => p[1]).join('；') });
    } else {
      out.push({ line: r.line, zoneId: zoneId!, month, valueAddedWan: va as number | null, investmentWan: inv as number | null });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows: out };
}

/** The range a yearly growth target (%) may take: more than −100 % (nothing left) and at most 200 %. */
export const TARGET_PCT_MIN_EXCLUSIVE = -100;
export const TARGET_PCT_MAX = 200;
export const TARGET_YEAR_MIN = 1990;
export const TARGET_YEAR_MAX = 2100;

export interface YearlyTargetsInput {
  year: number;
  value_added_growth_target_pct: number | null;
  investment_growth_target_pct: number | null;
}

/**
 * Checks a zone's growth targets for a year: the year a whole number 1990–2100; each target a number of %
 * above −100 and at most 200, or null (no target: no 预警 on that indicator). Returns the problems.
 */
export function checkYearlyTargets(input: {
  year?: unknown;
  value_added_growth_target_pct?: unknown;
  investment_growth_target_pct?: unknown;
}): { field: string; en: string; zh: string }[] {
  const problems: { field: string; en: string; zh: string }[] = [];
  const y = input.year;
  if (typeof y !== 'number' || !Number.isInteger(y) || y < TARGET_YEAR_MIN || y > TARGET_YEAR_MAX) {
    problems.push({
      field: 'year',
      en: `The year must be a whole number from ${TARGET_YEAR_MIN} to ${TARGET_YEAR_MAX}, got "${String(y ?? '').slice(0, 20)}".`,
      zh: `年份须为 ${TARGET_YEAR_MIN}—${TARGET_YEAR_MAX} 之间的整数，收到“${String(y ?? '').slice(0, 20)}”。`,
    });
  }
  for (const i of INDICATORS) {
    const v = input[i.targetColumn];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= TARGET_PCT_MIN_EXCLUSIVE || v > TARGET_PCT_MAX) {
      problems.push({
        field: i.targetColumn,
        en: `The growth target of ${i.en.toLowerCase()} must be a number of % above ${TARGET_PCT_MIN_EXCLUSIVE} and at most ${TARGET_PCT_MAX} (or empty for none), got "${String(v).slice(0, 20)}".`,
        zh: `${i.zh}增速目标须为大于 ${TARGET_PCT_MIN_EXCLUSIVE}%、不超过 ${TARGET_PCT_MAX}% 的数（不设目标则留空），收到“${String(v).slice(0, 20)}”。`,
      });
    }
  }
  return problems;
}
