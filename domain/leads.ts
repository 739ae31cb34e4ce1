/**
 * 招商 (investment attraction): the stages of a lead from first contact to signing, the funnel figures the
 * zones report every quarter, and the score that ranks land for a lead's needs. Pure functions: the server
 * gives them rows, the client shows their results, the tests compute them by hand.
 *
 * Definitions (said once here, shown on the page):
 * - A lead has reached a stage when it has a date for that stage or for any later one (a lead signed
 *   straight after a visit has passed 洽谈 and 意向 on its way).
 * - "In negotiation" (在谈) at a date: reached 初步接洽 or later by then, neither signed nor dropped by then.
 * - The funnel of a period is its cohort: the leads first recorded within the period, each at the furthest
 *   stage it reached by the period's end; conversion from one stage to the next is the share of the cohort
 *   at the first that also reached the next.
 * - Signed in a period: the signing date within it. Time to sign: days from the first date to the signing date.
 * - Large leads: planned investment ≥ 100,000 万元 (10 亿元) and ≥ 10,000 万元 (1 亿元).
 */
import { daysBetween } from './dates.ts';
import { matchesIndustry } from './industries.ts';

export const LEAD_STAGES = [
  { key: 'lead', zh: '线索', en: 'Lead' },
  { key: 'contact', zh: '初步接洽', en: 'First contact' },
  { key: 'visit', zh: '考察', en: 'Site visit' },
  { key: 'negotiation', zh: '洽谈', en: 'Negotiation' },
  { key: 'intent', zh: '意向/框架协议', en: 'Intent / framework agreement' },
  { key: 'signed', zh: '签约', en: 'Signed' },
] as const;
export type LeadStageKey = (typeof LEAD_STAGES)[number]['key'];
export const LEAD_STAGE_KEYS: readonly LeadStageKey[] = LEAD_STAGES.map((s) => s.key);

/** How a lead came (configurable in settings; these are the defaults). */
export const DEFAULT_LEAD_SOURCES = [
  { key: 'by_business', zh: '以商招商', en: 'Through firms already here' },
  { key: 'agency', zh: '委托招商', en: 'Through an agency' },
  { key: 'resident_office', zh: '驻点招商', en: 'Resident office' },
  { key: 'event', zh: '推介会', en: 'Promotion event' },
  { key: 'chain_owner', zh: '链主引荐', en: 'Introduced by a chain-owner firm' },
  { key: 'online', zh: '网络招商', en: 'Online' },
  { key: 'other', zh: '其他', en: 'Other' },
] as const;

/** Why a lead was dropped (the funnel counts them). */
export const DROP_REASONS = [
  { key: 'funding', zh: '投资方资金不足', en: 'Investor lacks funds' },
  { key: 'elsewhere', zh: '选址他处', en: 'Chose another location' },
  { key: 'land', zh: '用地条件不符', en: 'Land does not fit' },
  { key: 'energy_environment', zh: '能耗或环境容量不足', en: 'No energy or environmental capacity' },
  { key: 'policy', zh: '不符合产业政策', en: 'Against industrial policy' },
  { key: 'strategy', zh: '投资方战略调整', en: 'Investor changed strategy' },
  { key: 'other', zh: '其他', en: 'Other' },
] as const;

export const LARGE_LEAD_WAN = 100_000;
export const MEDIUM_LEAD_WAN = 10_000;

export interface LeadFacts {
  id: number;
  /** The date each stage was reached (YYYY-MM-DD); stages skipped have none. */
  stage_dates: Partial<Record<LeadStageKey, string | null>>;
  dropped_on: string | null;
  drop_reason: string | null;
  planned_investment_wan: number | null;
  next_follow_up: string | null;
}

/** The first date on record: the lead's start. */
export function firstDate(lead: LeadFacts): string | null {
  const dates = LEAD_STAGE_KEYS.map((k) => lead.stage_dates[k]).filter((d): d is string => !!d);
  return dates.length ? dates.sort()[0] : null;
}

/** Index of the furthest stage reached on or before `asOf` (-1: none yet). */
export function furthestStageIndex(lead: LeadFacts, asOf: string): number {
  for (let i = LEAD_STAGE_KEYS.length - 1; i >= 0; i--) {
    const d = lead.stage_dates[LEAD_STAGE_KEYS[i]];
    if (d && d <= asOf) return i;
  }
  return -1;
}

export function isSignedBy(lead: LeadFacts, asOf: string): boolean {
  const d = lead.stage_dates.signed;
  return !!d && d <= asOf;
}

export function isDroppedBy(lead: LeadFacts, asOf: string): boolean {
  return !!lead.dropped_on && lead.dropped_on <= asOf && !isSignedBy(lead, asOf);
}

