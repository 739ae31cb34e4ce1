/**
 * Layer ids, their stacking order, and the colour expressions. The legend is built from the same domain
 * tables as the expressions, so it always matches the map.
 */
import type { ExpressionSpecification, LayerSpecification, MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import { LIGHTS } from '../../../domain/projectSupervision.ts';
import { FIRST_LEVEL_LAND_USES } from '../../../domain/landUse.ts';
import { PARCEL_STATUSES } from '../../../domain/lifecycle.ts';
import { SUPPLIED_OR_LATER } from '../../../domain/idleLand.ts';
import type { StageDef } from '../../../domain/projectStages.ts';
import type { ColorBy } from '../lib/urlState.ts';
import { CONTEXT_LAYERS } from './context.ts';

export const SOURCES = {
  basemap: 'basemap',
  basemapLabels: 'basemap-labels',
  zones: 'zones',
  zoneLabels: 'zone-labels',
  parcels: 'parcels',
  projects: 'projects',
  idleBadges: 'idle-badges',
} as const;

export const LAYERS = {
  basemap: 'basemap',
  basemapLabels: 'basemap-labels',
  zonesFill: 'zones-fill',
  parcelsFill: 'parcels-fill',
  parcelsLine: 'parcels-line',
  parcelsSelected: 'parcels-selected',
  idleBadges: 'idle-badges',
  parcelLabels: 'parcel-labels',
  zonesLine: 'zones-line',
  zonesSelected: 'zones-selected',
  zonePoints: 'zone-points',
  projectClusters: 'project-clusters',
  projectClusterCount: 'project-cluster-count',
  projectPoints: 'project-points',
  projectSelected: 'project-selected',
  // Last: zone names stay readable over project clusters and pins.
  zoneLabels: 'zone-labels',
} as const;

/**
 * Every feature on our sources carries its record's id as the property `id`: the GeoJSON zones and projects,
 * and the vector tiles from both databases (server/tiles.ts). The parcels source promotes it to the
 * feature-state key, so clicks, outline filters and feature-state all key on this one property.
 */
export const ID_PROPERTY = 'id';

/** The record id of a clicked or queried feature; null (never NaN) if it has none. */
export function recordId(feature: MapGeoJSONFeature): number | null {
  const id = Number(feature.properties[ID_PROPERTY]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Bottom to top: the basemap, the context layer, the basemap's own labels, then ours. */
const ORDER: string[] = [
  LAYERS.basemap,
  ...Object.values(CONTEXT_LAYERS),
  LAYERS.basemapLabels,
  ...Object.values(LAYERS).filter((id) => id !== LAYERS.basemap && id !== LAYERS.basemapLabels),
];

/** Adds a layer at its place in ORDER, whatever order the components mount in. */
export function addLayerInOrder(map: MapLibreMap, layer: LayerSpecification): void {
  if (map.getLayer(layer.id)) return;
  const after = ORDER.slice(ORDER.indexOf(layer.id) + 1).find((id) => map.getLayer(id));
  map.addLayer(layer, after);
}

export const NO_DATA_COLOR = '#cbd5e0';

export interface LegendEntry {
  key: string;
  label: { zh: string; en: string };
  color: string;
}

/** Idle-land colours; the state comes from the idle report as feature-state (it depends on the date). */
export const IDLE_LEGEND: LegendEntry[] = [
  { key: 'idle', label: { zh: '闲置', en: 'Idle' }, color: '#c53030' },
  { key: 'at_risk', label: { zh: '临近闲置', en: 'At risk' }, color: '#ed8936' },
  { key: 'fine', label: { zh: '正常', en: 'On schedule' }, color: '#48bb78' },
  { key: 'no_agreed_date', label: { zh: '无约定动工日期', en: 'No agreed start date' }, color: '#a0aec0' },
  { key: 'not_supplied', label: { zh: '未供应', en: 'Not supplied' }, color: '#edf2f7' },
];

/** 亩均 classes of the enterprise on the parcel (its owner's), as feature-state from the evaluation. */
export const MUJUN_LEGEND: LegendEntry[] = [
  { key: 'A', label: { zh: 'A 类（优先发展）', en: 'A (priority)' }, color: '#22543d' },
  { key: 'B', label: { zh: 'B 类（支持发展）', en: 'B (support)' }, color: '#68d391' },
  { key: 'C', label: { zh: 'C 类（提升发展）', en: 'C (improve)' }, color: '#f6ad55' },
  { key: 'D', label: { zh: 'D 类（限制整治）', en: 'D (restrict)' }, color: '#c53030' },
  { key: 'none', label: { zh: '未评价', en: 'Not rated' }, color: '#edf2f7' },
];

/** A sequential ramp (ColorBrewer YlGnBu, colour-blind safe) for quantile classes of a 亩均 value. */
export const QUANTILE_RAMP = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];

/** The fill of parcels by quantile class (feature-state `mujunq`), grey where no rated enterprise has a value. */
export function quantileFillColor(classes: number): ExpressionSpecification {
  const pairs = QUANTILE_RAMP.slice(QUANTILE_RAMP.length - classes).flatMap((c, i) => [i, c]);
  return ['match', ['coalesce', ['feature-state', 'mujunq'], -1], ...pairs, '#edf2f7'] as unknown as ExpressionSpecification;
}

/** Legend entries for quantile classes: "< b₀", "b₀ – b₁", …, "≥ bₙ", in the indicator's unit. */
export function quantileLegend(breaks: number[], format: (v: number) => string, unit: string): LegendEntry[] {
  const ramp = QUANTILE_RAMP.slice(QUANTILE_RAMP.length - (breaks.length + 1));
  const none = { key: 'none', label: { zh: '无数据 / 未评价', en: 'No value / not rated' }, color: '#edf2f7' };
  if (breaks.length === 0) return [{ key: 'q0', label: { zh: '全部相同', en: 'All equal' }, color: ramp[0] }, none];
  const entries = ramp.map((color, i) => {
    const text = i === 0 ? `< ${format(breaks[0])}` : i === breaks.length ? `≥ ${format(breaks[i - 1])}` : `${format(breaks[i - 1])} – ${format(breaks[i])}`;
    return { key: `q${i}`, label: { zh: `${text} ${unit}`, en: `${text} ${unit}` }, color };
  });
  return [...entries, none];
}

export function parcelLegend(colorBy: ColorBy): LegendEntry[] {
  if (colorBy === 'idle') return IDLE_LEGEND;
  if (colorBy === 'mujun') return MUJUN_LEGEND;
  return colorBy === 'landUse'
    ? FIRST_LEVEL_LAND_USES.map((c) => ({ key: c.code, label: { zh: `${c.code} ${c.zh}`, en: `${c.code} ${c.en}` }, color: c.color }))
    : PARCEL_STATUSES.map((s) => ({ key: s.key, label: s, color: s.color }));
}

export function parcelFillColor(colorBy: ColorBy): ExpressionSpecification {
  if (colorBy === 'idle' || colorBy === 'mujun') {
    const pairs = parcelLegend(colorBy).flatMap((e) => [e.key, e.color]);
    // Idle: parcels the report does not list are working ones (on schedule) if supplied, else not supplied.
    const fallback = colorBy === 'idle' ? ['match', ['get', 'status'], SUPPLIED_OR_LATER, 'fine', 'not_supplied'] : 'none';
    return ['match', ['coalesce', ['feature-state', colorBy], fallback], ...pairs, '#edf2f7'] as unknown as ExpressionSpecification;
  }
  const property = colorBy === 'landUse' ? 'land_use_l1' : 'status';
  const pairs = parcelLegend(colorBy).flatMap((e) => [e.key, e.color]);
  return ['match', ['get', property], ...pairs, NO_DATA_COLOR] as unknown as ExpressionSpecification;
}

/** Pins by stage, from the configured stage list (client/src/state/stages.svelte.ts). */
export function projectLegend(stages: readonly StageDef[]): LegendEntry[] {
  return stages.map((s) => ({ key: s.key, label: s, color: s.color }));
}

export function projectColor(stages: readonly StageDef[]): ExpressionSpecification {
  return ['match', ['get', 'stage'], ...projectLegend(stages).flatMap((e) => [e.key, e.color]), NO_DATA_COLOR] as unknown as ExpressionSpecification;
}

/** Pins by traffic light (domain/projectSupervision.ts LIGHTS). */
export const projectLightColor = ['match', ['get', 'light'], ...LIGHTS.flatMap((l) => [l.key, l.color]), NO_DATA_COLOR] as unknown as ExpressionSpecification;

/**
 * Zones in the purple family (national plum, solid; provincial violet, dashed), apart from the pins' stage
 * colours (grey, yellow, orange, red, blue, green), the parcels' land-use colours and the context layer's browns.
 */
export const ZONE_COLORS = { national: '#8a1f6b', provincial: '#5b3cc4' } as const;

/** Project clusters: a neutral dark grey that is none of the stage colours; in the legend too. */
export const CLUSTER_COLOR = '#2d3748';

/** Zone names shortened for small scales: 经济技术开发区 → 经开区 and the like. */
export function shortZoneName(name: string): string {
  return name
    .replace(/^山西/, '')
    .replace('国家农业高新技术产业示范区', '农高区')
    .replace('经济技术开发区', '经开区')
    .replace('高新技术产业开发区', '高新区')
    .replace('综合改革示范区', '综改区');
}

export { LABEL_FONT } from './fonts.ts';
