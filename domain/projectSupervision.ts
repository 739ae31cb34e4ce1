/**
 * Project supervision: the "三未" lists (签而未落, 落而未投, 投而未效) with how long each project has been
 * stuck, and the traffic lights (红黄绿) against the planned dates with configurable thresholds.
 * Pure functions; the thresholds are a setting an administrator changes (server/routes/supervision.ts).
 */
import { daysBetween } from './dates.ts';
import { PROJECT_STAGES } from './lifecycle.ts';
import { msg, type Message } from './parcelFields.ts';
import { reachedStage, type FollowedProject } from './threeBatches.ts';
import { DEFAULT_STAGE_LIST, stageDate, type StageDef } from './projectStages.ts';

export { daysBetween };

/** A project's planned dates (what the contract says) and its actual output and tax beside the agreed. */
export interface ProjectPlan {
  plan_landed_date: string | null;
  plan_started_date: string | null;
  plan_producing_date: string | null;
  plan_at_capacity_date: string | null;
  actual_annual_output_wan: number | null;
  agreed_annual_tax_wan: number | null;
  actual_annual_tax_wan: number | null;
}

export interface SupervisedProject extends FollowedProject, Partial<ProjectPlan> {
  expected_annual_output_wan?: number | null;
}

export type SanweiKind = 'signed_not_landed' | 'landed_not_producing' | 'producing_not_effective';
export const SANWEI_KINDS = [
  { key: 'signed_not_landed', zh: '签而未落', en: 'Signed, not landed' },
  { key: 'landed_not_producing', zh: '落而未投', en: 'Landed, not producing' },
  { key: 'producing_not_effective', zh: '投而未效', en: 'Producing, below agreed' },
] as const satisfies readonly { key: SanweiKind; zh: string; en: string }[];
export const SANWEI_KEYS: readonly SanweiKind[] = SANWEI_KINDS.map((k) => k.key);

export interface SanweiResult {
  kind: SanweiKind;
  /** The date the project entered the state it is stuck in. */
  since: string;
  /** Days from `since` to the as-of date. */
  days: number;
  /** 投而未效: actual ÷ agreed, 0..1 (null when not compared). */
  outputShare: number | null;
  taxShare: number | null;
}

/**
 * Which "三未" list a project is on as of a date, or null:
 * - 签而未落: signed by the date, not landed (no land or approvals) — stuck since signing;
 * - 落而未投: landed or started, not producing — stuck since landing (or starting, if it skipped 落地);
 * - 投而未效: producing, with output or tax below what was agreed — since it went into production.
 * Example: signed 2026-01-01, nothing since, as of 2026-03-02 → { kind: 'signed_not_landed', days: 60 }.
 */
export function classifySanwei(p: SupervisedProject, asOf: string, stages: readonly StageDef[] = DEFAULT_STAGE_LIST): SanweiResult | null {
  const reached = (stage: string) => reachedStage(p, stage, asOf, stages);
  if (!reached('signed')) return null;
  const firstDate = (keys: string[]) => {
    for (const k of keys) {
      const d = (p as unknown as Record<string, string | null | undefined>)[`${k}_date`];
      if (d && d <= asOf) return d;
    }
    return null;
  };
  const result = (kind: SanweiKind, since: string, outputShare: number | null = null, taxShare: number | null = null): SanweiResult => ({
    kind,
    since,
    days: Math.max(0, daysBetween(since, asOf)),
    outputShare,
    taxShare,
  });
  if (!reached('landed')) return result('signed_not_landed', firstDate(['signed']) ?? firstReached(p, asOf, stages, 'signed'));
  // Landed by a later date only (an added stage after 落地 without the landing date): since that date.
  if (!reached('producing')) return result('landed_not_producing', firstDate(['landed', 'started']) ?? firstReached(p, asOf, stages, 'landed'));
  const share = (actual: number | null | undefined, agreed: number | null | undefined) =>
    actual === null || actual === undefined || agreed === null || agreed === undefined || agreed <= 0 ? null : actual / agreed;
  const outputShare = share(p.actual_annual_output_wan, p.expected_annual_output_wan);
  const taxShare = share(p.actual_annual_tax_wan, p.agreed_annual_tax_wan);
  if ((outputShare !== null && outputShare < 1) || (taxShare !== null && taxShare < 1)) {
    return result('producing_not_effective', firstDate(['producing', 'at_capacity']) ?? firstReached(p, asOf, stages, 'producing'), outputShare, taxShare);
  }
  return null;
}

/** The earliest date on or before asOf of the stage or any later one (the day the project was past it). */
function firstReached(p: SupervisedProject, asOf: string, stages: readonly StageDef[], stage: string): string {
  const from = stages.findIndex((s) => s.key === stage);
  const dates = stages
    .slice(from)
    .map((s) => stageDate(p, s.key))
    .filter((d): d is string => d !== null && d <= asOf);
  return dates.sort()[0];
}

