/** 标准地 acceptance judgement, transfer figures, factory leases and the 规上 threshold, against figures worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  checkLeases,
  compareFollowUps,
  daysToDeadline,
  isLeaseActive,
  isOverdue,
  judgeAcceptance,
  leasedAreaOn,
  needsFollowUp,
  peakLeasedArea,
  scaleClass,
  thresholdGap,
  transferFigures,
  useRatePercent,
  type FollowUpFacts,
} from '../../domain/standardLand.ts';

const agreed = {
  min_investment_intensity_wan_per_mu: 300,
  min_floor_area_ratio: 1.0,
  max_floor_area_ratio: 2.0,
  min_tax_per_mu_wan: 15,
  max_energy_tce_per_wan: 0.5,
  environment_standard: '达到《污水综合排放标准》一级',
  min_building_coverage_pct: null,
  max_admin_facility_pct: 7,
  max_green_pct: null,
};

describe('达产复核 judgement', () => {
  it('meets every agreed indicator at the edges (≥ minimum, ≤ maximum, inside the ratio range)', () => {
    const j = judgeAcceptance(agreed, {
      investment_intensity_wan_per_mu: 300,
      floor_area_ratio: 2.0,
      tax_per_mu_wan: 15,
      energy_tce_per_wan: 0.5,
      environment_met: true,
      admin_facility_pct: 7,
    });
    expect(j.overall_met).toBe(true);
    expect(j.missed).toEqual([]);
    // Not agreed: 建筑系数 and 绿地率 are not judged even with a figure.
    expect(j.results.find((r) => r.key === 'building_coverage_pct')!.met).toBeNull();
  });

  it('misses 投资强度 at 280 < 300, 单位能耗 at 0.62 > 0.5 (lower is better) and the environment standard', () => {
    const j = judgeAcceptance(agreed, {
      investment_intensity_wan_per_mu: 280,
      floor_area_ratio: 1.2,
      tax_per_mu_wan: 18.5,
      energy_tce_per_wan: 0.62,
      environment_met: false,
      admin_facility_pct: 6,
    });
    expect(j.overall_met).toBe(false);
    expect(j.missed).toEqual(['investment_intensity_wan_per_mu', 'energy_tce_per_wan', 'environment_met']);
    const r = j.results.find((x) => x.key === 'investment_intensity_wan_per_mu')!;
    expect(r).toEqual({ key: 'investment_intensity_wan_per_mu', agreed_min: 300, agreed_max: null, agreed_text: null, actual: 280, met: false });
  });

  it('misses 容积率 below the range (0.9 < 1.0) and above it (2.1 > 2.0)', () => {
    expect(judgeAcceptance(agreed, { floor_area_ratio: 0.9 }).missed).toEqual(['floor_area_ratio']);
    expect(judgeAcceptance(agreed, { floor_area_ratio: 2.1 }).missed).toEqual(['floor_area_ratio']);
  });

  it('is incomplete (null) when agreed indicators have no figure and none is missed', () => {
    const j = judgeAcceptance(agreed, { investment_intensity_wan_per_mu: 350 });
    expect(j.overall_met).toBeNull();
    expect(j.not_entered).toEqual(['floor_area_ratio', 'tax_per_mu_wan', 'energy_tce_per_wan', 'environment_met', 'admin_facility_pct']);
  });
});

describe('follow-up of consequences', () => {
  const a = (id: number, status: FollowUpFacts['follow_up_status'], deadline: string | null, met: boolean | null = false) => ({
    id,
    overall_met: met,
    follow_up_status: status,
    correction_deadline: deadline,
  });
  it('follows open consequences of missed checks; overdue after the deadline day', () => {
    expect(needsFollowUp(a(1, 'open', '2026-12-31'))).toBe(true);
    expect(needsFollowUp(a(1, 'closed', '2026-12-31'))).toBe(false);
    expect(needsFollowUp(a(1, 'open', null, true))).toBe(false);
    expect(isOverdue(a(1, 'open', '2026-11-27'), '2026-11-28')).toBe(true);
    expect(isOverdue(a(1, 'open', '2026-11-28'), '2026-11-28')).toBe(false);
    expect(isOverdue(a(1, 'corrected', '2026-01-01'), '2026-11-28')).toBe(false);
    // 2026-11-28 → 2026-11-30 is 2 days, + 31 in December = 33 days; 2026-11-20 is 8 days ago.
    expect(daysToDeadline('2026-12-31', '2026-11-28')).toBe(33);
    expect(daysToDeadline('2026-11-20', '2026-11-28')).toBe(-8);
  });
  it('orders overdue first (most overdue first), then nearest deadline, then none', () => {
    const list = [a(1, 'open', null), a(2, 'open', '2027-03-01'), a(3, 'open', '2026-10-01'), a(4, 'open', '2026-06-30'), a(5, 'open', '2026-12-15')];
    expect(list.sort(compareFollowUps('2026-11-28')).map((x) => x.id)).toEqual([4, 3, 5, 2, 1]);
  });
});

describe('transfer figures', () => {
  const transfers = [
    { transferred_on: '2026-01-15', area_mu: 120, price_wan: 1800 },
    { transferred_on: '2026-06-30', area_mu: 80.5, price_wan: 1207.5 },
    { transferred_on: '2026-07-01', area_mu: 50, price_wan: null },
    { transferred_on: '2025-12-31', area_mu: 99, price_wan: 500 },
  ];
  it('sums the first half of 2026: 2 parcels, 200.5 亩, 3007.5 万元; 200.5 / 400 = 50.13 %', () => {
    expect(transferFigures(transfers, '2026-01-01', '2026-06-30', 400)).toEqual({
      count: 2,
      areaMu: 200.5,
      priceWan: 3007.5,
      targetMu: 400,
      ratePercent: 50.13,
    });
  });
  it('counts a transfer without a price in count and area; no target → no rate', () => {
    expect(transferFigures(transfers, '2026-01-01', '2026-12-31', null)).toEqual({
      count: 3,
      areaMu: 250.5,
      priceWan: 3007.5,
      targetMu: null,
      ratePercent: null,
    });
  });
});

describe('factory leases', () => {
  const leases = [
    { leased_area_m2: 2000, start_date: '2025-01-01', end_date: '2026-12-31' },
    { leased_area_m2: 1500, start_date: '2026-01-01', end_date: null },
    { leased_area_m2: 1000, start_date: '2024-01-01', end_date: '2024-12-31' },
  ];
  it('counts a lease active from its start to its end day inclusive', () => {
    expect(isLeaseActive(leases[0], '2026-12-31')).toBe(true);
    expect(isLeaseActive(leases[0], '2027-01-01')).toBe(false);
    expect(isLeaseActive(leases[1], '2025-12-31')).toBe(false);
  });
  it('leased area on a date and the use rate: 3500 of 4000 m² = 87.5 % on 2026-11-28; 1500 on 2027-01-01', () => {
    expect(leasedAreaOn(leases, '2026-11-28')).toBe(3500);
    expect(useRatePercent(3500, 4000)).toBe(87.5);
    expect(leasedAreaOn(leases, '2027-01-01')).toBe(1500);
    // 1 of 3 m² = 33.33 %.
    expect(useRatePercent(1, 3)).toBe(33.33);
    expect(useRatePercent(0, 0)).toBeNull();
  });
  it('finds the peak at once: 3500 m² from 2026-01-01; refuses it in a 3000 m² building', () => {
    expect(peakLeasedArea(leases)).toEqual({ areaM2: 3500, on: '2026-01-01' });
    expect(checkLeases(leases, 4000)).toEqual([]);
    const problems = checkLeases(leases, 3000);
    expect(problems).toHaveLength(1);
    expect(problems[0].zh).toContain('3500');
    // Back-to-back leases (one ends 2024-12-31, the next starts 2025-01-01) do not overlap: 2000 fits 2000.
    expect(
      checkLeases(
        [
          { leased_area_m2: 2000, start_date: '2024-01-01', end_date: '2024-12-31' },
          { leased_area_m2: 2000, start_date: '2025-01-01', end_date: null },
        ],
        2000,
      ),
    ).toEqual([]);
  });
  it('refuses a lease ending before it starts', () => {
    expect(checkLeases([{ leased_area_m2: 10, start_date: '2026-05-01', end_date: '2026-04-30' }], 100)[0].en).toContain('ends before');
  });
});

describe('规上 threshold and 培育库', () => {
  it('classes revenue against 2000 万元 with a 1500 万元 lower bound', () => {
    expect(scaleClass(2000)).toBe('above');
    expect(scaleClass(1999.9)).toBe('cultivation');
    expect(scaleClass(1500)).toBe('cultivation');
    expect(scaleClass(1499)).toBe('below');
    expect(scaleClass(null)).toBe('unknown');
    // The lower bound is a setting: 1200 puts 1300 in the 培育库.
    expect(scaleClass(1300, 1200)).toBe('cultivation');
  });
  it('gives the gap to the threshold: 1800 → 200 万元 short, 90 %', () => {
    expect(thresholdGap(1800)).toEqual({ gapWan: 200, sharePercent: 90 });
    expect(thresholdGap(2500)).toEqual({ gapWan: 0, sharePercent: 125 });
  });
});
