import { describe, expect, it } from 'vitest';
import { defaultScope, exportFileName, scopeLabel, zoneIdsOf, type ZonePlace } from '../../domain/scope.ts';
import { rollUpBy, rollUpIdle, rollUpOutputPerMu } from '../../domain/rollup.ts';
import { expandZoneQuery, shortZoneName } from '../../domain/zoneNames.ts';

const ZONES: ZonePlace[] = [
  { id: 1, name: '大同经济技术开发区', name_en: 'Datong ETDZ', city: '大同市', county: '平城区' },
  { id: 2, name: '新荣经济技术开发区', city: '大同市', county: '新荣区' },
  { id: 3, name: '朔州经济技术开发区', city: '朔州市', county: '朔城区' },
  { id: 4, name: '阳泉高新技术产业开发区', city: '阳泉市', county: '郊区' },
  { id: 5, name: '某某经济技术开发区', city: '晋城市', county: '郊区' },
];

describe('scope (province → city → county → zone)', () => {
  it('gives the zones of each level', () => {
    expect(zoneIdsOf({ level: 'province' }, ZONES)).toBeNull();
    expect(zoneIdsOf({ level: 'city', city: '大同市' }, ZONES)).toEqual([1, 2]);
    expect(zoneIdsOf({ level: 'county', county: '郊区', city: '阳泉市' }, ZONES)).toEqual([4]);
    // Two cities have a 郊区: without the city both are meant.
    expect(zoneIdsOf({ level: 'county', county: '郊区', city: null }, ZONES)).toEqual([4, 5]);
    expect(zoneIdsOf({ level: 'zone', zoneIds: [3] }, ZONES)).toEqual([3]);
  });
  it('names the scope with short zone names', () => {
    expect(scopeLabel({ level: 'province' }, ZONES)).toBe('山西省');
    expect(scopeLabel({ level: 'province' }, ZONES, 'en')).toBe('Shanxi');
    expect(scopeLabel({ level: 'zone', zoneIds: [1] }, ZONES)).toBe('大同经开区');
    expect(scopeLabel({ level: 'zone', zoneIds: [1, 4] }, ZONES)).toBe('大同经开区、阳泉高新区');
    expect(scopeLabel({ level: 'zone', zoneIds: [1] }, ZONES, 'en')).toBe('Datong ETDZ');
  });
  it('starts a zone-limited account on its zones', () => {
    expect(defaultScope([7])).toEqual({ level: 'zone', zoneIds: [7] });
    expect(defaultScope(null)).toEqual({ level: 'province' });
    expect(defaultScope([])).toEqual({ level: 'province' });
  });
  it('makes export file names of what, scope and date', () => {
    expect(exportFileName('闲置土地', '大同经开区', '2026-11-28')).toBe('闲置土地_大同经开区_2026-11-28');
    expect(exportFileName('闲置土地', 'a/b:c', '2026-11-28')).toBe('闲置土地_abc_2026-11-28');
  });
});

describe('roll-up: sums, and ratios from the sums', () => {
  it('recomputes the idle ratio from summed areas (not the mean of the ratios)', () => {
    // Zone A: 10 of 100 idle (10 %); zone B: 30 of 50 idle (60 %). Mean of ratios would be 35 %;
    // the sums give 40 of 150 = 26.666… %.
    const a = { supplied_area_m2: 100, idle_area_m2: 10, approved_unsupplied_area_m2: 5, supplied_unused_area_m2: 1, idle_count: 1, at_risk_count: 2 };
    const b = { supplied_area_m2: 50, idle_area_m2: 30, approved_unsupplied_area_m2: 7, supplied_unused_area_m2: 2, idle_count: 3, at_risk_count: 0 };
    const r = rollUpIdle([a, b]);
    expect(r.supplied_area_m2).toBe(150);
    expect(r.idle_area_m2).toBe(40);
    expect(r.approved_unsupplied_area_m2).toBe(12);
    expect(r.supplied_unused_area_m2).toBe(3);
    expect(r.idle_count).toBe(4);
    expect(r.at_risk_count).toBe(2);
    expect(r.idle_ratio).toBeCloseTo(0.266667, 5);
    expect(rollUpIdle([]).idle_ratio).toBeNull();
  });
  it('recomputes per-mu output from summed output and land', () => {
    // 1000 万元 on 10 亩 (100/亩) and 300 万元 on 20 亩 (15/亩): 1300 ÷ 30 = 43.33 万元/亩, not (100+15)/2 = 57.5.
    const r = rollUpOutputPerMu([
      { output_wan: 1000, land_mu: 10 },
      { output_wan: 300, land_mu: 20 },
    ]);
    expect(r.output_per_mu).toBeCloseTo(43.3333, 3);
    expect(rollUpOutputPerMu([{ output_wan: 5, land_mu: 0 }]).output_per_mu).toBeNull();
  });
  it('rolls zones up by city', () => {
    const rows = [
      { city: '大同市', output_wan: 100, land_mu: 10 },
      { city: '朔州市', output_wan: 50, land_mu: 5 },
      { city: '大同市', output_wan: 20, land_mu: 30 },
    ];
    expect(rollUpBy(rows, (r) => r.city, rollUpOutputPerMu)).toEqual([
      { key: '大同市', value: { output_wan: 120, land_mu: 40, output_per_mu: 3 } },
      { key: '朔州市', value: { output_wan: 50, land_mu: 5, output_per_mu: 10 } },
    ]);
  });
});

describe('zone short names and search aliases', () => {
  it('shortens the usual suffixes', () => {
    expect(shortZoneName('大同经济技术开发区')).toBe('大同经开区');
    expect(shortZoneName('阳泉高新技术产业开发区')).toBe('阳泉高新区');
    expect(shortZoneName('晋中国家农业高新技术产业示范区')).toBe('晋中农高区');
    expect(shortZoneName('山西转型综合改革示范区')).toBe('山西转型综改区');
    expect(shortZoneName('右玉生态示范区')).toBe('右玉生态示范区');
  });
  it('expands short forms a user types into the long names', () => {
    // 经开区 is said of 经济技术开发区 and of the older 经济开发区: both are tried.
    expect(expandZoneQuery('大同经开区')).toEqual(['大同经开区', '大同经济技术开发区', '大同经济开发区']);
    expect(expandZoneQuery('阳泉高新区')).toEqual(['阳泉高新区', '阳泉高新技术产业开发区']);
    expect(expandZoneQuery('大同开发区')).toEqual(['大同开发区', '大同经济技术开发区', '大同高新技术产业开发区']);
    expect(expandZoneQuery('大同经开')).toEqual(['大同经开', '大同经开区']);
    expect(expandZoneQuery('朔州')).toEqual(['朔州']);
  });
});
