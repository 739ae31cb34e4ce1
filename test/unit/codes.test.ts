import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../../domain/creditCode.ts';
import {
  FIRST_LEVEL_LAND_USES,
  LAND_USE_CLASSES,
  firstLevelLandUse,
  isIndustrialLandUse,
  isKnownLandUseCode,
  landUseClass,
  landUseColor,
} from '../../domain/landUse.ts';
import { infrastructureGrade, INFRASTRUCTURE_ITEMS, isParcelStatus, parcelStatusRank } from '../../domain/lifecycle.ts';

describe('统一社会信用代码', () => {
  it('accepts a code whose check character is right', () => {
    // Example from GB 32100-2015's explanatory material.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });
  it('refuses a wrong check character, a wrong length and letters the standard leaves out', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false); // I is not used
  });
});

describe('land-use classes (2023 classification)', () => {
  const byLevel = (digits: number) => LAND_USE_CLASSES.filter((c) => c.code.length === digits);
  it('holds every first-, second- and third-level class of the 2023 guide', () => {
    // Counted by hand from the guide's table: 24 first-level classes 01–24, 111 second-level, 40 third-level.
    expect(byLevel(2).map((c) => c.code)).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
      '24',
    ]);
    expect(byLevel(4)).toHaveLength(111);
    expect(byLevel(6)).toHaveLength(40);
    expect(LAND_USE_CLASSES).toHaveLength(175);
    expect(new Set(LAND_USE_CLASSES.map((c) => c.code)).size).toBe(175);
  });
  it('names hand-checked classes as the guide does', () => {
    const name = (code: string) => landUseClass(code) && { zh: landUseClass(code)!.zh, parent: landUseClass(code)!.parent };
    expect(name('0901')).toEqual({ zh: '商业用地', parent: '09' });
    expect(name('1002')).toEqual({ zh: '采矿用地', parent: '10' });
    expect(name('15')).toEqual({ zh: '特殊用地', parent: undefined });
    expect(name('2301')).toEqual({ zh: '空闲地', parent: '23' });
    expect(name('110101')).toEqual({ zh: '一类物流仓储用地', parent: '1101' });
    expect(name('100101')).toEqual({ zh: '一类工业用地', parent: '1001' });
    expect(name('1201')).toEqual({ zh: '铁路用地', parent: '12' });
    expect(name('060102')).toEqual({ zh: '田间道', parent: '0601' });
    expect(name('1207')).toEqual({ zh: '城镇村道路用地', parent: '12' });
    expect(name('2206')).toEqual({ zh: '其他特殊用海', parent: '22' });
    expect(landUseClass('0903')!.zh).toBe('娱乐用地');
    expect(isKnownLandUseCode('090301')).toBe(false); // the 2020 trial's 娱乐康体 split is gone in 2023
    expect(isKnownLandUseCode('25')).toBe(false);
  });
  it('gives every class a known parent one level up, an English name, and every first level its own colour', () => {
    const orphans = LAND_USE_CLASSES.filter((c) => c.code.length > 2 && (c.parent !== c.code.slice(0, c.code.length - 2) || !isKnownLandUseCode(c.parent!)));
    expect(orphans).toEqual([]);
    expect(LAND_USE_CLASSES.filter((c) => !c.en || !c.zh)).toEqual([]);
    expect(FIRST_LEVEL_LAND_USES).toHaveLength(24);
    expect(new Set(FIRST_LEVEL_LAND_USES.map((c) => c.color)).size).toBe(24);
  });
  it('colours any code as its first level, and tells industrial land', () => {
    expect(firstLevelLandUse('100102')).toBe('10');
    expect(landUseColor('110101')).toBe(landUseColor('11'));
    expect(landUseColor('110101')).toBe('#9f7aea');
    expect(landUseColor('1503')).toBe('#556b2f');
    expect(landUseColor('99')).toBeUndefined();
    expect(isIndustrialLandUse('100103')).toBe(true);
    expect(isIndustrialLandUse('1101')).toBe(false);
  });
});

describe('lifecycle and infrastructure', () => {
  it('orders the parcel statuses', () => {
    expect(parcelStatusRank('reserve')).toBe(0);
    expect(parcelStatusRank('at_capacity')).toBe(6);
    expect(isParcelStatus('idle')).toBe(false);
  });
  it('grades 七通一平 and 九通一平', () => {
    const all = Object.fromEntries(INFRASTRUCTURE_ITEMS.map((i) => [i.key, true]));
    expect(infrastructureGrade(all)).toBe('九通一平');
    expect(infrastructureGrade({ ...all, sewage: false })).toBe('七通一平');
    expect(infrastructureGrade({ ...all, gas: false })).toBeNull();
  });
});
