import { describe, expect, it } from 'vitest';
import { reachedStage, stageDatesOutOfOrder, threeBatchRates, type RoundEntry } from '../../domain/threeBatches.ts';
import { checkLightThresholds, classifySanwei, countLights, daysBetween, trafficLight, type SupervisedProject } from '../../domain/projectSupervision.ts';
import { formatPercent } from '../../domain/format.ts';

const project = (id: number, over: Partial<SupervisedProject> = {}): SupervisedProject => ({
  id,
  name: `项目${id}`,
  zone_id: 1,
  is_industrial: true,
  stage: 'signed',
  total_investment_wan: 1000,
  completed_investment_wan: 0,
  signed_date: '2025-01-10',
  landed_date: null,
  started_date: null,
  producing_date: null,
  at_capacity_date: null,
  ...over,
});
const entry = (round_id: number, project_id: number, batch: RoundEntry['batch']): RoundEntry => ({ round_id, project_id, batch });
const AS_OF = '2026-06-30';

describe('三个一批 rates', () => {
  // Signed batch: A 3000 started; B 1000 not started; C 6000 started (skipped 落地).
  const a = project(1, { total_investment_wan: 3000, stage: 'started', landed_date: '2025-03-01', started_date: '2025-06-01', completed_investment_wan: 1200 });
  const b = project(2, { total_investment_wan: 1000 });
  const c = project(3, { total_investment_wan: 6000, stage: 'started', started_date: '2025-05-01', completed_investment_wan: 500 });
  // Started batch: D 2000 producing with 1800 completed; E 8000 started only.
  const d = project(4, {
    total_investment_wan: 2000,
    stage: 'producing',
    landed_date: '2025-02-01',
    started_date: '2025-03-01',
    producing_date: '2026-01-01',
    completed_investment_wan: 1800,
  });
  const e = project(5, { total_investment_wan: 8000, stage: 'started', landed_date: '2025-02-01', started_date: '2025-03-01', completed_investment_wan: 3000 });
  // Producing batch: F industrial at capacity 5000; G industrial producing 15000; H non-industrial at capacity (left out of 达产率).
  const f = project(6, {
    total_investment_wan: 5000,
    stage: 'at_capacity',
    signed_date: '2023-06-01',
    landed_date: '2024-01-01',
    started_date: '2024-02-01',
    producing_date: '2025-01-01',
    at_capacity_date: '2026-02-01',
  });
  const g = project(7, {
    total_investment_wan: 15000,
    stage: 'producing',
    signed_date: '2023-06-01',
    landed_date: '2024-01-01',
    started_date: '2024-02-01',
    producing_date: '2025-01-01',
  });
  const h = project(8, {
    is_industrial: false,
    total_investment_wan: 900,
    stage: 'at_capacity',
    signed_date: '2023-06-01',
    landed_date: '2024-01-01',
    started_date: '2024-02-01',
    producing_date: '2025-01-01',
    at_capacity_date: '2025-06-01',
  });
  const all = [a, b, c, d, e, f, g, h];
  const entries = [
    entry(1, 1, 'signed'),
    entry(1, 2, 'signed'),
    entry(1, 3, 'signed'),
    entry(1, 4, 'started'),
    entry(1, 5, 'started'),
    entry(1, 6, 'producing'),
    entry(1, 7, 'producing'),
    entry(1, 8, 'producing'),
  ];

  it('by investment: started ÷ signed totals, completed of producing ÷ started totals, industrial at capacity ÷ producing', () => {
    const r = threeBatchRates(all, entries, 'investment', AS_OF);
    // (3000 + 6000) / (3000 + 1000 + 6000) = 0.9
    expect(r.start.numerator).toBe(9000);
    expect(r.start.denominator).toBe(10000);
    expect(r.start.share).toBeCloseTo(0.9, 12);
    expect(r.start.achieved).toEqual([1, 3]);
    // 1800 / (2000 + 8000) = 0.18
    expect(r.produce.share).toBeCloseTo(0.18, 12);
    expect(r.produce.achieved).toEqual([4]);
    // 5000 / (5000 + 15000) = 0.25; the non-industrial H is not in the base
    expect(r.capacity.share).toBeCloseTo(0.25, 12);
    expect(r.capacity.base).toEqual([6, 7]);
    expect(formatPercent(r.start.share)).toBe('90.00%');
    expect(formatPercent(r.produce.share)).toBe('18.00%');
  });

  it('by count: shares of projects', () => {
    const r = threeBatchRates(all, entries, 'count', AS_OF);
    expect(r.start.share).toBeCloseTo(2 / 3, 12);
    expect(formatPercent(r.start.share)).toBe('66.67%');
    expect(r.produce.share).toBe(0.5);
    expect(r.capacity.share).toBe(0.5);
  });

  it('no projects: the rate is "—" (null), not 0 % or NaN', () => {
    const r = threeBatchRates([], [], 'investment', AS_OF);
    for (const x of [r.start, r.produce, r.capacity]) {
      expect(x.share).toBeNull();
      expect(x.denominator).toBe(0);
    }
    expect(formatPercent(r.start.share)).toBe('—');
    expect(threeBatchRates([], [], 'count', AS_OF).start.share).toBeNull();
  });

  it('projects without investment figures are left out of the investment basis (and said), kept in the count', () => {
    const noFigure = project(9, { total_investment_wan: null, stage: 'started', started_date: '2025-05-01' });
    const noCompleted = project(10, {
      total_investment_wan: 4000,
      completed_investment_wan: null,
      stage: 'producing',
      landed_date: '2025-02-01',
      started_date: '2025-03-01',
      producing_date: '2026-01-01',
    });
    const list = [a, b, noFigure, d, noCompleted];
    const es = [entry(1, 1, 'signed'), entry(1, 2, 'signed'), entry(1, 9, 'signed'), entry(1, 4, 'started'), entry(1, 10, 'started')];
    const inv = threeBatchRates(list, es, 'investment', AS_OF);
    expect(inv.start.withoutFigures).toEqual([9]);
    expect(inv.start.share).toBeCloseTo(3000 / 4000, 12);
    expect(inv.produce.withoutFigures).toEqual([10]);
    expect(inv.produce.share).toBeCloseTo(1800 / 2000, 12);
    const count = threeBatchRates(list, es, 'count', AS_OF);
    expect(count.start.share).toBeCloseTo(2 / 3, 12);
    expect(count.start.withoutFigures).toEqual([]);
    // Only missing figures: nothing to divide by.
    expect(threeBatchRates([noFigure], [entry(1, 9, 'signed')], 'investment', AS_OF).start.share).toBeNull();
  });

  it('a project listed in two rounds counts once per batch', () => {
    const twice = [entry(1, 1, 'signed'), entry(2, 1, 'signed'), entry(1, 2, 'signed'), entry(2, 1, 'started')];
    const r = threeBatchRates(all, twice, 'count', AS_OF);
    expect(r.start.base).toEqual([1, 2]);
    expect(r.start.share).toBe(0.5);
    // listed as started in round 2: in the started batch too
    expect(r.produce.base).toEqual([1]);
    expect(r.produce.share).toBe(0);
  });

  it('a project that skipped a stage has reached it; dates after the as-of date do not count', () => {
    expect(reachedStage(c, 'landed', AS_OF)).toBe(true);
    expect(reachedStage(c, 'producing', AS_OF)).toBe(false);
    expect(reachedStage(d, 'producing', '2025-12-31')).toBe(false);
    expect(threeBatchRates(all, entries, 'count', '2025-12-31').produce.share).toBe(0);
  });

  it('dates out of order are refused with a clear message, and the project is left out', () => {
    const bad = project(11, { stage: 'started', signed_date: '2025-06-01', started_date: '2025-05-01' });
    expect(stageDatesOutOfOrder(bad)?.zh).toBe('开工日期（2025-05-01）早于签约日期（2025-06-01）：各阶段日期须依次排列。');
    expect(stageDatesOutOfOrder(bad)?.en).toMatch(/Started \(2025-05-01\) is before signed \(2025-06-01\)/);
    expect(stageDatesOutOfOrder(c)).toBeNull();
    const r = threeBatchRates([a, bad], [entry(1, 1, 'signed'), entry(1, 11, 'signed')], 'count', AS_OF);
    expect(r.refused.map((x) => x.id)).toEqual([11]);
    expect(r.start.base).toEqual([1]);
  });
});

