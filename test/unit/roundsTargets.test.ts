/** The checks behind the round and target forms (the same code runs in the page and on the server). */
import { describe, expect, it } from 'vitest';
import { BATCH_LABELS, checkRoundInput, isBatch } from '../../domain/threeBatches.ts';
import { checkYearlyTargets } from '../../domain/zoneIndicators.ts';

describe('三个一批 round input', () => {
  it('takes a name of 1–40 characters and a real date', () => {
    expect(checkRoundInput({ name: '2026年第二次', held_on: '2026-09-20' })).toEqual([]);
    expect(checkRoundInput({ name: '字'.repeat(40), held_on: '2026-09-20' })).toEqual([]);
    expect(checkRoundInput({ name: '字'.repeat(41), held_on: '2026-09-20' })[0].zh).toBe('轮次名称最多 40 个字。');
    expect(checkRoundInput({ name: '  ', held_on: '2026-09-20' })[0].zh).toMatch(/轮次须有名称/);
    expect(checkRoundInput({ name: 'a\tb', held_on: '2026-09-20' })[0].en).toMatch(/control characters/);
    expect(checkRoundInput({ name: '2026年第二次', held_on: '2026-02-29' })).toHaveLength(1);
    expect(checkRoundInput({ name: '2028年第一次', held_on: '2028-02-29' })).toEqual([]);
    expect(checkRoundInput({ name: '1989年', held_on: '1989-12-31' })).toHaveLength(1);
    expect(checkRoundInput({})).toHaveLength(2);
  });

  it('checks only what a rename gives, and refuses an empty rename', () => {
    expect(checkRoundInput({ name: '新名称' }, true)).toEqual([]);
    expect(checkRoundInput({ held_on: '2026-10-01' }, true)).toEqual([]);
    expect(checkRoundInput({ held_on: '2026-10-32' }, true)).toHaveLength(1);
    expect(checkRoundInput({}, true)[0].en).toMatch(/Nothing to change/);
  });

  it('names the batches as the reports do', () => {
    expect(Object.values(BATCH_LABELS).map((b) => b.zh)).toEqual(['签约一批', '开工一批', '投产一批']);
    expect(isBatch('started')).toBe(true);
    expect(isBatch('landed')).toBe(false);
  });
});

describe('yearly growth targets', () => {
  const ok = { year: 2026, value_added_growth_target_pct: 10, investment_growth_target_pct: null };
  it('takes targets above −100 % and up to 200 %, or none', () => {
    expect(checkYearlyTargets(ok)).toEqual([]);
    expect(checkYearlyTargets({ ...ok, value_added_growth_target_pct: 200, investment_growth_target_pct: -99.9 })).toEqual([]);
    expect(checkYearlyTargets({ ...ok, value_added_growth_target_pct: 200.01 }).map((p) => p.field)).toEqual(['value_added_growth_target_pct']);
    expect(checkYearlyTargets({ ...ok, investment_growth_target_pct: -100 }).map((p) => p.field)).toEqual(['investment_growth_target_pct']);
    expect(checkYearlyTargets({ ...ok, value_added_growth_target_pct: Number.NaN })).toHaveLength(1);
    expect(checkYearlyTargets({ ...ok, value_added_growth_target_pct: '10' })).toHaveLength(1);
  });
  it('takes a whole year from 1990 to 2100', () => {
    expect(checkYearlyTargets({ ...ok, year: 1990 })).toEqual([]);
    expect(checkYearlyTargets({ ...ok, year: 2101 })[0].zh).toMatch(/年份须为 1990—2100 之间的整数/);
    expect(checkYearlyTargets({ ...ok, year: 2026.5 })).toHaveLength(1);
    expect(checkYearlyTargets({ ...ok, year: undefined })).toHaveLength(1);
  });
});
