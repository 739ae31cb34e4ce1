import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../../domain/creditCode.ts';
import { FIRST_LEVEL_LAND_USES, LAND_USE_CLASSES, firstLevelLandUse, isIndustrialLandUse, isKnownLandUseCode } from '../../domain/landUse.ts';
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

describe('land-use classes', () => {
  it('has a colour for every first-level class and a known parent for every sub-class', () => {
    expect(FIRST_LEVEL_LAND_USES.map((c) => c.code)).toEqual(['07', '08', '09', '10', '11', '12', '13', '14', '16', '17', '23']);
    for (const c of LAND_USE_CLASSES) if (c.parent) expect(isKnownLandUseCode(c.parent)).toBe(true);
    expect(new Set(FIRST_LEVEL_LAND_USES.map((c) => c.color)).size).toBe(FIRST_LEVEL_LAND_USES.length);
  });
  it('tells the first level and industrial land', () => {
    expect(firstLevelLandUse('100102')).toBe('10');
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
