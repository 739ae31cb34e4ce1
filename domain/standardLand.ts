/**
 * 标准地 transfer (出让) and its check at acceptance (竣工验收 / 达产复核), standard-factory occupancy, and 入统
 * (规上 threshold, 培育库 / 小升规). Pure functions: the server gives them rows, the client shows their results,
 * the tests compute them by hand.
 *
 * Definitions (said once here, shown on the page):
 * - The agreed indicators are the parcel's 标准地 control indicators copied into the transfer record when it is
 *   signed and never changed afterwards (later edits of the parcel do not move the contract).
 * - An indicator is judged only when it was agreed and an actual figure was entered. 投资强度, 亩均税收, 建筑系数:
 *   actual ≥ agreed minimum; 单位能耗, 行政办公及生活服务设施用地占比, 绿地率: actual ≤ agreed maximum (lower is
 *   better); 容积率: within the agreed min–max; 环境标准: met yes/no.
 * - Overall: not met when any judged indicator is missed; met when every agreed indicator is judged and met;
 *   otherwise incomplete (null).
 * - A consequence (penalty or correction by a deadline) is followed up: open → corrected / penalised → closed.
 *   It is overdue when still open after its correction deadline.
 * - A lease is active on a date when it started on or before it and has not ended before it (end date inclusive).
 *   A building's leased area is the sum of its active leases; use rate = leased ÷ floor area × 100 %.
 * - 规上 (industry): annual main-business revenue ≥ 2000 万元 (国家统计局, 2011 起). 培育库 (小升规): revenue at or above
 *   the lower bound (a setting, 1500 万元 by default) and below the threshold.
 */
import type { StandardLandIndicators } from './parcelFields.ts';

export type IndicatorDirection = 'min' | 'max' | 'range' | 'yes';

export interface IndicatorSpec {
  key: keyof ActualFigures;
  zh: string;
  en: string;
  unit: string;
  direction: IndicatorDirection;
  /** The agreed value's column(s) among the parcel's 标准地 indicators. */
  agreedMin?: keyof StandardLandIndicators;
  agreedMax?: keyof StandardLandIndicators;
  agreedText?: keyof StandardLandIndicators;
}

/** The figures entered at acceptance, one per indicator (null or absent: not entered). */
export interface ActualFigures {
  investment_intensity_wan_per_mu?: number | null;
  floor_area_ratio?: number | null;
  tax_per_mu_wan?: number | null;
  energy_tce_per_wan?: number | null;
  environment_met?: boolean | null;
  building_coverage_pct?: number | null;
  admin_facility_pct?: number | null;
  green_pct?: number | null;
}

export const ACCEPTANCE_INDICATORS: readonly IndicatorSpec[] = [
  {
    key: 'investment_intensity_wan_per_mu',
    zh: '固定资产投资强度',
    en: 'Investment intensity',
    unit: '万元/亩',
    direction: 'min',
    agreedMin: 'min_investment_intensity_wan_per_mu',
  },
  {
    key: 'floor_area_ratio',
    zh: '容积率',
    en: 'Floor-area ratio',
    unit: '',
    direction: 'range',
    agreedMin: 'min_floor_area_ratio',
    agreedMax: 'max_floor_area_ratio',
  },
  { key: 'tax_per_mu_wan', zh: '亩均税收', en: 'Tax per mu', unit: '万元/亩', direction: 'min', agreedMin: 'min_tax_per_mu_wan' },
  { key: 'energy_tce_per_wan', zh: '单位能耗', en: 'Energy per output', unit: 'tce/万元', direction: 'max', agreedMax: 'max_energy_tce_per_wan' },
  { key: 'environment_met', zh: '环境标准', en: 'Environmental standard', unit: '', direction: 'yes', agreedText: 'environment_standard' },
  { key: 'building_coverage_pct', zh: '建筑系数', en: 'Building coverage', unit: '%', direction: 'min', agreedMin: 'min_building_coverage_pct' },
  {
    key: 'admin_facility_pct',
    zh: '行政办公及生活服务设施用地占比',
    en: 'Office and service land share',
    unit: '%',
    direction: 'max',
    agreedMax: 'max_admin_facility_pct',
  },
  { key: 'green_pct', zh: '绿地率', en: 'Green share', unit: '%', direction: 'max', agreedMax: 'max_green_pct' },
];

export const ACCEPTANCE_KINDS = [
  { key: 'completion', zh: '竣工验收', en: 'Completion acceptance' },
  { key: 'capacity', zh: '达产复核', en: 'Check at design capacity' },
] as const;
export type AcceptanceKind = (typeof ACCEPTANCE_KINDS)[number]['key'];

export const FOLLOW_UP_STATUSES = [
  { key: 'open', zh: '整改中', en: 'Open' },
  { key: 'corrected', zh: '已整改', en: 'Corrected' },
  { key: 'penalised', zh: '已处罚', en: 'Penalised' },
  { key: 'closed', zh: '已办结', en: 'Closed' },
] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number]['key'];

