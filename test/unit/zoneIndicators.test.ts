import { describe, expect, it } from 'vitest';
import { checkMonthRows, indicatorSeries, indicatorStatus, rankByGrowth, type MonthFigure } from '../../domain/zoneIndicators.ts';

const year = (y: number, values: (number | null)[]): MonthFigure[] => values.map((v, i) => ({ month: `${y}-${String(i + 1).padStart(2, '0')}`, valueWan: v }));

describe('zone monthly indicators', () => {
  const figures = [...year(2024, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]), ...year(2025, [12, 24, 30, 44, 60, 70])];

  it('cumulative to the month, year-on-year growth, target and gap', () => {
    // Jan–Mar 2025: 66; 2024: 60 → +10 %; target 15 → 5 points behind: warning
    const s = indicatorStatus(figures, '2025-03', 15);
    expect(s.cumulativeWan).toBe(66);
    expect(s.previousCumulativeWan).toBe(60);
    expect(s.monthWan).toBe(30);
    expect(s.growthPct).toBeCloseTo(10, 12);
    expect(s.gapPct).toBeCloseTo(5, 12);
    expect(s.warning).toBe(true);
    // Jan–Jun: 240 vs 210 → 14.2857 %; target 12 → ahead
    const june = indicatorStatus(figures, '2025-06', 12);
    expect(june.growthPct).toBeCloseTo((30 / 210) * 100, 10);
    expect(june.gapPct).toBeCloseTo(12 - (30 / 210) * 100, 10);
    expect(june.warning).toBe(false);
  });

  it('a missing month leaves the cumulative figure and growth empty and names the month', () => {
    const s = indicatorStatus(figures, '2025-07', 10);
    expect(s.cumulativeWan).toBeNull();
    expect(s.growthPct).toBeNull();
    expect(s.warning).toBe(false);
    expect(s.missing).toEqual(['2025-07']);
    const noPrevious = indicatorStatus(year(2025, [5]), '2025-01', 10);
    expect(noPrevious.cumulativeWan).toBe(5);
    expect(noPrevious.growthPct).toBeNull();
    expect(noPrevious.missing).toEqual(['2024-01']);
  });

  it('no target: growth without gap or warning', () => {
    const s = indicatorStatus(figures, '2025-02', null);
    expect(s.growthPct).toBeCloseTo(20, 12);
    expect(s.gapPct).toBeNull();
    expect(s.warning).toBe(false);
  });

  it('a series runs from January to the month', () => {
    const series = indicatorSeries(figures, '2025-04', 15);
    expect(series.map((s) => s.cumulativeWan)).toEqual([12, 36, 66, 110]);
    expect(series[3].growthPct).toBeCloseTo(10, 12);
    expect(() => indicatorStatus(figures, '2025-13', null)).toThrow(/YYYY-MM/);
  });

  it('ranks by growth with shared ranks, zones without growth last', () => {
    const z = (name: string, growthPct: number | null) => ({ name, status: { growthPct } as never });
    const ranked = rankByGrowth([z('乙', 5), z('甲', null), z('丙', 12), z('丁', 5)]);
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['丙', 1],
      ['丁', 2],
      ['乙', 2],
      ['甲', null],
    ]);
  });
});

describe('month upload rows', () => {
  const zoneIdOf = (t: string) => (t === '朔州经开区' || t === 'SX-SZJK' ? 7 : t === '平鲁经开区' ? 8 : null);
  it('accepts good rows, with 2025/6 and 2025年6月 as months and thousands separators', () => {
    const r = checkMonthRows(
      [
        { line: 2, zone: '朔州经开区', month: '2025-06', valueAdded: '1,234.5', investment: '' },
        { line: 3, zone: 'SX-SZJK', month: '2025/7', valueAdded: '10', investment: '20' },
        { line: 4, zone: '平鲁经开区', month: '2025年6月', valueAdded: '', investment: '3' },
      ],
      zoneIdOf,
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { line: 2, zoneId: 7, month: '2025-06', valueAddedWan: 1234.5, investmentWan: null },
        { line: 3, zoneId: 7, month: '2025-07', valueAddedWan: 10, investmentWan: 20 },
        { line: 4, zoneId: 8, month: '2025-06', valueAddedWan: null, investmentWan: 3 },
      ],
    });
  });
  it('reports every bad row with its line and reason', () => {
    const r = checkMonthRows(
      [
        { line: 2, zone: '朔州经开区', month: '2025-06', valueAdded: '1', investment: '2' },
        { line: 3, zone: '无名区', month: '2025-13', valueAdded: 'abc', investment: '-5' },
        { line: 4, zone: '朔州经开区', month: '2025-06', valueAdded: '1', investment: '' },
        { line: 5, zone: '平鲁经开区', month: '2025-06', valueAdded: '', investment: '' },
      ],
      zoneIdOf,
    );
    if (r.ok) throw new Error('the bad rows were accepted');
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(r.errors[0].message_zh).toBe(
      '未知的开发区“无名区”；月份“2025-13”不是 YYYY-MM 格式；规上工业增加值“abc”不是不小于 0 的万元数；工业投资“-5”不是不小于 0 的万元数',
    );
    expect(r.errors[1].message).toBe('the same zone and month as line 2');
    expect(r.errors[2].message_zh).toBe('未填写任何数值');
  });
});