/** 在谈: reached first contact or later, neither signed nor dropped. */
export function isInNegotiation(lead: LeadFacts, asOf: string): boolean {
  return furthestStageIndex(lead, asOf) >= 1 && !isSignedBy(lead, asOf) && !isDroppedBy(lead, asOf);
}

export interface Money {
  count: number;
  investmentWan: number;
}

export interface FunnelStage {
  key: LeadStageKey;
  /** Leads of the cohort that reached this stage (or a later one). */
  reached: number;
  reachedInvestmentWan: number;
  /** Share of those at the previous stage that reached this one; null for the first stage or when none were there. */
  conversion: number | null;
  /** The ids behind the figure. */
  ids: number[];
}

export interface LeadFigures {
  from: string;
  to: string;
  inNegotiation: Money & { atLeast10Yi: number; atLeast1Yi: number; ids: number[] };
  signed: Money & { ids: number[] };
  dropped: { count: number; byReason: Record<string, number>; ids: number[] };
  funnel: FunnelStage[];
  /** Median days from first date to signing, for leads signed in the period; null when none. */
  medianDaysToSign: number | null;
  /** Leads in negotiation at `today` whose next follow-up date has passed. */
  overdueFollowUps: { count: number; ids: number[] };
}

const investment = (l: LeadFacts) => l.planned_investment_wan ?? 0;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A lead listed in two scopes (a zone and its city, two promoters) counts once in their union. */
export function uniqueLeads<T extends { id: number }>(leads: T[]): T[] {
  const seen = new Set<number>();
  return leads.filter((l) => (seen.has(l.id) ? false : (seen.add(l.id), true)));
}

/** The quarter's figures for a scope's leads, over [from, to], with follow-ups judged on `today`. */
export function leadFigures(allLeads: LeadFacts[], from: string, to: string, today: string): LeadFigures {
  const leads = uniqueLeads(allLeads);
  const negotiating = leads.filter((l) => isInNegotiation(l, to));
  const signed = leads.filter((l) => l.stage_dates.signed && l.stage_dates.signed >= from && l.stage_dates.signed <= to);
  const dropped = leads.filter((l) => l.dropped_on && l.dropped_on >= from && l.dropped_on <= to && !isSignedBy(l, to));
  const byReason: Record<string, number> = {};
  for (const l of dropped) byReason[l.drop_reason ?? 'other'] = (byReason[l.drop_reason ?? 'other'] ?? 0) + 1;

  const cohort = leads.filter((l) => {
    const first = firstDate(l);
    return first !== null && first >= from && first <= to;
  });
  const funnel: FunnelStage[] = LEAD_STAGE_KEYS.map((key, i) => {
    const at = cohort.filter((l) => furthestStageIndex(l, to) >= i);
    return { key, reached: at.length, reachedInvestmentWan: at.reduce((s, l) => s + investment(l), 0), conversion: null, ids: at.map((l) => l.id) };
  });
  for (let i = 1; i < funnel.length; i++) funnel[i].conversion = funnel[i - 1].reached ? funnel[i].reached / funnel[i - 1].reached : null;

  const overdue = leads.filter((l) => isInNegotiation(l, today) && l.next_follow_up !== null && l.next_follow_up < today);
  return {
    from,
    to,
    inNegotiation: {
      count: negotiating.length,
      investmentWan: negotiating.reduce((s, l) => s + investment(l), 0),
      atLeast10Yi: negotiating.filter((l) => investment(l) >= LARGE_LEAD_WAN).length,
      atLeast1Yi: negotiating.filter((l) => investment(l) >= MEDIUM_LEAD_WAN).length,
      ids: negotiating.map((l) => l.id),
    },
    signed: { count: signed.length, investmentWan: signed.reduce((s, l) => s + investment(l), 0), ids: signed.map((l) => l.id) },
    dropped: { count: dropped.length, byReason, ids: dropped.map((l) => l.id) },
    funnel,
    medianDaysToSign: median(signed.map((l) => daysBetween(firstDate(l)!, l.stage_dates.signed!))),
    overdueFollowUps: { count: overdue.length, ids: overdue.map((l) => l.id) },
  };
}

/** A part's share of its whole (a zone's signed investment in its city's); null when the whole is 0. */
export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

// ---------------------------------------------------------------------------------------------------------
// Matching land to a lead
// ---------------------------------------------------------------------------------------------------------