describe('三未 lists', () => {
  it('签而未落 since signing, with the days stuck', () => {
    expect(classifySanwei(project(1, { signed_date: '2026-01-01' }), '2026-03-02')).toEqual({
      kind: 'signed_not_landed',
      since: '2026-01-01',
      days: 60,
      outputShare: null,
      taxShare: null,
    });
  });
  it('落而未投 from landing, or from starting when 落地 was skipped', () => {
    expect(classifySanwei(project(1, { landed_date: '2026-02-01', started_date: '2026-03-01' }), '2026-03-31')).toMatchObject({
      kind: 'landed_not_producing',
      since: '2026-02-01',
      days: 58,
    });
    expect(classifySanwei(project(1, { started_date: '2026-03-01' }), '2026-03-31')).toMatchObject({
      kind: 'landed_not_producing',
      since: '2026-03-01',
      days: 30,
    });
  });
  it('投而未效 when output or tax is below what was agreed; on target → not listed', () => {
    const producing = { landed_date: '2025-02-01', started_date: '2025-03-01', producing_date: '2026-01-01', expected_annual_output_wan: 10000 };
    expect(classifySanwei(project(1, { ...producing, actual_annual_output_wan: 6000 }), '2026-06-30')).toMatchObject({
      kind: 'producing_not_effective',
      since: '2026-01-01',
      days: 180,
      outputShare: 0.6,
    });
    expect(
      classifySanwei(project(1, { ...producing, actual_annual_output_wan: 12000, agreed_annual_tax_wan: 500, actual_annual_tax_wan: 400 }), '2026-06-30'),
    ).toMatchObject({ kind: 'producing_not_effective', taxShare: 0.8 });
    expect(classifySanwei(project(1, { ...producing, actual_annual_output_wan: 10000 }), '2026-06-30')).toBeNull();
    expect(classifySanwei(project(1, { ...producing }), '2026-06-30')).toBeNull();
  });
  it('not signed by the date → not on any list', () => {
    expect(classifySanwei(project(1, { stage: 'planned', signed_date: null }), '2026-06-30')).toBeNull();
    expect(classifySanwei(project(1, { signed_date: '2026-07-01' }), '2026-06-30')).toBeNull();
  });
});

