/**
 * Idle land by the rule of 《闲置土地处置办法》 (国土资源部令第53号, 2012), article 2, evaluated as of a date.
 *
 * A supplied parcel is idle when
 *   rule 1: work has not started one year or more after the agreed start date (约定动工日期); or
 *   rule 2: work started, but the developed area is under 1/3 of the area to develop, or the investment made
 *           is under 25 % of the total investment, and work has been stopped for one year or more.
 * "Started" means foundations at ±0.00 (the started_date). Idle one year: a fee of 20 % of the land price
 * (闲置费); two years: the land can be taken back without compensation (无偿收回).
 * "One year" is the same calendar date a year later. Events after the as-of date are ignored, so the same
 * parcel can be judged at any date.
 *
 * Article 8: when the delay is the government's (land not delivered, planning changed, …) or force majeure,
 * the land bureau and the user sign an agreement extending the start date (延长动工开发期限, Art. 12); rule 1
 * then counts from the extended date. An extension applies from the day it was signed: judged as of an
 * earlier date the parcel is what it was then (idle, perhaps), judged on or after it the parcel is on its
 * new schedule — also when it had already been idle, because Art. 8 delays are handled by the agreement,
 * not by the idle fee. The latest agreement signed by the as-of date applies (each one moves the date later).
 */
import { daysBetween } from './dates.ts';

export interface IdleLandInput {
  status: string;
  supplied_date: string | null;
  agreed_start_date: string | null;
  started_date: string | null;
  planned_building_area_m2: number | null;
  developed_area_m2: number | null;
  agreed_investment_wan: number | null;
  invested_wan: number | null;
  work_stopped_since: string | null;
  land_price_wan: number | null;
  /** Agreements extending the agreed start date (any order); those signed after the as-of date are ignored. */
  extensions?: readonly StartExtension[] | null;
}

/** An agreement extending the agreed start date: the new date, and the day it was signed. */
export interface StartExtension {
  start_date: string;
  signed_on: string;
}

/** A parcel as the idle-land report lists it (server rows and client rows share this shape). */
export interface IdleParcelRow extends IdleLandInput {
  id: number;
  code: string;
  zone_id: number;
  zone_name: string;
  area_m2: number;
  /** How many extensions were signed by the as-of date. */
  extension_count: number;
}

export type IdleState = 'not_supplied' | 'no_agreed_date' | 'fine' | 'at_risk' | 'idle';
export type IdleStage = 'fee' | 'take_back' | null;

export interface IdleAssessment {
  state: IdleState;
  /** The extended start date in force on the as-of date (Art. 8 / 12), or null when none was signed by then. */
  extendedTo: string | null;
  /** Which rule makes (or will make) the parcel idle. */
  rule: 1 | 2 | null;
  /** The date the parcel became (or will become) idle. */
  idleFrom: string | null;
  /** Days until idle (0 or more) while not yet idle; null when no countdown runs. */
  daysLeft: number | null;
  /** Days since the parcel became idle. */
  daysIdle: number | null;
  stage: IdleStage;
  /** 闲置费: 20 % of the land price, from the first year idle (万元). */
  feeWan: number | null;
  /** Developed share of the area to develop, and invested share of the agreed investment (0..1). */
  developedShare: number | null;
  investedShare: number | null;
  daysStopped: number | null;
}

export interface IdleRuleSettings {
  /** A parcel is "at risk" when it becomes idle within this many days. */
  atRiskDays: number;
  /** Rule 2 thresholds, from the regulation. */
  developedShareThreshold: number;
  investedShareThreshold: number;
  feeShareOfPrice: number;
}

export const DEFAULT_IDLE_RULE: IdleRuleSettings = {
  atRiskDays: 90,
  developedShareThreshold: 1 / 3,
  investedShareThreshold: 0.25,
  feeShareOfPrice: 0.2,
};

