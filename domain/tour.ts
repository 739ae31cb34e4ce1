/**
 * 观摩 / 看述评: the inspection tour. The judges score each visited project on weighted criteria; the results
 * rank the projects, the zones and the counties/cities. Pure functions: the server gives them rows, the
 * client and the results sheet show what they return, the tests compute the same figures by hand.
 *
 * The rules (said once here, shown on the results page and sheet):
 * - A criterion is scored 0 … its maximum; a judge's total for a project = Σ score ÷ max × weight, with the
 *   weights summing to 100, so a total is out of 100 points.
 * - A judge counts for a project only when they scored every criterion of it; a judge who skipped the project
 *   (or left it half done) is not counted for it, and the others' mean stands.
 * - A project's score is the mean of its judges' totals; when at least N judges count (N: the tour's
 *   setting, default 5), the single highest and the single lowest total are dropped first (去掉一个最高分、
 *   一个最低分).
 * - Ranks are competition ranks (1, 2, 2, 4): equal scores share a rank and the next rank skips. Scores are
 *   compared as shown, to two decimals.
 * - A zone's (or county's, or city's) score is the plain mean of the scores of its scored projects on the
 *   tour, not weighted by investment; zones are ranked by it like projects.
 */
import { distance } from '@turf/turf';

export const DEFAULT_MIN_JUDGES_FOR_TRIM = 5;

export const TOUR_STATUSES = [
  { key: 'planning', zh: '筹备中', en: 'Planning' },
  { key: 'scoring', zh: '评分中', en: 'Scoring' },
  { key: 'closed', zh: '已结束', en: 'Closed' },
] as const;
export type TourStatus = (typeof TOUR_STATUSES)[number]['key'];
export const TOUR_STATUS_KEYS: readonly TourStatus[] = TOUR_STATUSES.map((s) => s.key);

export const TOUR_SCOPES = [
  { key: 'city', zh: '全市', en: 'City' },
  { key: 'zone', zh: '园区', en: 'Zone' },
] as const;
export type TourScope = (typeof TOUR_SCOPES)[number]['key'];

/** The usual 观摩 criteria (weights sum to 100). */
export const DEFAULT_TOUR_CRITERIA = [
  { name: '投资规模', weight: 20, max_score: 10 },
  { name: '建设进度', weight: 25, max_score: 10 },
  { name: '产业带动', weight: 20, max_score: 10 },
  { name: '亩均效益', weight: 20, max_score: 10 },
  { name: '汇报质量', weight: 15, max_score: 10 },
] as const;

export interface Criterion {
  id: number;
  weight: number;
  max_score: number;
}

export interface ScoreRow {
  judge_id: number;
  project_id: number;
  criterion_id: number;
  score: number;
}

/** Whether the weights make 100 points (to a hundredth). */
export function weightsSumTo100(criteria: Pick<Criterion, 'weight'>[]): boolean {
  return Math.abs(criteria.reduce((s, c) => s + c.weight, 0) - 100) < 0.005;
}

/**
 * One judge's total for one project, in points out of Σ weights (100): Σ score ÷ max × weight.
 * null when any criterion is missing (the judge is not counted for the project).
 * Example: scores 8/10 at weight 20 and 5/10 at weight 80 → 16 + 40 = 56.
 */
export function judgeTotalPoints(criteria: Criterion[], scores: Map<number, number>): number | null {
  let total = 0;
  for (const c of criteria) {
    const s = scores.get(c.id);
    if (s === undefined) return null;
    total += (s / c.max_score) * c.weight;
  }
  return total;
}

export interface TrimmedMean {
  /** Points out of 100; null when no judge counted. */
  score: number | null;
  judges: number;
  trimmed: boolean;
  /** The totals dropped (the highest, then the lowest) when trimmed. */
  dropped: number[];
}

/** The mean of the totals, dropping the single highest and lowest when there are at least `minForTrim`. */
export function trimmedMean(totals: number[], minForTrim: number): TrimmedMean {
  if (totals.length === 0) return { score: null, judges: 0, trimmed: false, dropped: [] };
  const sorted = [...totals].sort((a, b) => a - b);
  const trimmed = totals.length >= minForTrim && totals.length >= 3;
  const kept = trimmed ? sorted.slice(1, -1) : sorted;
  return {
    score: kept.reduce((s, v) => s + v, 0) / kept.length,
    judges: totals.length,
    trimmed,
    dropped: trimmed ? [sorted[sorted.length - 1], sorted[0]] : [],
  };
}

