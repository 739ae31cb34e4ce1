/**
 * The facts an investor needs about a parcel, in the order of the sheet: one definition for the parcel
 * sheet, its printed PDF and the comparison page.
 */
import { formatAreaMu, formatNumber, formatSquareMetres, formatWan, unitName, type Lang } from '../../../domain/format.ts';
import { placeName } from '../../../domain/places.ts';
import { landUseClass } from '../../../domain/landUse.ts';
import { ZONE_LEVELS, infrastructureGradeName } from '../../../domain/lifecycle.ts';
import type { PublicParcel } from './publicApi.ts';

export interface Fact {
  key: string;
  label: { zh: string; en: string };
  value: (p: PublicParcel, lang: Lang) => string;
}

const n = (v: number | null, digits: number, lang: Lang) => formatNumber(v, digits, lang);

export const PARCEL_FACTS: Fact[] = [
  { key: 'code', label: { zh: '地块编号', en: 'Parcel code' }, value: (p) => p.code },
  {
    key: 'location',
    label: { zh: '位置', en: 'Location' },
    value: (p, lang) =>
      `${placeName(p.city, lang)} ${p.county ? placeName(p.county, lang) : ''} · ${lang === 'en' && p.zone_name_en ? p.zone_name_en : p.zone_name}（${ZONE_LEVELS.find((l) => l.key === p.zone_level)![lang]}）`,
  },
  { key: 'area', label: { zh: '面积', en: 'Area' }, value: (p, lang) => `${formatAreaMu(p.area_m2, lang)}（${formatSquareMetres(p.area_m2, lang)}）` },
  { key: 'land_use', label: { zh: '用地性质', en: 'Land use' }, value: (p, lang) => `${p.land_use_code} ${landUseClass(p.land_use_code)?.[lang] ?? ''}` },
  {
    key: 'standard',
    label: { zh: '标准地', en: 'Standard land' },
    value: (p, lang) => (p.is_standard_land ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no'),
  },
  {
    key: 'intensity',
    label: { zh: '固定资产投资强度', en: 'Fixed-asset investment intensity' },
    value: (p, lang) =>
      p.min_investment_intensity_wan_per_mu === null ? '—' : `≥ ${n(p.min_investment_intensity_wan_per_mu, 0, lang)} ${unitName('万元/亩', lang)}`,
  },
  {
    key: 'far',
    label: { zh: '容积率', en: 'Floor-area ratio' },
    value: (p, lang) => (p.min_floor_area_ratio === null ? '—' : `${n(p.min_floor_area_ratio, 1, lang)} – ${n(p.max_floor_area_ratio, 1, lang)}`),
  },
  {
    key: 'tax',
    label: { zh: '亩均税收', en: 'Tax per mu' },
    value: (p, lang) => (p.min_tax_per_mu_wan === null ? '—' : `≥ ${n(p.min_tax_per_mu_wan, 0, lang)} ${unitName('万元/亩/年', lang)}`),
  },
  {
    key: 'energy',
    label: { zh: '单位能耗', en: 'Energy per output' },
    value: (p, lang) => (p.max_energy_tce_per_wan === null ? '—' : `≤ ${n(p.max_energy_tce_per_wan, 2, lang)} ${unitName('吨标煤/万元', lang)}`),
  },
  { key: 'environment', label: { zh: '环境标准', en: 'Environmental standard' }, value: (p) => p.environment_standard ?? '—' },
  {
    key: 'coverage',
    label: { zh: '建筑系数', en: 'Building coverage' },
    value: (p, lang) => (p.min_building_coverage_pct === null ? '—' : `≥ ${n(p.min_building_coverage_pct, 0, lang)}%`),
  },
  { key: 'green', label: { zh: '绿地率', en: 'Green ratio' }, value: (p, lang) => (p.max_green_pct === null ? '—' : `≤ ${n(p.max_green_pct, 0, lang)}%`) },
  {
    key: 'admin',
    label: { zh: '行政办公及生活服务设施用地比例', en: 'Office & living facilities' },
    value: (p, lang) => (p.max_admin_facility_pct === null ? '—' : `≤ ${n(p.max_admin_facility_pct, 0, lang)}%`),
  },
  {
    key: 'infrastructure',
    label: { zh: '基础设施', en: 'Infrastructure' },
    value: (p, lang) => infrastructureGradeName(p.infrastructure, lang) ?? (lang === 'zh' ? '部分配套（见清单）' : 'partly (see checklist)'),
  },
  {
    key: 'price',
    label: { zh: '土地价格', en: 'Land price' },
    value: (p, lang) => (p.land_price_wan === null ? (lang === 'zh' ? '面议' : 'on request') : formatWan(p.land_price_wan, lang)),
  },
  { key: 'industry', label: { zh: '园区主导产业', en: 'Zone’s leading industries' }, value: (p) => p.leading_industry ?? '—' },
];