export interface LeadNeeds {
  minMu?: number | null;
  maxMu?: number | null;
  /** Land-use codes (2023 classification) the project may use; a code matches the codes below it. */
  landUseCodes?: string[];
  industry?: string | null;
  /** Infrastructure the project needs (keys of the parcel's infrastructure record, e.g. water, power, gas, rail). */
  infrastructure?: string[];
  cities?: string[];
  zoneIds?: number[];
  /** The most the investor will pay for land, 万元 per 亩. */
  budgetWanPerMu?: number | null;
  /** Floor space the project needs in a standard factory, m²; without it no factory is offered. */
  floorM2?: number | null;
}

export interface LandCandidate {
  id: number;
  kind: 'parcel' | 'factory';
  /** A parcel's area; 0 for a factory (it is floor space, not land). */
  areaMu: number;
  landUseCode: string | null;
  zoneId: number;
  city: string;
  /** What the land is meant for: the zone's leading industries and the parcel's intended use. */
  industryText: string;
  infrastructure: string[];
  priceWanPerMu: number | null;
  /** Whether the parcel's 标准地 control indicators are set (investors then know the terms up front). */
  standardLand: boolean;
  /** Distance to the nearest firm of the lead's chain, km; null when the chain has none on the map. */
  chainDistanceKm: number | null;
  /** A factory building's vacant floor area, m² (floor area − area leased); none for a parcel. */
  vacantFloorM2?: number | null;
}

export interface MatchReason {
  key: 'floor' | 'area' | 'land_use' | 'industry' | 'infrastructure' | 'location' | 'budget' | 'standard_land' | 'chain';
  ok: boolean;
  zh: string;
  en: string;
}

export interface LandMatch {
  id: number;
  kind: 'parcel' | 'factory';
  /** 0–100: the share of the weights of the criteria given that the land meets. */
  score: number;
  reasons: MatchReason[];
}

/** Weights of the criteria; a criterion the lead does not state is left out of the score. */
export const MATCH_WEIGHTS = {
  floor: 30,
  area: 30,
  land_use: 20,
  industry: 15,
  infrastructure: 15,
  location: 10,
  budget: 10,
  standard_land: 5,
  chain: 10,
} as const;

/** Within 5 km of a chain firm counts fully, beyond 30 km not at all, linearly between. */
export function chainProximity(distanceKm: number | null): number {
  if (distanceKm === null) return 0;
  if (distanceKm <= 5) return 1;
  if (distanceKm >= 30) return 0;
  return (30 - distanceKm) / 25;
}

/**
 * How well one piece of land fits a lead, with a reason per criterion. Land outside the area range, of a
 * land use the project cannot use, or dearer than the budget is not offered (null): a promoter should not
 * send an investor land that cannot work. A standard factory is offered only when the lead states a floor
 * need and the building's vacant floor area covers it.
 */
