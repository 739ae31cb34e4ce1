/**
 * 三个一批 follow-up: of the projects a round listed as signed / started / producing, the share that has
 * since started / gone into production / reached design capacity, by investment (万元) or by count.
 * Formulas: shared/docs/domain.md "三个一批". Pure: the server and the page use the same code.
 */
import { isValidDate, msg, type Message } from './parcelFields.ts';
import { DEFAULT_STAGE_LIST, stageDate, type StageDef } from './projectStages.ts';

export type Batch = 'signed' | 'started' | 'producing';
export const BATCHES: readonly Batch[] = ['signed', 'started', 'producing'];
export type RateBasis = 'investment' | 'count';
export const RATE_BASES: readonly RateBasis[] = ['investment', 'count'];
export type RateKey = 'start' | 'produce' | 'capacity';

/** What the follow-up needs of a project. Dates are YYYY-MM-DD or null. */
export interface FollowedProject {
  id: number;
  name: string;
  zone_id: number;
  is_industrial: boolean;
  stage: string;
  total_investment_wan: number | null;
  completed_investment_wan: number | null;
  planned_date?: string | null;
  signed_date: string | null;
  landed_date: string | null;
  started_date: string | null;
  producing_date: string | null;
  at_capacity_date: string | null;
  /** Dates of the stages a city added to the list (projectStages.ts). */
  extra_stage_dates?: Record<string, string | null> | null;
}

export interface RoundEntry {
  round_id: number;
  project_id: number;
  batch: Batch;
}

export interface RateResult {
  key: RateKey;
  /** The batch whose projects make the base. */
  batch: Batch;
  basis: RateBasis;
  /** Projects in the base (listed in the batch; for 达产率 the industrial ones). */
  base: number[];
  /** Of those, the ones that reached the next step by the date. */
  achieved: number[];
  /** Projects left out of an investment basis because a figure it needs is missing. */
  withoutFigures: number[];
  /** Σ of the numerator: 万元 by investment, projects by count. */
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, 0..1; null ("—") when there is nothing to divide by. */
  share: number | null;
}

export interface RatesReport {
  basis: RateBasis;
  asOf: string;
  start: RateResult;
  produce: RateResult;
  capacity: RateResult;
  /** Projects refused because their stage dates are out of order, with the reason. */
  refused: { id: number; name: string; message: Message }[];
}

/**
 * null when the stage dates come in the order of the stages (gaps allowed: a project may skip a stage),
 * otherwise the first pair out of order, e.g. started 2024-05-01 before signed 2024-06-01.
 */
export function stageDatesOutOfOrder(record: object, stages: readonly StageDef[] = DEFAULT_STAGE_LIST): Message | null {
  let previous: { zh: string; en: string; date: string } | null = null;
  for (const s of stages) {
    const d = stageDate(record, s.key);
    if (!d) continue;
    if (previous && d < previous.date) {
      return msg(
        `${s.en} (${d}) is before ${previous.en.toLowerCase()} (${previous.date}): stage dates must come in order.`,
        `${s.zh}日期（${d}）早于${previous.zh}日期（${previous.date}）：各阶段日期须依次排列。`,
      );
    }
    previous = { zh: s.zh, en: s.en, date: d };
  }
  return null;
}

/**
 * Whether the project had reached the stage by the date: a date of that stage or of any later one on or
 * before it (a project that skipped 落地 has still "landed" once it started).
 */
export function reachedStage(p: FollowedProject, stage: string, asOf: string, stages: readonly StageDef[] = DEFAULT_STAGE_LIST): boolean {
  const from = stages.findIndex((s) => s.key === stage);
  if (from < 0) throw new RangeError(`Unknown stage "${stage}".`);
  return stages.slice(from).some((s) => {
    const d = stageDate(p, s.key);
    return d !== null && d <= asOf;
  });
}

const RATE_DEFS: Record<RateKey, { batch: Batch; next: string; industrialOnly: boolean }> = {
  start: { batch: 'signed', next: 'started', industrialOnly: false },
  produce: { batch: 'started', next: 'producing', industrialOnly: false },
  capacity: { batch: 'producing', next: 'at_capacity', industrialOnly: true },
};

