/** 招商 figures and land matching, against figures worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import { chainProximity, furthestStageIndex, leadFigures, matchLand, rankLand, shareOf, type LandCandidate, type LeadFacts } from '../../domain/leads.ts';

const lead = (id: number, stage_dates: LeadFacts['stage_dates'], extra: Partial<LeadFacts> = {}): LeadFacts => ({
  id,
  stage_dates,
  dropped_on: null,
  drop_reason: null,
  planned_investment_wan: null,
  next_follow_up: null,
  ...extra,
});

// Q3 2026 (2026-07-01 … 2026-09-30), judged on 2026-10-10.
const leads: LeadFacts[] = [
  // 1: whole way, signed in the quarter: 2026-07-01 → 2026-09-08 = 69 days.
  lead(
    1,
    { lead: '2026-07-01', contact: '2026-07-05', visit: '2026-07-20', negotiation: '2026-08-01', intent: '2026-08-20', signed: '2026-09-08' },
    { planned_investment_wan: 150_000 },
  ),
  // 2: skipped 考察 and 意向: signed 2026-07-10 → 2026-09-30 = 82 days; counts as having reached every stage.
  lead(2, { lead: '2026-07-10', contact: '2026-07-12', negotiation: '2026-08-15', signed: '2026-09-30' }, { planned_investment_wan: 20_000 }),
  // 3: in negotiation at the end, 12 亿, follow-up 2026-10-01 is overdue on 2026-10-10.
  lead(
    3,
    { lead: '2026-08-01', contact: '2026-08-03', visit: '2026-09-01', negotiation: '2026-09-15' },
    { planned_investment_wan: 120_000, next_follow_up: '2026-10-01' },
  ),
  // 4: dropped in the quarter after a visit (用地条件不符).
  lead(
    4,
    { lead: '2026-07-15', contact: '2026-07-16', visit: '2026-08-10' },
    { dropped_on: '2026-09-01', drop_reason: 'land', planned_investment_wan: 50_000 },
  ),
  // 5: only a lead (no contact yet): not 在谈; 5,000 万元.
  lead(5, { lead: '2026-09-20' }, { planned_investment_wan: 5_000, next_follow_up: '2026-09-25' }),
  // 6: from the previous quarter, in negotiation: not in the cohort, but 在谈 at the end; 8,000 万元; follow-up not yet due.
  lead(6, { lead: '2026-05-02', contact: '2026-05-10', negotiation: '2026-06-20' }, { planned_investment_wan: 8_000, next_follow_up: '2026-10-20' }),
  // 7: reaches 签约 only after the quarter: in negotiation at 2026-09-30.
  lead(7, { lead: '2026-09-01', contact: '2026-09-02', signed: '2026-10-05' }, { planned_investment_wan: 30_000 }),
];

describe('lead figures', () => {
  const f = leadFigures(leads, '2026-07-01', '2026-09-30', '2026-10-10');

  it('counts 在谈 at the end of the period: 3, 6, 7 (130,000 + 8,000 + 30,000 = 158,000 万元; one ≥ 10 亿, two ≥ 1 亿)', () => {
    expect(f.inNegotiation).toEqual({ count: 3, investmentWan: 158_000, atLeast10Yi: 1, atLeast1Yi: 2, ids: [3, 6, 7] });
  });

  it('counts leads signed within the period (1 and 2: 170,000 万元), and the median time to sign (69 and 82 days → 75.5)', () => {
    expect(f.signed).toEqual({ count: 2, investmentWan: 170_000, ids: [1, 2] });
    expect(f.medianDaysToSign).toBe(75.5);
  });

  it('counts dropped leads by reason', () => {
    expect(f.dropped).toEqual({ count: 1, byReason: { land: 1 }, ids: [4] });
  });

  it('builds the funnel of the cohort (leads 1, 2, 3, 4, 5, 7 started in the quarter), skipped stages passed', () => {
    // reached:  lead 6 | contact 5 (1,2,3,4,7) | visit 4 (1,2,3,4; 2 skipped it) | negotiation 3 (1,2,3) | intent 2 (1,2) | signed 2 (1,2)
    expect(f.funnel.map((s) => s.reached)).toEqual([6, 5, 4, 3, 2, 2]);
    expect(f.funnel.map((s) => s.conversion)).toEqual([null, 5 / 6, 4 / 5, 3 / 4, 2 / 3, 1]);
    expect(f.funnel[2].ids).toEqual([1, 2, 3, 4]);
    // 150,000 + 20,000 + 120,000 + 50,000 + 5,000 + 30,000
    expect(f.funnel[0].reachedInvestmentWan).toBe(375_000);
  });

  it('lists overdue follow-ups of leads in negotiation on the day (3; not 5, which is no 在谈 lead; not 6, due later)', () => {
    expect(f.overdueFollowUps).toEqual({ count: 1, ids: [3] });
  });

  it('counts a lead listed in two scopes once in their union', () => {
    const union = leadFigures([...leads, leads[0], leads[2]], '2026-07-01', '2026-09-30', '2026-10-10');
    expect(union.signed.count).toBe(2);
    expect(union.inNegotiation.count).toBe(3);
    expect(union.funnel[0].reached).toBe(6);
  });

  it('has no rates and no median when there are no leads (the page shows —)', () => {
    const none = leadFigures([], '2026-07-01', '2026-09-30', '2026-10-10');
    expect(none.funnel.every((s) => s.reached === 0 && s.conversion === null)).toBe(true);
    expect(none.medianDaysToSign).toBeNull();
    expect(shareOf(0, 0)).toBeNull();
    expect(shareOf(170_000, 680_000)).toBe(0.25);
  });

  it('ignores stages dated after the as-of date', () => {
    expect(furthestStageIndex(leads[6], '2026-09-30')).toBe(1);
    expect(furthestStageIndex(leads[6], '2026-10-05')).toBe(5);
    expect(furthestStageIndex(leads[4], '2026-09-19')).toBe(-1);
  });
});

const land = (id: number, extra: Partial<LandCandidate> = {}): LandCandidate => ({
  id,
  kind: 'parcel',
  areaMu: 100,
  landUseCode: '100101',
  zoneId: 1,
  city: '大同市',
  industryText: '新能源电池、储能',
  infrastructure: ['water', 'power'],
  priceWanPerMu: 12,
  standardLand: true,
  chainDistanceKm: null,
  ...extra,
});

describe('matching land to a lead', () => {
  const needs = {
    minMu: 80,
    maxMu: 150,
    landUseCodes: ['1001'],
    industry: '新能源',
    infrastructure: ['water', 'power', 'gas'],
    cities: ['大同市'],
    budgetWanPerMu: 15,
  };

  it('scores the share of the stated criteria met: all but gas (2/3 of 15 = 10) → (30+20+15+10+10+10+5) / (30+20+15+15+10+10+5) = 100/105 → 95', () => {
    const m = matchLand(needs, land(1))!;
    expect(m.score).toBe(95);
    expect(m.reasons.find((r) => r.key === 'infrastructure')).toEqual({ key: 'infrastructure', ok: false, zh: '缺少配套：gas', en: 'Missing: gas' });
    expect(m.reasons.filter((r) => !r.ok).map((r) => r.key)).toEqual(['infrastructure']);
  });

  it('does not offer land outside the area range, of another land use, or over budget', () => {
    expect(matchLand(needs, land(2, { areaMu: 79.9 }))).toBeNull();
    expect(matchLand(needs, land(3, { landUseCode: '1101' }))).toBeNull();
    expect(matchLand(needs, land(4, { priceWanPerMu: 15.5 }))).toBeNull();
  });

  it('counts a price to be agreed as half met, and chain firms nearby by distance (5 km full, 30 km nothing)', () => {
    // budget half: 5 of 10; chain at 17.5 km: (30-17.5)/25 = 0.5 → 5 of 10. Total (30+20+15+10+10+5+5+5)/(105+10) = 100/115 → 87
    const m = matchLand(needs, land(5, { priceWanPerMu: null, chainDistanceKm: 17.5 }))!;
    expect(m.score).toBe(87);
    expect(chainProximity(4)).toBe(1);
    expect(chainProximity(30)).toBe(0);
    expect(chainProximity(null)).toBe(0);
  });

  it('ranks the best first, larger land first on equal scores, and drops what cannot work', () => {
    const ranked = rankLand(needs, [land(10, { industryText: '物流' }), land(11, { areaMu: 120 }), land(12), land(13, { areaMu: 200 })]);
    expect(ranked.map((m) => m.id)).toEqual([11, 12, 10]);
    // land 10 misses industry too: (100 − 15) / 105 = 80.95 → 81
    expect(ranked[2].score).toBe(81);
  });
  const factory = (id: number, extra: Partial<LandCandidate> = {}) =>
    land(id, { kind: 'factory', areaMu: 0, landUseCode: null, infrastructure: [], priceWanPerMu: null, standardLand: false, vacantFloorM2: 2500, ...extra });

  it('offers a standard factory only when the lead states a floor need and the vacant floor covers it', () => {
    const withFloor = { ...needs, floorM2: 2000 };
    expect(matchLand(needs, factory(20))).toBeNull();
    expect(matchLand(withFloor, factory(21, { vacantFloorM2: 1999 }))).toBeNull();
    expect(matchLand(withFloor, factory(22, { vacantFloorM2: null }))).toBeNull();
    const m = matchLand(withFloor, factory(23, { vacantFloorM2: 2000 }))!;
    expect(m.reasons[0]).toEqual({ key: 'floor', ok: true, zh: '空置面积 2,000 m²，满足 2,000 m² 需求', en: '2,000 m² vacant, covers the 2,000 m² needed' });
  });

  it('scores a factory on floor, industry, location and chain only (亩, land use, budget, 标准地 are terms of land)', () => {
    // floor 30 + industry 15 + location 10 + chain at 10 km: (30−10)/25 = 0.8 of 10 = 8 → 63 / 65 = 96.9 → 97
    const m = matchLand({ ...needs, floorM2: 2000 }, factory(24, { chainDistanceKm: 10 }))!;
    expect(m.reasons.map((r) => r.key)).toEqual(['floor', 'industry', 'location', 'chain']);
    expect(m.score).toBe(97);
    // Another industry: (30 + 0 + 10 + 8) / 65 = 73.8 → 74
    expect(matchLand({ ...needs, floorM2: 2000 }, factory(25, { chainDistanceKm: 10, industryText: '物流' }))!.score).toBe(74);
  });

  it('ranks factories beside parcels by score; a parcel is scored without the floor need', () => {
    const ranked = rankLand({ ...needs, floorM2: 2000 }, [land(30), factory(31, { chainDistanceKm: 10 }), factory(32, { vacantFloorM2: 500 })]);
    expect(ranked.map((m) => [m.kind, m.id, m.score])).toEqual([
      ['factory', 31, 97],
      ['parcel', 30, 95],
    ]);
  });
});

describe('stage dates', () => {
  it('takes the furthest dated stage as the stage, and allows skipping', async () => {
    const { stageOf, checkStageDates } = await import('../../domain/leads.ts');
    expect(stageOf({ lead: '2026-01-02', negotiation: '2026-02-01' })).toBe('negotiation');
    expect(checkStageDates({ lead: '2026-01-02', negotiation: '2026-02-01' }, '2026-11-28')).toEqual([]);
  });

  it('refuses a missing first date, a future date and dates out of order, naming each in both languages', async () => {
    const { checkStageDates } = await import('../../domain/leads.ts');
    expect(checkStageDates({ contact: '2026-02-01', visit: '2026-01-15', signed: '2026-12-01' }, '2026-11-28')).toEqual([
      { field: 'lead_date', en: 'The date the lead came in is required.', zh: '须填写线索登记日期。' },
      {
        field: 'visit_date',
        en: 'Site visit (2026-01-15) cannot come before first contact (2026-02-01).',
        zh: '考察日期（2026-01-15）不能早于初步接洽日期（2026-02-01）。',
      },
      { field: 'signed_date', en: 'The signed date 2026-12-01 is after today.', zh: '签约日期 2026-12-01 晚于今天。' },
    ]);
  });
});