describe('traffic lights', () => {
  const t = { yellowAfterDays: 30, redAfterDays: 90 };
  it('green within the grace period, yellow behind, red seriously behind', () => {
    const p = project(1, { plan_landed_date: '2026-01-01', plan_started_date: '2026-04-01' });
    expect(trafficLight(p, '2026-01-31', t)).toEqual({ light: 'green', dueStage: 'landed', dueDate: '2026-01-01', daysLate: 30 });
    expect(trafficLight(p, '2026-02-01', t)).toMatchObject({ light: 'yellow', daysLate: 31 });
    expect(trafficLight(p, '2026-04-01', t)).toMatchObject({ light: 'yellow', daysLate: 90 });
    expect(trafficLight(p, '2026-04-02', t)).toMatchObject({ light: 'red', daysLate: 91 });
    expect(trafficLight(p, '2025-12-01', t)).toMatchObject({ light: 'green', daysLate: 0 });
  });
  it('the first planned step not reached decides; reaching it moves on to the next', () => {
    const p = project(1, { landed_date: '2026-01-20', plan_landed_date: '2026-01-01', plan_started_date: '2026-04-01' });
    expect(trafficLight(p, '2026-05-15', t)).toMatchObject({ light: 'yellow', dueStage: 'started', daysLate: 44 });
  });
  it('at capacity is green; no plan for what is left → none', () => {
    expect(trafficLight(project(1, { at_capacity_date: '2026-01-01', producing_date: '2025-01-01', started_date: '2024-01-01' }), AS_OF, t).light).toBe(
      'green',
    );
    expect(trafficLight(project(1), AS_OF, t)).toEqual({ light: 'none', dueStage: null, dueDate: null, daysLate: 0 });
    expect(countLights(['green', 'red', 'red', 'none'])).toEqual({ green: 1, yellow: 0, red: 2, none: 1 });
  });
  it('default thresholds: any delay is yellow', () => {
    expect(trafficLight(project(1, { plan_landed_date: '2026-06-29' }), AS_OF).light).toBe('yellow');
  });
  it('thresholds are checked', () => {
    expect(checkLightThresholds({ yellowAfterDays: 30, redAfterDays: 90 })).toEqual([]);
    expect(checkLightThresholds({ yellowAfterDays: 90, redAfterDays: 30 })[0].zh).toBe('红灯天数须大于黄灯天数。');
    expect(checkLightThresholds({ yellowAfterDays: -1, redAfterDays: 1.5 })).toHaveLength(2);
    expect(checkLightThresholds(null)).toHaveLength(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
});

describe('a parcel follows its project', async () => {
  const { parcelFollowsProject } = await import('../../domain/parcelFollowsProject.ts');
  it('moves forward with the project dates, filling only missing dates', () => {
    expect(parcelFollowsProject({ landed_date: '2026-03-01', started_date: '2026-05-01' }, { status: 'available' })).toEqual({
      status: 'started',
      supplied_date: '2026-03-01',
      started_date: '2026-05-01',
    });
    expect(parcelFollowsProject({ landed_date: '2026-03-01', started_date: '2026-05-01' }, { status: 'supplied', supplied_date: '2026-02-20' })).toEqual({
      status: 'started',
      started_date: '2026-05-01',
    });
  });
  it('never moves backwards; a signed project does not touch its parcel', () => {
    expect(parcelFollowsProject({ landed_date: '2026-03-01' }, { status: 'producing' })).toBeNull();
    expect(parcelFollowsProject({ signed_date: '2026-03-01' }, { status: 'available' })).toBeNull();
  });
});

describe('configurable stages', async () => {
  const { DEFAULT_STAGE_LIST, checkStageList, stageDate } = await import('../../domain/projectStages.ts');
  const { checkProjectRecord } = await import('../../domain/projectFields.ts');
  // A city that records 竣工 between 开工 and 投产.
  const completed = { key: 'completed', zh: '竣工', en: 'Completed', color: '#805ad5', builtin: false };
  const withCompleted = [...DEFAULT_STAGE_LIST.slice(0, 4), completed, ...DEFAULT_STAGE_LIST.slice(4)];

  it('accepts added stages and renamed standard ones; refuses a list without the six in order', () => {
    expect(checkStageList(withCompleted)).toEqual([]);
    expect(checkStageList(DEFAULT_STAGE_LIST.map((s) => (s.key === 'landed' ? { ...s, zh: '供地' } : s)))).toEqual([]);
    const swapped = [DEFAULT_STAGE_LIST[0], DEFAULT_STAGE_LIST[2], DEFAULT_STAGE_LIST[1], ...DEFAULT_STAGE_LIST.slice(3)];
    expect(checkStageList(swapped).map((m) => m.zh)).toContain('六个标准阶段（谋划、签约、落地、开工、投产、达产）须全部保留并保持顺序。');
    expect(checkStageList(DEFAULT_STAGE_LIST.filter((s) => s.key !== 'landed')).length).toBeGreaterThan(0);
    expect(checkStageList([...withCompleted, { ...completed }]).map((m) => m.en)).toContain('Stage #8: the key "completed" is used twice.');
    expect(checkStageList([...DEFAULT_STAGE_LIST, { ...completed, key: 'Bad Key', color: 'red' }]).map((m) => m.zh)).toEqual([
      '第 7 个阶段：代码须为 2–31 位小写字母、数字或下划线，以字母开头。',
      '第 7 个阶段：颜色格式为 #rrggbb。',
    ]);
    expect(checkStageList([...DEFAULT_STAGE_LIST.slice(0, 6), { ...completed, builtin: true }])[0].en).toMatch(/builtin/);
  });

  it('checks a project in an added stage: its date is needed, and comes in order', () => {
    const p = { stage: 'completed', signed_date: '2025-01-01', started_date: '2025-03-01', extra_stage_dates: { completed: '2025-12-01' } };
    expect(stageDate(p, 'completed')).toBe('2025-12-01');
    expect(checkProjectRecord(p, withCompleted)).toEqual([]);
    expect(checkProjectRecord({ ...p, extra_stage_dates: {} }, withCompleted).map((e) => e.message_zh)).toEqual(['须填写当前阶段（竣工）的日期。']);
    expect(checkProjectRecord({ ...p, extra_stage_dates: { completed: '2025-02-01' } }, withCompleted)[0].message).toMatch(/stages must come in order/);
    // With the default list the stage is unknown.
    expect(checkProjectRecord(p)[0].message_zh).toBe('未知的项目阶段“completed”。');
  });

  it('an added stage after 开工 counts as started for the rates, 三未 and lights', () => {
    const p = project(1, { stage: 'completed', signed_date: '2025-01-01', extra_stage_dates: { completed: '2025-12-01' }, plan_producing_date: '2026-01-01' });
    expect(reachedStage(p, 'started', AS_OF, withCompleted)).toBe(true);
    expect(reachedStage(p, 'started', AS_OF)).toBe(false);
    expect(threeBatchRates([p], [entry(1, 1, 'signed')], 'count', AS_OF, withCompleted).start.share).toBe(1);
    expect(classifySanwei(p, AS_OF, withCompleted)).toMatchObject({ kind: 'landed_not_producing', since: '2025-12-01' });
    expect(trafficLight(p, AS_OF, { yellowAfterDays: 30, redAfterDays: 365 }, withCompleted)).toMatchObject({
      light: 'yellow',
      dueStage: 'producing',
      daysLate: 180,
    });
  });
});