function rate(key: RateKey, projects: FollowedProject[], basis: RateBasis, asOf: string, stages: readonly StageDef[]): RateResult {
  const def = RATE_DEFS[key];
  const base = def.industrialOnly ? projects.filter((p) => p.is_industrial) : projects;
  const achieved = base.filter((p) => reachedStage(p, def.next, asOf, stages));
  const withoutFigures: number[] = [];
  let numerator = 0;
  let denominator = 0;
  if (basis === 'count') {
    numerator = achieved.length;
    denominator = base.length;
  } else {
    for (const p of base) {
      const hit = achieved.includes(p);
      // 开工投产率 counts the *completed* investment of the producing projects over the total of all started.
      const needsCompleted = key === 'produce' && hit;
      if (p.total_investment_wan === null || (needsCompleted && p.completed_investment_wan === null)) {
        withoutFigures.push(p.id);
        continue;
      }
      denominator += p.total_investment_wan;
      if (hit) numerator += key === 'produce' ? p.completed_investment_wan! : p.total_investment_wan;
    }
  }
  const counted = new Set(withoutFigures);
  return {
    key,
    batch: def.batch,
    basis,
    base: base.filter((p) => !counted.has(p.id)).map((p) => p.id),
    achieved: achieved.filter((p) => !counted.has(p.id)).map((p) => p.id),
    withoutFigures,
    numerator,
    denominator,
    share: denominator > 0 ? numerator / denominator : null,
  };
}

/**
 * The three rates for the projects listed in the given round entries (one or several rounds): a project
 * listed in the same batch of two rounds counts once; one listed as signed in one round and as started in
 * the next counts in both batches. Projects whose stage dates are out of order are refused and reported.
 *
 * Example (by count): signed batch A (started), B (not) → start.share = 0.5.
 */
export function threeBatchRates(
  projects: FollowedProject[],
  entries: RoundEntry[],
  basis: RateBasis,
  asOf: string,
  stages: readonly StageDef[] = DEFAULT_STAGE_LIST,
): RatesReport {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const refused: RatesReport['refused'] = [];
  const refusedIds = new Set<number>();
  for (const p of projects) {
    const problem = stageDatesOutOfOrder(p, stages);
    if (problem) {
      refused.push({ id: p.id, name: p.name, message: problem });
      refusedIds.add(p.id);
    }
  }
  const inBatch = (batch: Batch) => {
    const ids = new Set(entries.filter((e) => e.batch === batch && !refusedIds.has(e.project_id)).map((e) => e.project_id));
    return [...ids]
      .map((id) => byId.get(id))
      .filter((p): p is FollowedProject => p !== undefined)
      .sort((a, b) => a.id - b.id);
  };
  return {
    basis,
    asOf,
    start: rate('start', inBatch('signed'), basis, asOf, stages),
    produce: rate('produce', inBatch('started'), basis, asOf, stages),
    capacity: rate('capacity', inBatch('producing'), basis, asOf, stages),
    refused,
  };
}

/** The batches as the reports name them. */
export const BATCH_LABELS: Record<Batch, Message> = {
  signed: msg('Signed batch', '签约一批'),
  started: msg('Started batch', '开工一批'),
  producing: msg('Producing batch', '投产一批'),
};

export function isBatch(value: unknown): value is Batch {
  return typeof value === 'string' && (BATCHES as readonly string[]).includes(value);
}

export const ROUND_NAME_MAX = 40;

/**
 * Checks a round's name and date as a person types them (e.g. "2026年第二次", 2026-09-20): the name is 1–40
 * characters once trimmed, with no control characters; the date a real YYYY-MM-DD. `partial` checks only
 * the fields given (a rename). Returns the problems, none when fine.
 */
export function checkRoundInput(input: { name?: unknown; held_on?: unknown }, partial = false): Message[] {
  const problems: Message[] = [];
  if (!partial || input.name !== undefined) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (typeof input.name !== 'string' || name === '') problems.push(msg('The round needs a name, e.g. "2026年第二次".', '轮次须有名称，例如“2026年第二次”。'));
    else if ([...name].length > ROUND_NAME_MAX)
      problems.push(msg(`A round's name has at most ${ROUND_NAME_MAX} characters.`, `轮次名称最多 ${ROUND_NAME_MAX} 个字。`));
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(name))
      problems.push(msg("A round's name cannot contain line breaks or control characters.", '轮次名称不能包含换行或控制字符。'));
  }
  if (!partial || input.held_on !== undefined) {
    if (typeof input.held_on !== 'string' || !isValidDate(input.held_on)) {
      problems.push(
        msg(
          `The date the round was held must be a date YYYY-MM-DD between 1990 and 2100, got "${String(input.held_on ?? '').slice(0, 20)}".`,
          `举办日期须为 1990—2100 年间的 YYYY-MM-DD 日期，收到“${String(input.held_on ?? '').slice(0, 20)}”。`,
        ),
      );
    }
  }
  if (partial && input.name === undefined && input.held_on === undefined)
    problems.push(msg('Nothing to change: give name or held_on.', '没有要修改的内容：请提供名称或日期。'));
  return problems;
}