export interface ProjectScore extends TrimmedMean {
  project_id: number;
  /** Each counted judge's total, by judge id. */
  totals: { judge_id: number; total: number }[];
}

/** Every project's score from the tour's score rows. Projects listed but not scored get score null. */
export function projectScores(projectIds: number[], criteria: Criterion[], rows: ScoreRow[], minForTrim: number): ProjectScore[] {
  const byProjectJudge = new Map<number, Map<number, Map<number, number>>>();
  for (const r of rows) {
    let judges = byProjectJudge.get(r.project_id);
    if (!judges) byProjectJudge.set(r.project_id, (judges = new Map()));
    let scores = judges.get(r.judge_id);
    if (!scores) judges.set(r.judge_id, (scores = new Map()));
    scores.set(r.criterion_id, r.score);
  }
  return projectIds.map((project_id) => {
    const totals: { judge_id: number; total: number }[] = [];
    for (const [judge_id, scores] of [...(byProjectJudge.get(project_id) ?? new Map<number, Map<number, number>>())].sort((a, b) => a[0] - b[0])) {
      const total = judgeTotalPoints(criteria, scores);
      if (total !== null) totals.push({ judge_id, total });
    }
    return {
      project_id,
      totals,
      ...trimmedMean(
        totals.map((t) => t.total),
        minForTrim,
      ),
    };
  });
}

/** Scores are compared as shown: to two decimals. */
const shown = (v: number) => Math.round(v * 100) / 100;

/**
 * Competition ranks (1, 2, 2, 4) by score, highest first; items without a score get rank null and come last.
 * Equal ranks keep the items' given order.
 */
export function competitionRanks<T extends { score: number | null }>(items: T[]): (T & { rank: number | null })[] {
  const scored = items.filter((i) => i.score !== null).sort((a, b) => shown(b.score!) - shown(a.score!));
  const ranked = scored.map((item, i) => ({ ...item, rank: i + 1 }));
  for (let i = 1; i < ranked.length; i++) {
    if (shown(ranked[i].score!) === shown(ranked[i - 1].score!)) ranked[i].rank = ranked[i - 1].rank;
  }
  return [...ranked, ...items.filter((i) => i.score === null).map((item) => ({ ...item, rank: null }))];
}

export interface GroupScore {
  key: string;
  score: number | null;
  projects: number;
  rank: number | null;
}

/**
 * A group's score (a zone, a county, a city): the plain mean of the scores of its scored projects; ranked
 * with competition ranks. Groups with no scored project are listed last with no rank.
 */
export function groupRanking(items: { group: string; score: number | null }[]): GroupScore[] {
  const groups = new Map<string, number[]>();
  for (const i of items) {
    if (!groups.has(i.group)) groups.set(i.group, []);
    if (i.score !== null) groups.get(i.group)!.push(i.score);
  }
  return competitionRanks(
    [...groups].map(([key, scores]) => ({ key, projects: scores.length, score: scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null })),
  );
}

export type LngLat = [number, number];

/** Great-circle distance in km between two points (Turf, on a sphere of 6371.0088 km). */
export function legKm(a: LngLat, b: LngLat): number {
  return distance(a, b, { units: 'kilometers' });
}

/** Each leg's length in km (the first stop's is 0) and the route's total, in the order given. */
export function routeLengthKm(points: LngLat[]): { legsKm: number[]; totalKm: number } {
  const legsKm = points.map((p, i) => (i === 0 ? 0 : legKm(points[i - 1], p)));
  return { legsKm, totalKm: legsKm.reduce((s, v) => s + v, 0) };
}

/**
 * A visiting order by nearest neighbour from the first stop: from each stop go to the nearest not yet visited
 * (ties: the earlier in the given list). Returns indexes into `points`; the first stays first. Not the
 * shortest tour in general, but a sensible bus route for 5–15 stops.
 */
export function nearestNeighbourOrder(points: LngLat[]): number[] {
  if (points.length === 0) return [];
  const order = [0];
  const left = new Set(points.map((_, i) => i).slice(1));
  while (left.size) {
    const here = points[order[order.length - 1]];
    let best = -1;
    let bestKm = Infinity;
    for (const i of left) {
      const km = legKm(here, points[i]);
      if (km < bestKm) {
        best = i;
        bestKm = km;
      }
    }
    order.push(best);
    left.delete(best);
  }
  return order;
}