export interface IndicatorResult {
  key: keyof ActualFigures;
  agreed_min: number | null;
  agreed_max: number | null;
  agreed_text: string | null;
  actual: number | boolean | null;
  /** null: not agreed, or no actual figure entered. */
  met: boolean | null;
}

export interface AcceptanceJudgement {
  results: IndicatorResult[];
  /** false: an indicator missed; true: every agreed indicator judged and met; null: incomplete. */
  overall_met: boolean | null;
  missed: (keyof ActualFigures)[];
  /** Agreed indicators with no actual figure entered. */
  not_entered: (keyof ActualFigures)[];
}

/** Whether the parcel agreed this indicator at all. */
function isAgreed(spec: IndicatorSpec, agreed: Partial<StandardLandIndicators>): boolean {
  if (spec.direction === 'yes') return !!(spec.agreedText && agreed[spec.agreedText]);
  return (spec.agreedMin && agreed[spec.agreedMin] != null) || (spec.agreedMax && agreed[spec.agreedMax] != null) ? true : false;
}

/**
 * The 达产复核 judgement: each agreed indicator met or not against the frozen agreed value, with direction.
 * Example: agreed 投资强度 ≥ 300 万元/亩, actual 280 → missed; agreed 单位能耗 ≤ 0.5 tce/万元, actual 0.45 → met.
 */
export function judgeAcceptance(agreed: Partial<StandardLandIndicators>, actual: ActualFigures): AcceptanceJudgement {
  const results: IndicatorResult[] = [];
  const missed: (keyof ActualFigures)[] = [];
  const notEntered: (keyof ActualFigures)[] = [];
  for (const spec of ACCEPTANCE_INDICATORS) {
    const agreedMin = spec.agreedMin ? ((agreed[spec.agreedMin] as number | null | undefined) ?? null) : null;
    const agreedMax = spec.agreedMax ? ((agreed[spec.agreedMax] as number | null | undefined) ?? null) : null;
    const agreedText = spec.agreedText ? ((agreed[spec.agreedText] as string | null | undefined) ?? null) : null;
    const value = actual[spec.key] ?? null;
    let met: boolean | null = null;
    if (isAgreed(spec, agreed)) {
      if (value === null) notEntered.push(spec.key);
      else if (spec.direction === 'yes') met = value === true;
      else {
        const v = value as number;
        met = (agreedMin === null || v >= agreedMin) && (agreedMax === null || v <= agreedMax);
      }
      if (met === false) missed.push(spec.key);
    }
    results.push({ key: spec.key, agreed_min: agreedMin, agreed_max: agreedMax, agreed_text: agreedText, actual: value, met });
  }
  const anyAgreed = ACCEPTANCE_INDICATORS.some((s) => isAgreed(s, agreed));
  const overall_met = missed.length > 0 ? false : notEntered.length > 0 || !anyAgreed ? null : true;
  return { results, overall_met, missed, not_entered: notEntered };
}

export interface FollowUpFacts {
  overall_met: boolean | null;
  follow_up_status: FollowUpStatus;
  correction_deadline: string | null;
}

/** Whether an acceptance is still being followed: a missed indicator and the consequence not yet settled. */
export function needsFollowUp(a: FollowUpFacts): boolean {
  return a.overall_met === false && a.follow_up_status === 'open';
}

/** Open after its correction deadline (the deadline day itself is still in time). */
export function isOverdue(a: FollowUpFacts, today: string): boolean {
  return needsFollowUp(a) && a.correction_deadline !== null && a.correction_deadline < today;
}

