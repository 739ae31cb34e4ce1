/** 观摩 scores and rankings, route lengths and stop order, against figures worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import {
  competitionRanks,
  groupRanking,
  judgeTotalPoints,
  nearestNeighbourOrder,
  projectScores,
  routeLengthKm,
  trimmedMean,
  weightsSumTo100,
  type Criterion,
  type ScoreRow,
} from '../../domain/tour.ts';

// Two criteria: c1 weight 40 out of 10 (4 points per score point), c2 weight 60 out of 5 (12 points per point).
const criteria: Criterion[] = [
  { id: 1, weight: 40, max_score: 10 },
  { id: 2, weight: 60, max_score: 5 },
];
const judge = (judge_id: number, project_id: number, c1: number, c2?: number): ScoreRow[] => [
  { judge_id, project_id, criterion_id: 1, score: c1 },
  ...(c2 === undefined ? [] : [{ judge_id, project_id, criterion_id: 2, score: c2 }]),
];

const rows: ScoreRow[] = [
  // Project 10: five judges. Totals 100, 80, 64, 96, 44; trimmed (drop 100 and 44): (80 + 64 + 96) / 3 = 80.
  ...judge(1, 10, 10, 5),
  ...judge(2, 10, 8, 4),
  ...judge(3, 10, 7, 3),
  ...judge(4, 10, 9, 5),
  ...judge(5, 10, 5, 2),
  // Project 20: judge 5 scored only c1 (half done: not counted) → four judges, one fewer than N = 5:
  // totals 60, 100, 80, 40, not trimmed: 280 / 4 = 70.
  ...judge(1, 20, 6, 3),
  ...judge(2, 20, 10, 5),
  ...judge(3, 20, 5, 5),
  ...judge(4, 20, 10, 0),
  ...judge(5, 20, 9),
  // Project 30: all five give (5, 5) = 20 + 60 = 80; trimmed mean 80: ties with project 10.
  ...[1, 2, 3, 4, 5].flatMap((j) => judge(j, 30, 5, 5)),
  // Project 40: nobody scored it.
];

describe('a judge’s total', () => {
  it('is Σ score ÷ max × weight', () => {
    // 8/10 × 40 = 32; 4/5 × 60 = 48 → 80.
    expect(
      judgeTotalPoints(
        criteria,
        new Map([
          [1, 8],
          [2, 4],
        ]),
      ),
    ).toBeCloseTo(80, 10);
  });
  it('is missing when a criterion is missing', () => {
    expect(judgeTotalPoints(criteria, new Map([[1, 8]]))).toBeNull();
  });
  it('with the default-like weights 20/25/20/20/15 out of 10 each: 7, 8, 6, 9, 10 → 14 + 20 + 12 + 18 + 15 = 79', () => {
    const five = [20, 25, 20, 20, 15].map((weight, i) => ({ id: i + 1, weight, max_score: 10 }));
    expect(weightsSumTo100(five)).toBe(true);
    expect(
      judgeTotalPoints(
        five,
        new Map([
          [1, 7],
          [2, 8],
          [3, 6],
          [4, 9],
          [5, 10],
        ]),
      ),
    ).toBeCloseTo(79, 10);
  });
  it('weights must make 100', () => {
    expect(weightsSumTo100([{ weight: 40 }, { weight: 50 }])).toBe(false);
    expect(weightsSumTo100([{ weight: 33.33 }, { weight: 33.33 }, { weight: 33.34 }])).toBe(true);
  });
});

describe('trimmed mean', () => {
  it('drops the highest and the lowest with exactly N judges', () => {
    // 5 totals, N = 5: drop 100 and 44 → (80 + 64 + 96) / 3 = 80.
    expect(trimmedMean([100, 80, 64, 96, 44], 5)).toEqual({ score: 80, judges: 5, trimmed: true, dropped: [100, 44] });
  });
  it('keeps all with N − 1 judges', () => {
    // 4 totals, N = 5: (60 + 100 + 80 + 40) / 4 = 70.
    expect(trimmedMean([60, 100, 80, 40], 5)).toEqual({ score: 70, judges: 4, trimmed: false, dropped: [] });
  });
  it('has no score without judges', () => {
    expect(trimmedMean([], 5).score).toBeNull();
  });
});

describe('project scores and ranks', () => {
  const scores = projectScores([10, 20, 30, 40], criteria, rows, 5);
  it('counts the judges who scored every criterion', () => {
    const byId = Object.fromEntries(scores.map((s) => [s.project_id, s]));
    expect(byId[10]).toMatchObject({ score: 80, judges: 5, trimmed: true });
    expect(byId[20]).toMatchObject({ score: 70, judges: 4, trimmed: false });
    expect(byId[20].totals.map((t) => t.judge_id)).toEqual([1, 2, 3, 4]);
    expect(byId[30]).toMatchObject({ score: 80, judges: 5, trimmed: true });
    expect(byId[40]).toMatchObject({ score: null, judges: 0 });
  });
  it('ranks with ties as 1, 1, 3 and the unscored last', () => {
    const ranked = competitionRanks(scores);
    expect(ranked.map((r) => [r.project_id, r.rank])).toEqual([
      [10, 1],
      [30, 1],
      [20, 3],
      [40, null],
    ]);
  });
  it('competition ranks: 90, 85, 85, 70 → 1, 2, 2, 4', () => {
    expect(competitionRanks([{ score: 85 }, { score: 90 }, { score: 70 }, { score: 85 }]).map((r) => [r.score, r.rank])).toEqual([
      [90, 1],
      [85, 2],
      [85, 2],
      [70, 4],
    ]);
  });
  it('compares scores as shown, to two decimals', () => {
    expect(competitionRanks([{ score: 80.0000001 }, { score: 80 }]).map((r) => r.rank)).toEqual([1, 1]);
  });
});

describe('zone and county rankings', () => {
  it('rank groups by the plain mean of their scored projects', () => {
    // Zone A: projects 80 and 70 → 75. Zone B: 80 and an unscored one → 80. Zone C: nothing scored.
    expect(
      groupRanking([
        { group: 'A', score: 80 },
        { group: 'A', score: 70 },
        { group: 'B', score: 80 },
        { group: 'B', score: null },
        { group: 'C', score: null },
      ]),
    ).toEqual([
      { key: 'B', score: 80, projects: 1, rank: 1 },
      { key: 'A', score: 75, projects: 2, rank: 2 },
      { key: 'C', score: null, projects: 0, rank: null },
    ]);
  });
});

describe('route', () => {
  it('sums great-circle legs in km', () => {
    // One degree of the equator on Turf's sphere (R = 6371.0088 km): 6371.0088 × π / 180 = 111.195 km.
    const { legsKm, totalKm } = routeLengthKm([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
    expect(legsKm[0]).toBe(0);
    expect(legsKm[1]).toBeCloseTo(111.195, 2);
    // One degree of a meridian is the same length.
    expect(legsKm[2]).toBeCloseTo(111.195, 2);
    expect(totalKm).toBeCloseTo(222.39, 1);
  });
  it('orders stops by nearest neighbour from the first', () => {
    // On the equator at 0°, 3°, 1°, 2°: from 0° the nearest is 1° (index 2), then 2° (3), then 3° (1).
    expect(
      nearestNeighbourOrder([
        [0, 0],
        [3, 0],
        [1, 0],
        [2, 0],
      ]),
    ).toEqual([0, 2, 3, 1]);
    expect(nearestNeighbourOrder([])).toEqual([]);
  });
});
