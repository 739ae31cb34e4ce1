import { describe, expect, it } from 'vitest';
import { intensiveUseIndicators, sumTotals, zoneType, type ZoneLandTotals } from '../../domain/intensiveUse.ts';

// A hand-made zone: 1,000 ha with 100 ha of water; 600 ha ready, 450 ha supplied, 300 ha built, of which
// 180 ha industrial and 30 ha housing; 3,000,000 m² floor area (2,000,000 on industrial land).
const ha = (n: number) => n * 10_000;
const zone: ZoneLandTotals = {
  totalAreaM2: ha(1000),
  unbuildableAreaM2: ha(100),
  readyAreaM2: ha(600),
  suppliedAreaM2: ha(450),
  builtAreaM2: ha(300),
  industrialAreaM2: ha(180),
  residentialAreaM2: ha(30),
  floorAreaM2: 3_000_000,
  industrialFloorAreaM2: 2_000_000,
  buildingFootprintM2: null,
  industrialFootprintM2: null,
  industrialInvestmentWan: 1_620_000,
  industrialTaxWan: 90_000,
  allTaxWan: 120_000,
  idleAreaM2: ha(18),
};
const value = (t: ZoneLandTotals, key: string) => intensiveUseIndicators(t).find((i) => i.key === key)!.value;

describe('intensive-use indicators', () => {
  it('computes each indicator from its formula', () => {
    expect(value(zone, 'development_rate')).toBeCloseTo(600 / 900, 12); // 66.67 %
    expect(value(zone, 'supply_rate')).toBeCloseTo(450 / 600, 12); // 75 %
    expect(value(zone, 'built_rate')).toBeCloseTo(300 / 450, 12); // 66.67 %
    expect(value(zone, 'industrial_share')).toBeCloseTo(0.6, 12);
    expect(value(zone, 'floor_area_ratio')).toBeCloseTo(1.0, 12); // 3,000,000 m² on 300 ha
    expect(value(zone, 'industrial_floor_area_ratio')).toBeCloseTo(2_000_000 / 1_800_000, 12);
    expect(value(zone, 'industrial_investment_intensity')).toBeCloseTo(9000, 9); // 1,620,000 万元 / 180 ha
    expect(value(zone, 'industrial_tax_per_area')).toBeCloseTo(500, 9); // 90,000 / 180
    expect(value(zone, 'tax_per_area')).toBeCloseTo(400, 9); // 120,000 / 300
    expect(value(zone, 'idle_ratio')).toBeCloseTo(0.04, 12); // 18 / 450
  });

  it('says "no value" rather than 0 when the data is missing or the base is empty', () => {
    expect(value(zone, 'building_density')).toBeNull();
    expect(value(zone, 'industrial_coverage')).toBeNull();
    const empty = { ...zone, suppliedAreaM2: 0, builtAreaM2: 0, industrialAreaM2: 0 };
    expect(value(empty, 'built_rate')).toBeNull();
    expect(value(empty, 'idle_ratio')).toBeNull();
    expect(value(empty, 'industrial_tax_per_area')).toBeNull();
  });

  it('shows each formula with its inputs', () => {
    const dev = intensiveUseIndicators(zone).find((i) => i.key === 'development_rate')!;
    expect(dev.formula).toBe('已达到供地条件面积 ÷ (总面积 − 不可建设面积)');
    expect(dev.formula_en).toBe('ready area ÷ (total area − unbuildable area)');
    expect(dev.inputs).toEqual({ readyAreaM2: ha(600), totalAreaM2: ha(1000), unbuildableAreaM2: ha(100) });
  });

  it('tells 工业主导型 from 产城融合型 at the 30 % / 25 % edges', () => {
    expect(zoneType(zone)).toBe('industrial'); // 60 % industrial, 10 % housing
    expect(zoneType({ industrialAreaM2: 30, residentialAreaM2: 0, builtAreaM2: 100 })).toBe('mixed'); // exactly 30 %: not over
    expect(zoneType({ industrialAreaM2: 31, residentialAreaM2: 25, builtAreaM2: 100 })).toBe('mixed'); // housing not under 25 %
    expect(zoneType({ industrialAreaM2: 31, residentialAreaM2: 24, builtAreaM2: 100 })).toBe('industrial');
    expect(zoneType({ industrialAreaM2: 0, residentialAreaM2: 0, builtAreaM2: 0 })).toBeNull();
  });

  it('recomputes the all-zones figures from summed totals, not by averaging', () => {
    const small: ZoneLandTotals = { ...zone, suppliedAreaM2: ha(50), idleAreaM2: ha(10) }; // 20 % idle
    const all = sumTotals([zone, small]);
    expect(all.suppliedAreaM2).toBe(ha(500));
    expect(value(all, 'idle_ratio')).toBeCloseTo(28 / 500, 12); // 5.6 %, not (4 % + 20 %) / 2
    expect(all.buildingFootprintM2).toBeNull();
  });
});