const DAY_MS = 86_400_000;
const toTime = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** Kept here for the callers that import it with the idle rule. */
export { daysBetween };
/** The same calendar date `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  // Only 29 February can move: to 28 February in a common year. Every other date keeps its month and day.
  if (date.endsWith('-02-29') && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-02-28`;
  return `${y}${date.slice(4)}`;
}

/** The date `days` later (earlier when negative). */
export function addDays(date: string, days: number): string {
  return new Date(toTime(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The latest date a rule's clock (agreed start date, or the day work stopped) can have started for the parcel
 * to be idle by `asOf + horizonDays`. A year is at least 365 days, so every parcel the rule makes idle or
 * at risk within the horizon has its clock on or before this date: SQL may pre-select with it, and the rule
 * (assessIdleLand) still decides each parcel it returns.
 */
export function latestClockStartWithin(asOf: string, horizonDays: number): string {
  return addDays(asOf, horizonDays - 365);
}

/** The extension in force on the date: the latest one signed on or before it (each moves the date later). */
export function extensionInForce(extensions: readonly StartExtension[] | null | undefined, asOf: string): StartExtension | null {
  let latest: StartExtension | null = null;
  for (const e of extensions ?? []) {
    if (e.signed_on > asOf) continue;
    if (!latest || e.signed_on > latest.signed_on || (e.signed_on === latest.signed_on && e.start_date > latest.start_date)) latest = e;
  }
  return latest;
}

export const SUPPLIED_OR_LATER = ['supplied', 'started', 'completed', 'producing', 'at_capacity'];

export function assessIdleLand(p: IdleLandInput, asOf: string, settings: IdleRuleSettings = DEFAULT_IDLE_RULE): IdleAssessment {
  const base: IdleAssessment = {
    state: 'fine',
    extendedTo: extensionInForce(p.extensions, asOf)?.start_date ?? null,
    rule: null,
    idleFrom: null,
    daysLeft: null,
    daysIdle: null,
    stage: null,
    feeWan: null,
    developedShare: p.planned_building_area_m2 ? (p.developed_area_m2 ?? 0) / p.planned_building_area_m2 : null,
    investedShare: p.agreed_investment_wan ? (p.invested_wan ?? 0) / p.agreed_investment_wan : null,
    daysStopped: null,
  };
  const supplied = SUPPLIED_OR_LATER.includes(p.status) && p.supplied_date !== null && p.supplied_date <= asOf;
  if (!supplied) return { ...base, state: 'not_supplied' };

  const startedByAsOf = p.started_date !== null && p.started_date <= asOf;
  let rule: 1 | 2;
  let idleFrom: string;
  if (!startedByAsOf) {
    const agreedStart = base.extendedTo ?? p.agreed_start_date;
    if (!agreedStart) return { ...base, state: 'no_agreed_date' };
    rule = 1;
    idleFrom = addYears(agreedStart, 1);
  } else {
    const littleDeveloped = base.developedShare !== null && base.developedShare < settings.developedShareThreshold;
    const littleInvested = base.investedShare !== null && base.investedShare < settings.investedShareThreshold;
    const stopped = p.work_stopped_since !== null && p.work_stopped_since <= asOf;
    if (!stopped || !(littleDeveloped || littleInvested)) return base;
    rule = 2;
    idleFrom = addYears(p.work_stopped_since!, 1);
    base.daysStopped = daysBetween(p.work_stopped_since!, asOf);
  }

  if (asOf < idleFrom) {
    const daysLeft = daysBetween(asOf, idleFrom);
    return { ...base, rule, idleFrom, daysLeft, state: daysLeft <= settings.atRiskDays ? 'at_risk' : 'fine' };
  }
  // Idle from the first anniversary; from the second the land can be taken back.
  const stage: IdleStage = asOf >= addYears(idleFrom, 1) ? 'take_back' : 'fee';
  return {
    ...base,
    rule,
    idleFrom,
    state: 'idle',
    daysIdle: daysBetween(idleFrom, asOf),
    stage,
    feeWan: p.land_price_wan !== null ? Math.round(p.land_price_wan * settings.feeShareOfPrice * 100) / 100 : null,
  };
}

/** 土地闲置率 = idle area ÷ supplied area; null when nothing is supplied (not 0 %). */
export function idleRatio(idleAreaM2: number, suppliedAreaM2: number): number | null {
  return suppliedAreaM2 > 0 ? idleAreaM2 / suppliedAreaM2 : null;
}

/** A number that orders parcels by urgency: idle longest first, then the shortest countdown, then the rest. */
export function urgencyKey(x: IdleAssessment): number {
  if (x.state === 'idle') return -(x.daysIdle ?? 0);
  if (x.state === 'at_risk') return 1e7 + (x.daysLeft ?? 0);
  if (x.state === 'fine') return 2e7 + (x.daysLeft ?? 1e6);
  return 3e7;
}

/** Urgency order for lists: idle longest first, then the shortest countdown. */
export function compareUrgency(a: IdleAssessment, b: IdleAssessment): number {
  return urgencyKey(a) - urgencyKey(b);
}
