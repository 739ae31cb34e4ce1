/**
 * 开发区土地集约利用评价 (TD/T 1029): the intensive-use indicators of a zone from its land totals.
 * The official text was not found; these follow the 2014 workflow as implemented publicly (shared
 * docs/domain.md). Each indicator carries its formula and inputs so that a page can show how it was made.
 * Shares are 0..1; per-area figures are 万元/公顷 (national convention); areas in m².
 */

/** Land uses counted as "cannot be built on": inland water and protective green belts. Correct here. */
export const UNBUILDABLE_LAND_USES = ['17', '1402'] as const;

export interface ZoneLandTotals {
  /** The zone's area (its boundary), m². */
  totalAreaM2: number;
  unbuildableAreaM2: number;
  /** Land ready for supply (可供应 and every later step), buildable land only. */
  readyAreaM2: number;
  suppliedAreaM2: number;
  builtAreaM2: number;
  /** Built industrial and storage land (1001xx, 1101). */
  industrialAreaM2: number;
  residentialAreaM2: number;
  /** Floor area built, all built land and industrial land only (m²). */
  floorAreaM2: number;
  industrialFloorAreaM2: number;
  /** Building footprints; null where the data is not collected. */
  buildingFootprintM2: number | null;
  industrialFootprintM2: number | null;
  /** Fixed-asset investment made on industrial land (万元). */
  industrialInvestmentWan: number;
  /** Tax of the enterprises on industrial land, and of all enterprises (万元, one year). */
  industrialTaxWan: number;
  allTaxWan: number;
  idleAreaM2: number;
}

export interface Indicator {
  key: string;
  zh: string;
  en: string;
  value: number | null;
  unit: '%' | '万元/公顷' | '';
  formula: string;
  /** The formula in English words. */
  formula_en: string;
  inputs: Record<string, number | null>;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b <= 0 ? null : a / b);
const perHectare = (wan: number, areaM2: number): number | null => (areaM2 > 0 ? wan / (areaM2 / 10_000) : null);

