/** 开发区考核: 序时进度, points, classes and sums, against figures worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVALUATION_SCHEME,
  checkEvaluationScheme,
  classOf,
  competitionRanks,
  elapsedShare,
  evaluateUnits,
  indicatorPoints,
  scheduleProgress,
  sumUnits,
  type EvaluationScheme,
} from '../../domain/evaluation.ts';

const flow = { kind: 'flow', direction: 'higher' } as const;
const stock = { kind: 'stock', direction: 'higher' } as const;
const lowerStock = { kind: 'stock', direction: 'lower' } as const;

describe('elapsed share of the year', () => {
  it('counts months reported: October is 10/12', () => {
    expect(elapsedShare('2026-10')).toBeCloseTo(10 / 12, 12);
    expect(elapsedShare('2026-01')).toBeCloseTo(1 / 12, 12);
  });
  it('counts days with leap years: 2024-02 → 60/366, 2026-02 → 59/365, 2024-12 → 1', () => {
    expect(elapsedShare('2024-02', 'days')).toBeCloseTo(60 / 366, 12);
    expect(elapsedShare('2026-02', 'days')).toBeCloseTo(59 / 365, 12);
    expect(elapsedShare('2024-12', 'days')).toBe(1);
    expect(elapsedShare('2000-02', 'days')).toBeCloseTo(60 / 366, 12);
    expect(elapsedShare('1900-02', 'days')).toBeCloseTo(59 / 365, 12);
  });
  it('refuses a malformed month', () => {
    expect(() => elapsedShare('2026-13')).toThrow(RangeError);
  });
});

describe('序时进度', () => {
  it('a flow: year to date against target × elapsed share', () => {
    // Target 12,000; Jan–Oct 9,000 → expected 10,000, progress 0.9, short by 1,000.
    const p = scheduleProgress(flow, { value: 9000, target: 12000 }, '2026-10');
    expect(p.expected).toBeCloseTo(10000, 9);
    expect(p.progress).toBeCloseTo(0.9, 12);
    expect(p.behind).toBe(true);
    expect(p.gap).toBeCloseTo(1000, 9);
  });
  it('a flow reported monthly sums January to the month', () => {
    // Jan–Mar 100 + 200 + 300 = 600 against 2,400 × 3/12 = 600: on schedule.
    const p = scheduleProgress(flow, { value: null, monthly: { '2026-01': 100, '2026-02': 200, '2026-03': 300, '2026-04': 999 }, target: 2400 }, '2026-03');
    expect(p.value).toBe(600);
    expect(p.progress).toBe(1);
    expect(p.behind).toBe(false);
  });
  it('a month not yet reported is missing, not zero', () => {
    const p = scheduleProgress(flow, { value: null, monthly: { '2026-01': 100, '2026-02': null, '2026-03': 300 }, target: 2400 }, '2026-04');
    expect(p.value).toBeNull();
    expect(p.progress).toBeNull();
    expect(p.missing).toEqual(['2026-02', '2026-04']);
    expect(p.behind).toBe(false);
  });
  it('a flow by days in a leap year', () => {
    // 2024-02: 36,600 × 60/366 = 6,000 expected; 4,500 done → 0.75.
    const p = scheduleProgress(flow, { value: 4500, target: 36600 }, '2024-02', 'days');
    expect(p.expected).toBeCloseTo(6000, 9);
    expect(p.progress).toBeCloseTo(0.75, 12);
  });
  it('a stock: the latest value against the target, no time share', () => {
    // Use rate 72 % against 80 % in March: 0.9, not against 80 × 3/12.
    const p = scheduleProgress(stock, { value: 72, target: 80 }, '2026-03');
    expect(p.expected).toBe(80);
    expect(p.progress).toBeCloseTo(0.9, 12);
    expect(p.gap).toBeCloseTo(8, 12);
  });
  it('lower is better: target ÷ value', () => {
    // Idle 4 % against at most 2 %: 2 / 4 = 0.5, 2 points above.
    const p = scheduleProgress(lowerStock, { value: 4, target: 2 }, '2026-10');
    expect(p.progress).toBe(0.5);
    expect(p.gap).toBe(2);
    expect(p.behind).toBe(true);
    // 1 % against 2 %: 2.0, ahead by 1 point (gap −1).
    const q = scheduleProgress(lowerStock, { value: 1, target: 2 }, '2026-10');
    expect(q.progress).toBe(2);
    expect(q.gap).toBe(-1);
    // Nothing idle: counted as 10, finite.
    expect(scheduleProgress(lowerStock, { value: 0, target: 2 }, '2026-10').progress).toBe(10);
  });
});

describe('points', () => {
  it('ratio to target, capped', () => {
    // weight 10: 0.9 → 9; 1.5 capped at 1.2 → 12; missing → null.
    expect(indicatorPoints({ type: 'ratio', cap: 1.2 }, [0.9, 1.5, null], [10, 10, 10])).toEqual([9, 12, null]);
  });
  it('ranking points: first full, last the floor, linear between, ties share the better rank', () => {
    // Five zones, floor 0.5, weight 10: ranks 1, 2, 2, 4, 5 → 10, 8.75, 8.75, 6.25, 5 (step 10 × 0.5 / 4 = 1.25).
    const pts = indicatorPoints({ type: 'rank', floor: 0.5 }, [1.1, 0.9, 0.9, 0.7, 0.2, null], [10, 10, 10, 10, 10, 10]);
    expect(pts).toEqual([10, 8.75, 8.75, 6.25, 5, null]);
  });
  it('one zone alone gets the full ranking points', () => {
    expect(indicatorPoints({ type: 'rank', floor: 0.5 }, [0.3], [8])).toEqual([8]);
  });
  it('steps', () => {
    // Steps given lowest first still apply highest first. 1.0 → 1 × 10; 0.7 → 0.6 × 10; 0.2 → 0.
    const rule = {
      type: 'steps' as const,
      steps: [
        { min: 0.5, share: 0.6 },
        { min: 1, share: 1 },
      ],
    };
    expect(indicatorPoints(rule, [1, 0.7, 0.2], [10, 10, 10])).toEqual([10, 6, 0]);
  });
  it('competition ranks', () => {
    expect(competitionRanks([3, 5, 3, null, 1])).toEqual([2, 1, 2, null, 4]);
  });
  it('classes by thresholds', () => {
    const t = { first: 90, good: 75, fair: 60 };
    expect([classOf(90, t), classOf(89.99, t), classOf(75, t), classOf(60, t), classOf(59.9, t)]).toEqual(['first', 'good', 'good', 'fair', 'warning']);
  });
});

const twoIndicators: EvaluationScheme = {
  name: 't',
  basis: 'months',
  indicators: [
    {
      key: 'inv',
      name_zh: '投资',
      name_en: 'inv',
      unit: '万元',
      source: 'manual',
      kind: 'flow',
      direction: 'higher',
      weights: { industrial: 60, other: 40 },
      rule: { type: 'ratio', cap: 1.2 },
    },
    {
      key: 'idle',
      name_zh: '闲置',
      name_en: 'idle',
      unit: '%',
      source: 'manual',
      kind: 'stock',
      direction: 'lower',
      weights: { industrial: 40, other: 60 },
      rule: { type: 'ratio', cap: 1.2 },
    },
  ],
  thresholds: { first: 90, good: 75, fair: 60 },
};

describe('zone totals, classes, movement', () => {
  it('Σ weighted scores by zone type, ranked, with movement', () => {
    // June (6/12). A industrial: inv 600 of 1,200 × 0.5 = 600 → 1 × 60 = 60; idle 1 vs 2 → 2, capped 1.2 × 40 = 48; total 108, first.
    // B other: inv 300 of 1,200 → 0.5 × 40 = 20; idle 4 vs 2 → 0.5 × 60 = 30; total 50, warning, behind on both.
    const results = evaluateUnits(
      [
        { id: 'B', type: 'other', inputs: { inv: { value: 300, target: 1200 }, idle: { value: 4, target: 2 } } },
        { id: 'A', type: 'industrial', inputs: { inv: { value: 600, target: 1200 }, idle: { value: 1, target: 2 } } },
      ],
      twoIndicators,
      '2026-06',
      new Map([
        ['A', 2],
        ['B', 1],
      ]),
    );
    expect(results.map((r) => [r.id, r.total, r.rank, r.class, r.movement])).toEqual([
      ['A', 108, 1, 'first', 1],
      ['B', 50, 2, 'warning', -1],
    ]);
    expect(results[1].behind.map((b) => [b.key, b.gap])).toEqual([
      ['inv', 300],
      ['idle', 2],
    ]);
    expect(results[1].warning).toBe(true);
  });
  it('a city sums its zones: flows summed, ratios from summed parts', () => {
    // Zone 1: idle 10 of 100 (10 %), target 5; zone 2: idle 0 of 300 (0 %), target 1.
    // City: 10 / 400 = 2.5 % (not the average 5 %); target (5 × 100 + 1 × 300) / 400 = 2.
    const scheme = twoIndicators;
    const city = sumUnits(
      '大同市',
      'industrial',
      [
        {
          id: '1',
          type: 'industrial',
          inputs: { inv: { value: 100, target: 1000 }, idle: { value: 10, numerator: 10, denominator: 100, scale: 100, target: 5 } },
        },
        { id: '2', type: 'other', inputs: { inv: { value: 200, target: 500 }, idle: { value: 0, numerator: 0, denominator: 300, scale: 100, target: 1 } } },
      ],
      scheme,
      '2026-06',
    );
    expect(city.inputs.inv).toEqual({ value: 300, target: 1500 });
    expect(city.inputs.idle.value).toBeCloseTo(2.5, 12);
    expect(city.inputs.idle.target).toBeCloseTo(2, 12);
    // A rating without parts: the mean (80 and 90 → 85; targets 90 and 90 → 90).
    const rated = sumUnits(
      'c',
      'industrial',
      [
        { id: '1', type: 'industrial', inputs: { inv: { value: 1, target: 1 }, idle: { value: 80, target: 90 } } },
        { id: '2', type: 'industrial', inputs: { inv: { value: 1, target: 1 }, idle: { value: 90, target: 90 } } },
      ],
      scheme,
      '2026-06',
    );
    expect(rated.inputs.idle).toEqual({ value: 85, target: 90 });
  });
  it('the default scheme passes its own checks; a broken one does not', () => {
    expect(checkEvaluationScheme(DEFAULT_EVALUATION_SCHEME)).toEqual([]);
    const broken = { ...DEFAULT_EVALUATION_SCHEME, indicators: DEFAULT_EVALUATION_SCHEME.indicators.slice(1), thresholds: { first: 50, good: 75, fair: 60 } };
    expect(checkEvaluationScheme(broken).map((p) => p.en)).toEqual([
      'The weights of industrial zones sum to 85, not 100.',
      'The weights of other zones sum to 90, not 100.',
      'Thresholds must fall: first > good > fair.',
    ]);
  });
});
