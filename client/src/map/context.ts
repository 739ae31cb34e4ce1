/**
 * The offline context layer: Shanxi's province, city (地级市) and county (区县) boundaries, the seats of
 * their governments with names, and the neighbouring provinces, from data/context/shanxi-context.geojson
 * (derived from an MIT-licensed npm package; see data/context/NOTICE.md). The file is part of the build:
 * no request leaves the machine. Drawn under zones and parcels; its labels yield to theirs.
 */
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import contextUrl from '../../../data/context/shanxi-context.geojson?url';
import { LABEL_FONT } from './fonts.ts';

export const CONTEXT_SOURCE = 'context';
export const CONTEXT_URL = contextUrl;

/** Bottom to top. */
export const CONTEXT_LAYERS = {
  neighbourFill: 'context-neighbour-fill',
  countyFill: 'context-county-fill',
  countyLine: 'context-county-line',
  cityLine: 'context-city-line',
  provinceLine: 'context-province-line',
  countySeats: 'context-county-seats',
  citySeats: 'context-city-seats',
  areaLabels: 'context-area-labels',
  countyLabels: 'context-county-labels',
  cityLabels: 'context-city-labels',
} as const;

/** The land fills: opaque on the plain background, see-through over a basemap (which has its own land). */
export const CONTEXT_FILLS = [CONTEXT_LAYERS.neighbourFill, CONTEXT_LAYERS.countyFill];

const kind = (k: string): ExpressionSpecification => ['==', ['get', 'kind'], k];
const seat = (rank: string): FilterSpecification => ['all', kind('seat'), ['==', ['get', 'rank'], rank]];

export function contextName(lang: 'zh' | 'en'): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['get', 'name'];
}

/** The layers, bottom to top. Colours are quiet browns and greys, apart from the zones' reds and blues. */
export function contextLayers(lang: 'zh' | 'en'): LayerSpecification[] {
  const src = CONTEXT_SOURCE;
  const text = contextName(lang);
  return [
    { id: CONTEXT_LAYERS.neighbourFill, type: 'fill', source: src, filter: kind('neighbour'), paint: { 'fill-color': '#efece5' } },
    { id: CONTEXT_LAYERS.countyFill, type: 'fill', source: src, filter: kind('county'), paint: { 'fill-color': '#fbf9f4' } },
    {
      id: CONTEXT_LAYERS.countyLine,
      type: 'line',
      source: src,
      filter: kind('county-line'),
      minzoom: 6,
      paint: { 'line-color': '#b8ad9b', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.4, 10, 1.1], 'line-dasharray': [3, 2] },
    },
    {
      id: CONTEXT_LAYERS.cityLine,
      type: 'line',
      source: src,
      filter: kind('city'),
      paint: { 'line-color': '#978b78', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.7, 10, 1.8] },
    },
    {
      id: CONTEXT_LAYERS.provinceLine,
      type: 'line',
      source: src,
      filter: kind('province'),
      paint: { 'line-color': '#6e6352', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 1.4, 10, 3] },
    },
    {
      id: CONTEXT_LAYERS.countySeats,
      type: 'circle',
      source: src,
      filter: seat('county'),
      minzoom: 8,
      paint: { 'circle-radius': 2.5, 'circle-color': '#ffffff', 'circle-stroke-color': '#6e6352', 'circle-stroke-width': 1.2 },
    },
    {
      id: CONTEXT_LAYERS.citySeats,
      type: 'circle',
      source: src,
      filter: seat('city'),
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 5, 3, 10, 5],
        'circle-color': '#ffffff',
        'circle-stroke-color': '#3d352b',
        'circle-stroke-width': 1.8,
      },
    },
    {
      // Neighbouring provinces' names, and 山西省 itself when the whole province is small.
      id: CONTEXT_LAYERS.areaLabels,
      type: 'symbol',
      source: src,
      maxzoom: 8.5,
      filter: ['any', kind('neighbour'), ['all', kind('province'), ['<', ['zoom'], 6]]],
      layout: { 'text-field': text, 'text-font': LABEL_FONT, 'text-size': 14, 'text-letter-spacing': 0.3, 'text-padding': 20 },
      paint: { 'text-color': '#8c8272', 'text-halo-color': '#f3f1ec', 'text-halo-width': 1.5 },
    },
    {
      id: CONTEXT_LAYERS.countyLabels,
      type: 'symbol',
      source: src,
      filter: seat('county'),
      minzoom: 8,
      layout: {
        'text-field': text,
        'text-font': LABEL_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 12, 13],
        'text-anchor': 'top',
        'text-offset': [0, 0.45],
        'text-padding': 4,
      },
      paint: { 'text-color': '#5c5244', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    },
    {
      id: CONTEXT_LAYERS.cityLabels,
      type: 'symbol',
      source: src,
      filter: seat('city'),
      layout: {
        'text-field': text,
        'text-font': LABEL_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 5, 12, 10, 15],
        // Any side of the seat that the zones' names leave free.
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
        'text-radial-offset': 0.6,
        'text-padding': 2,
      },
      paint: { 'text-color': '#3d352b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
    },
  ];
}

/** Adds the source and layers to a map (the public pages' maps; the internal map places them in its ORDER). */
export function addContext(map: MapLibreMap, lang: 'zh' | 'en', beforeId?: string): void {
  if (!map.getSource(CONTEXT_SOURCE)) map.addSource(CONTEXT_SOURCE, { type: 'geojson', data: CONTEXT_URL });
  for (const layer of contextLayers(lang)) if (!map.getLayer(layer.id)) map.addLayer(layer, beforeId);
}

export function setContextLanguage(map: MapLibreMap, lang: 'zh' | 'en'): void {
  for (const id of [CONTEXT_LAYERS.areaLabels, CONTEXT_LAYERS.countyLabels, CONTEXT_LAYERS.cityLabels]) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', contextName(lang));
  }
}

export function setContextVisible(map: MapLibreMap, visible: boolean): void {
  for (const id of Object.values(CONTEXT_LAYERS)) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

/** Over a basemap the land fills go clear (they stay for hit-testing), so the basemap shows through. */
export function setContextOverBasemap(map: MapLibreMap, overBasemap: boolean): void {
  for (const id of CONTEXT_FILLS) if (map.getLayer(id)) map.setPaintProperty(id, 'fill-opacity', overBasemap ? 0 : 1);
}

export interface ContextFeatureProps {
  kind: 'province' | 'city' | 'county' | 'seat' | 'neighbour';
  name: string;
  name_en?: string;
  adcode?: string;
  city?: string;
  rank?: 'city' | 'county';
}