export function matchLand(needs: LeadNeeds, land: LandCandidate): LandMatch | null {
  const reasons: MatchReason[] = [];
  let got = 0;
  let possible = 0;
  const add = (key: MatchReason['key'], fraction: number, zh: string, en: string) => {
    const weight = MATCH_WEIGHTS[key];
    possible += weight;
    got += weight * fraction;
    reasons.push({ key, ok: fraction >= 0.999, zh, en });
  };
  const mu = (n: number) => n.toFixed(1);
  const factory = land.kind === 'factory';

  if (factory) {
    if (needs.floorM2 == null || land.vacantFloorM2 == null || land.vacantFloorM2 < needs.floorM2) return null;
    const [vacant, need] = [land.vacantFloorM2, needs.floorM2].map((v) => Math.round(v).toLocaleString('en-US'));
    add('floor', 1, `空置面积 ${vacant} m²，满足 ${need} m² 需求`, `${vacant} m² vacant, covers the ${need} m² needed`);
  }
  // A factory is rented floor space in a building already standing: the 亩 range, the land-use codes and the
  // land budget per 亩 are terms of buying land, the 标准地 indicators are set on parcels before they are sold,
  // and a building's utilities are not recorded — so none of them scores a factory; its floor area does.
  if (!factory && (needs.minMu != null || needs.maxMu != null)) {
    const min = needs.minMu ?? 0;
    const max = needs.maxMu ?? Infinity;
    if (land.areaMu < min || land.areaMu > max) return null;
    add('area', 1, `面积 ${mu(land.areaMu)} 亩，在需求范围内`, `${mu(land.areaMu)} mu, within the range asked`);
  }
  if (!factory && needs.landUseCodes?.length) {
    const code = land.landUseCode ?? '';
    if (!needs.landUseCodes.some((c) => code.startsWith(c))) return null;
    add('land_use', 1, `用地性质 ${code} 符合`, `Land use ${code} fits`);
  }
  if (needs.industry) {
    const fits = matchesIndustry(land.industryText, needs.industry);
    add(
      'industry',
      fits ? 1 : 0,
      fits ? `产业定位与“${needs.industry}”相符` : `产业定位未列“${needs.industry}”`,
      fits ? `Meant for ${needs.industry}` : `Not meant for ${needs.industry}`,
    );
  }
  if (!factory && needs.infrastructure?.length) {
    const have = needs.infrastructure.filter((i) => land.infrastructure.includes(i));
    const missing = needs.infrastructure.filter((i) => !land.infrastructure.includes(i));
    add(
      'infrastructure',
      have.length / needs.infrastructure.length,
      missing.length ? `缺少配套：${missing.join('、')}` : '所需配套齐全',
      missing.length ? `Missing: ${missing.join(', ')}` : 'All infrastructure needed is there',
    );
  }
  if (needs.cities?.length || needs.zoneIds?.length) {
    const fits = (needs.zoneIds?.includes(land.zoneId) ?? false) || (needs.cities?.includes(land.city) ?? false);
    add('location', fits ? 1 : 0, fits ? '位于意向区域' : '不在意向区域', fits ? 'In the preferred area' : 'Outside the preferred area');
  }
  if (!factory && needs.budgetWanPerMu != null) {
    if (land.priceWanPerMu !== null && land.priceWanPerMu > needs.budgetWanPerMu) return null;
    add(
      'budget',
      land.priceWanPerMu === null ? 0.5 : 1,
      land.priceWanPerMu === null ? '价格待议' : `地价 ${land.priceWanPerMu} 万元/亩，在预算内`,
      land.priceWanPerMu === null ? 'Price to be agreed' : `${land.priceWanPerMu} 万元/亩, within budget`,
    );
  }
  if (!factory)
    add(
      'standard_land',
      land.standardLand ? 1 : 0,
      land.standardLand ? '标准地，控制指标已明确' : '控制指标待定',
      land.standardLand ? 'Standard land: control indicators set' : 'Control indicators not yet set',
    );
  if (land.chainDistanceKm !== null) {
    add(
      'chain',
      chainProximity(land.chainDistanceKm),
      `距产业链企业 ${land.chainDistanceKm.toFixed(1)} km`,
      `${land.chainDistanceKm.toFixed(1)} km from a firm of the chain`,
    );
  }
  return { id: land.id, kind: land.kind, score: possible ? Math.round((100 * got) / possible) : 0, reasons };
}

/** The land that fits, best first (ties: the larger area first — factories, with no land of their own, after parcels — then id). */
export function rankLand(needs: LeadNeeds, candidates: LandCandidate[]): LandMatch[] {
  const area = new Map(candidates.map((c) => [`${c.kind}:${c.id}`, c.areaMu]));
  return candidates
    .map((c) => matchLand(needs, c))
    .filter((m): m is LandMatch => m !== null)
    .sort((a, b) => b.score - a.score || area.get(`${b.kind}:${b.id}`)! - area.get(`${a.kind}:${a.id}`)! || a.id - b.id);
}

/** The stage a lead is at: the furthest stage with a date. */
export function stageOf(stageDates: Partial<Record<LeadStageKey, string | null>>): LeadStageKey {
  for (let i = LEAD_STAGE_KEYS.length - 1; i >= 0; i--) if (stageDates[LEAD_STAGE_KEYS[i]]) return LEAD_STAGE_KEYS[i];
  return 'lead';
}

/**
 * Problems with a lead's stage dates: the first (线索) date is required, none is after today, and they come in
 * stage order (skipping a stage is allowed; going back in time is not). Each problem in both languages.
 */
export function checkStageDates(stageDates: Partial<Record<LeadStageKey, string | null>>, today: string): { field: string; en: string; zh: string }[] {
  const problems: { field: string; en: string; zh: string }[] = [];
  if (!stageDates.lead) problems.push({ field: 'lead_date', en: 'The date the lead came in is required.', zh: '须填写线索登记日期。' });
  let previous: { key: LeadStageKey; date: string } | null = null;
  for (const stage of LEAD_STAGES) {
    const date = stageDates[stage.key];
    if (!date) continue;
    if (date > today)
      problems.push({ field: `${stage.key}_date`, en: `The ${stage.en.toLowerCase()} date ${date} is after today.`, zh: `${stage.zh}日期 ${date} 晚于今天。` });
    if (previous && date < previous.date) {
      const before = LEAD_STAGES.find((s) => s.key === previous!.key)!;
      problems.push({
        field: `${stage.key}_date`,
        en: `${stage.en} (${date}) cannot come before ${before.en.toLowerCase()} (${previous.date}).`,
        zh: `${stage.zh}日期（${date}）不能早于${before.zh}日期（${previous.date}）。`,
      });
    }
    previous = { key: stage.key, date };
  }
  return problems;
}