export function intensiveUseIndicators(t: ZoneLandTotals): Indicator[] {
  const buildable = t.totalAreaM2 - t.unbuildableAreaM2;
  return [
    {
      key: 'development_rate',
      zh: '土地开发率',
      en: 'Land development rate',
      unit: '%',
      value: ratio(t.readyAreaM2, buildable),
      formula: '已达到供地条件面积 ÷ (总面积 − 不可建设面积)',
      formula_en: 'ready area ÷ (total area − unbuildable area)',
      inputs: { readyAreaM2: t.readyAreaM2, totalAreaM2: t.totalAreaM2, unbuildableAreaM2: t.unbuildableAreaM2 },
    },
    {
      key: 'supply_rate',
      zh: '土地供应率',
      en: 'Land supply rate',
      unit: '%',
      value: ratio(t.suppliedAreaM2, t.readyAreaM2),
      formula: '已供应面积 ÷ 已达到供地条件面积',
      formula_en: 'supplied area ÷ ready area',
      inputs: { suppliedAreaM2: t.suppliedAreaM2, readyAreaM2: t.readyAreaM2 },
    },
    {
      key: 'built_rate',
      zh: '土地建成率',
      en: 'Land built-up rate',
      unit: '%',
      value: ratio(t.builtAreaM2, t.suppliedAreaM2),
      formula: '已建成面积 ÷ 已供应面积',
      formula_en: 'built area ÷ supplied area',
      inputs: { builtAreaM2: t.builtAreaM2, suppliedAreaM2: t.suppliedAreaM2 },
    },
    {
      key: 'industrial_share',
      zh: '工业用地率',
      en: 'Industrial land share',
      unit: '%',
      value: ratio(t.industrialAreaM2, t.builtAreaM2),
      formula: '工矿仓储用地面积 ÷ 已建成面积',
      formula_en: 'industrial & storage land ÷ built area',
      inputs: { industrialAreaM2: t.industrialAreaM2, builtAreaM2: t.builtAreaM2 },
    },
    {
      key: 'floor_area_ratio',
      zh: '综合容积率',
      en: 'Composite floor-area ratio',
      unit: '',
      value: ratio(t.floorAreaM2, t.builtAreaM2),
      formula: '总建筑面积 ÷ 已建成面积',
      formula_en: 'total floor area ÷ built area',
      inputs: { floorAreaM2: t.floorAreaM2, builtAreaM2: t.builtAreaM2 },
    },
    {
      key: 'building_density',
      zh: '建筑密度',
      en: 'Building density',
      unit: '%',
      value: ratio(t.buildingFootprintM2, t.builtAreaM2),
      formula: '建筑基底面积 ÷ 已建成面积',
      formula_en: 'building footprint ÷ built area',
      inputs: { buildingFootprintM2: t.buildingFootprintM2, builtAreaM2: t.builtAreaM2 },
    },
    {
      key: 'industrial_floor_area_ratio',
      zh: '工业用地综合容积率',
      en: 'Industrial floor-area ratio',
      unit: '',
      value: ratio(t.industrialFloorAreaM2, t.industrialAreaM2),
      formula: '工业用地建筑面积 ÷ 工业用地面积',
      formula_en: 'floor area on industrial land ÷ industrial land',
      inputs: { industrialFloorAreaM2: t.industrialFloorAreaM2, industrialAreaM2: t.industrialAreaM2 },
    },
    {
      key: 'industrial_coverage',
      zh: '工业用地建筑系数',
      en: 'Industrial building coverage',
      unit: '%',
      value: ratio(t.industrialFootprintM2, t.industrialAreaM2),
      formula: '工业用地建筑基底面积 ÷ 工业用地面积',
      formula_en: 'footprint on industrial land ÷ industrial land',
      inputs: { industrialFootprintM2: t.industrialFootprintM2, industrialAreaM2: t.industrialAreaM2 },
    },
    {
      key: 'industrial_investment_intensity',
      zh: '工业用地固定资产投入强度',
      en: 'Industrial fixed-asset investment intensity',
      unit: '万元/公顷',
      value: perHectare(t.industrialInvestmentWan, t.industrialAreaM2),
      formula: '工业用地固定资产投资 ÷ 工业用地面积',
      formula_en: 'fixed-asset investment on industrial land ÷ industrial land',
      inputs: { industrialInvestmentWan: t.industrialInvestmentWan, industrialAreaM2: t.industrialAreaM2 },
    },
    {
      key: 'industrial_tax_per_area',
      zh: '工业用地地均税收',
      en: 'Industrial tax per area',
      unit: '万元/公顷',
      value: perHectare(t.industrialTaxWan, t.industrialAreaM2),
      formula: '工业企业税收 ÷ 工业用地面积',
      formula_en: 'tax of industrial firms ÷ industrial land',
      inputs: { industrialTaxWan: t.industrialTaxWan, industrialAreaM2: t.industrialAreaM2 },
    },
    {
      key: 'tax_per_area',
      zh: '综合地均税收',
      en: 'Tax per built area',
      unit: '万元/公顷',
      value: perHectare(t.allTaxWan, t.builtAreaM2),
      formula: '税收总额 ÷ 已建成面积',
      formula_en: 'total tax ÷ built area',
      inputs: { allTaxWan: t.allTaxWan, builtAreaM2: t.builtAreaM2 },
    },
    {
      key: 'idle_ratio',
      zh: '土地闲置率',
      en: 'Idle land ratio',
      unit: '%',
      value: ratio(t.idleAreaM2, t.suppliedAreaM2),
      formula: '闲置土地面积 ÷ 已供应面积',
      formula_en: 'idle area ÷ supplied area',
      inputs: { idleAreaM2: t.idleAreaM2, suppliedAreaM2: t.suppliedAreaM2 },
    },
  ];
}

/** 工业主导型 when industrial land is over 30 % and residential under 25 % of built land, else 产城融合型. */
export function zoneType(t: Pick<ZoneLandTotals, 'industrialAreaM2' | 'residentialAreaM2' | 'builtAreaM2'>): 'industrial' | 'mixed' | null {
  if (t.builtAreaM2 <= 0) return null;
  return t.industrialAreaM2 / t.builtAreaM2 > 0.3 && t.residentialAreaM2 / t.builtAreaM2 < 0.25 ? 'industrial' : 'mixed';
}

/** Totals of several zones, for "all zones together": the indicators are recomputed from the sums, never averaged. */
export function sumTotals(list: ZoneLandTotals[]): ZoneLandTotals {
  const sum = (k: keyof ZoneLandTotals) => list.reduce((s, t) => s + ((t[k] as number | null) ?? 0), 0);
  const nullable = (k: 'buildingFootprintM2' | 'industrialFootprintM2') => (list.every((t) => t[k] !== null) && list.length ? sum(k) : null);
  return {
    totalAreaM2: sum('totalAreaM2'),
    unbuildableAreaM2: sum('unbuildableAreaM2'),
    readyAreaM2: sum('readyAreaM2'),
    suppliedAreaM2: sum('suppliedAreaM2'),
    builtAreaM2: sum('builtAreaM2'),
    industrialAreaM2: sum('industrialAreaM2'),
    residentialAreaM2: sum('residentialAreaM2'),
    floorAreaM2: sum('floorAreaM2'),
    industrialFloorAreaM2: sum('industrialFloorAreaM2'),
    buildingFootprintM2: nullable('buildingFootprintM2'),
    industrialFootprintM2: nullable('industrialFootprintM2'),
    industrialInvestmentWan: sum('industrialInvestmentWan'),
    industrialTaxWan: sum('industrialTaxWan'),
    allTaxWan: sum('allTaxWan'),
    idleAreaM2: sum('idleAreaM2'),
  };
}