/** Days from today to the correction deadline (negative: overdue by that many days); null without a deadline. */
export function daysToDeadline(deadline: string | null, today: string): number | null {
  if (!deadline) return null;
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Follow-up list order: overdue first (most overdue first), then nearest deadline, then those without one. */
export function compareFollowUps<T extends FollowUpFacts & { id: number }>(today: string): (a: T, b: T) => number {
  return (a, b) => {
    const oa = isOverdue(a, today) ? 0 : 1;
    const ob = isOverdue(b, today) ? 0 : 1;
    if (oa !== ob) return oa - ob;
    const da = a.correction_deadline ?? '9999-12-31';
    const db = b.correction_deadline ?? '9999-12-31';
    return da < db ? -1 : da > db ? 1 : a.id - b.id;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Transfer figures against a target

export interface TransferFacts {
  transferred_on: string;
  area_mu: number;
  price_wan: number | null;
}

export interface TransferFigures {
  count: number;
  areaMu: number;
  priceWan: number;
  /** The target for the period's year (亩), when there is one. */
  targetMu: number | null;
  /** areaMu ÷ targetMu × 100, two decimals; null without a target. */
  ratePercent: number | null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Transfers dated within [from, to] (inclusive): count, area (亩), price (万元), and the area against a target.
 * Example: 120 + 80.5 亩 against 400 亩 → 50.13 %.
 */
export function transferFigures(transfers: TransferFacts[], from: string, to: string, targetMu: number | null): TransferFigures {
  const inPeriod = transfers.filter((t) => t.transferred_on >= from && t.transferred_on <= to);
  const areaMu = round2(inPeriod.reduce((s, t) => s + t.area_mu, 0));
  const priceWan = round2(inPeriod.reduce((s, t) => s + (t.price_wan ?? 0), 0));
  return { count: inPeriod.length, areaMu, priceWan, targetMu, ratePercent: targetMu && targetMu > 0 ? round2((100 * areaMu) / targetMu) : null };
}

// ---------------------------------------------------------------------------------------------------------
// Standard factory buildings

export interface LeaseFacts {
  id?: number;
  leased_area_m2: number;
  start_date: string;
  end_date: string | null;
}

export function isLeaseActive(lease: LeaseFacts, date: string): boolean {
  return lease.start_date <= date && (lease.end_date === null || lease.end_date >= date);
}

/** Leased floor area (m²) on a date: the sum of the active leases. */
export function leasedAreaOn(leases: LeaseFacts[], date: string): number {
  return round2(leases.filter((l) => isLeaseActive(l, date)).reduce((s, l) => s + l.leased_area_m2, 0));
}

/** Use rate (%) = leased ÷ floor area × 100, two decimals; null for no floor area. Example: 3000 of 4000 m² → 75. */
export function useRatePercent(leasedM2: number, floorAreaM2: number): number | null {
  return floorAreaM2 > 0 ? round2((100 * leasedM2) / floorAreaM2) : null;
}

/**
 * The most floor area leased at any one time (m²): leases overlap when their date ranges share a day. Checked at
 * every lease's start (the sum can only rise there). Example: 2000 (2025–2026) + 1500 (2026–) + 1000 (2024–2024)
 * → 3500 on 2026-01-01.
 */
export function peakLeasedArea(leases: LeaseFacts[]): { areaM2: number; on: string | null } {
  let best = { areaM2: 0, on: null as string | null };
  for (const l of leases) {
    const area = leasedAreaOn(leases, l.start_date);
    if (area > best.areaM2) best = { areaM2: area, on: l.start_date };
  }
  return best;
}

/** The problems of a building's leases: end before start, and more area leased at once than the building has. */
export function checkLeases(leases: LeaseFacts[], floorAreaM2: number): { en: string; zh: string }[] {
  const problems: { en: string; zh: string }[] = [];
  for (const l of leases) {
    if (l.end_date !== null && l.end_date < l.start_date) problems.push({ en: 'A lease ends before it starts.', zh: '租赁结束日期早于开始日期。' });
    if (!(l.leased_area_m2 > 0)) problems.push({ en: 'A leased area must be above 0 m².', zh: '出租面积必须大于 0 m²。' });
  }
  const peak = peakLeasedArea(leases);
  if (peak.areaM2 > floorAreaM2 + 1e-6) {
    problems.push({
      en: `Leases overlapping on ${peak.on} add up to ${peak.areaM2} m², more than the building's floor area of ${floorAreaM2} m².`,
      zh: `${peak.on} 同时有效的租赁合计 ${peak.areaM2} m²，超过厂房建筑面积 ${floorAreaM2} m²。`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// 入统: 规上 and 培育库 (小升规)

/** 规模以上工业企业: annual main-business revenue ≥ 2000 万元. */
export const ABOVE_SCALE_REVENUE_WAN = 2000;
/** Default lower bound of the 培育库 (a setting). */
export const DEFAULT_CULTIVATION_LOWER_WAN = 1500;

export type ScaleClass = 'above' | 'cultivation' | 'below' | 'unknown';

/**
 * Which side of the 规上 threshold a firm's revenue puts it. Examples (lower bound 1500): 2000 → above;
 * 1999.9 → cultivation; 1500 → cultivation; 1499 → below; null → unknown.
 */
export function scaleClass(revenueWan: number | null, lowerWan = DEFAULT_CULTIVATION_LOWER_WAN, thresholdWan = ABOVE_SCALE_REVENUE_WAN): ScaleClass {
  if (revenueWan === null) return 'unknown';
  if (revenueWan >= thresholdWan) return 'above';
  return revenueWan >= lowerWan ? 'cultivation' : 'below';
}

/** How far below the threshold (万元, ≥ 0) and the revenue as a share of it (%). Example: 1800 → gap 200, 90 %. */
export function thresholdGap(revenueWan: number, thresholdWan = ABOVE_SCALE_REVENUE_WAN): { gapWan: number; sharePercent: number } {
  return { gapWan: round2(Math.max(0, thresholdWan - revenueWan)), sharePercent: round2((100 * revenueWan) / thresholdWan) };
}