// ---------------------------------------------------------------------------------------------------
// Traffic lights

export type Light = 'green' | 'yellow' | 'red' | 'none';
export const LIGHTS = [
  { key: 'green', zh: '绿灯', en: 'Green', color: '#38a169' },
  { key: 'yellow', zh: '黄灯', en: 'Yellow', color: '#d69e2e' },
  { key: 'red', zh: '红灯', en: 'Red', color: '#e53e3e' },
  { key: 'none', zh: '无计划', en: 'No plan', color: '#a0aec0' },
] as const satisfies readonly { key: Light; zh: string; en: string; color: string }[];
export const LIGHT_KEYS: readonly Light[] = LIGHTS.map((l) => l.key);

/** Days behind a planned date: up to yellowAfterDays is still green, up to redAfterDays yellow, beyond red. */
export interface LightThresholds {
  yellowAfterDays: number;
  redAfterDays: number;
}
export const DEFAULT_LIGHT_THRESHOLDS: LightThresholds = { yellowAfterDays: 0, redAfterDays: 90 };

export function checkLightThresholds(value: unknown): Message[] {
  const problems: Message[] = [];
  const v = value as Partial<LightThresholds> | null;
  if (!v || typeof v !== 'object') return [msg('Thresholds are { yellowAfterDays, redAfterDays }.', '阈值须包含黄灯天数与红灯天数。')];
  const ok = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 3650;
  if (!ok(v.yellowAfterDays)) problems.push(msg('yellowAfterDays must be a whole number of days from 0 to 3650.', '黄灯天数须为 0–3650 的整数。'));
  if (!ok(v.redAfterDays)) problems.push(msg('redAfterDays must be a whole number of days from 0 to 3650.', '红灯天数须为 0–3650 的整数。'));
  if (problems.length === 0 && v.redAfterDays! <= v.yellowAfterDays!) {
    problems.push(msg('redAfterDays must be greater than yellowAfterDays.', '红灯天数须大于黄灯天数。'));
  }
  const extra = Object.keys(v).filter((k) => k !== 'yellowAfterDays' && k !== 'redAfterDays');
  if (extra.length) problems.push(msg(`Unknown threshold ${extra.join(', ')}.`, `未知的阈值：${extra.join('、')}。`));
  return problems;
}

export interface LightResult {
  light: Light;
  /** The step the project is late for (or next due), null when it has no plan or is done. */
  dueStage: string | null;
  dueDate: string | null;
  /** Days past the planned date (0 when not yet due). */
  daysLate: number;
}

const PLANNED_STAGES = ['landed', 'started', 'producing', 'at_capacity'] as const;

/**
 * The light of a project as of a date: the first planned step it has not reached decides. Late by more
 * than redAfterDays → red, by more than yellowAfterDays → yellow, otherwise green. A project at design
 * capacity is green; one with no planned date for any step it has yet to reach has no light ("none").
 * Example: planned start 2026-01-01, not started, as of 2026-02-15, thresholds 0/90 → yellow, 45 days late.
 */
export function trafficLight(
  p: SupervisedProject,
  asOf: string,
  t: LightThresholds = DEFAULT_LIGHT_THRESHOLDS,
  stages: readonly StageDef[] = DEFAULT_STAGE_LIST,
): LightResult {
  if (reachedStage(p, 'at_capacity', asOf, stages)) return { light: 'green', dueStage: null, dueDate: null, daysLate: 0 };
  const rec = p as unknown as Record<string, string | null | undefined>;
  const open = PLANNED_STAGES.filter((s) => !reachedStage(p, s, asOf, stages) && rec[`plan_${s}_date`]);
  if (open.length === 0) return { light: 'none', dueStage: null, dueDate: null, daysLate: 0 };
  // The earliest planned date among the steps not reached (plans are in order, but do not rely on it).
  const due = open.reduce((a, b) => (rec[`plan_${b}_date`]! < rec[`plan_${a}_date`]! ? b : a));
  const dueDate = rec[`plan_${due}_date`]!;
  const daysLate = Math.max(0, daysBetween(dueDate, asOf));
  const light: Light = daysLate > t.redAfterDays ? 'red' : daysLate > t.yellowAfterDays ? 'yellow' : 'green';
  return { light, dueStage: due, dueDate, daysLate };
}

/** The planned-date fields in stage order, for forms and checks. */
export const PLAN_DATE_FIELDS = PLANNED_STAGES.map((s) => ({ field: `plan_${s}_date`, stage: s, ...PROJECT_STAGES.find((x) => x.key === s)! }));

export function countLights(lights: Light[]): Record<Light, number> {
  const counts: Record<Light, number> = { green: 0, yellow: 0, red: 0, none: 0 };
  for (const l of lights) counts[l]++;
  return counts;
}
