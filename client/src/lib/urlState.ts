/**
 * The view in the URL, so that a copied link opens the same view:
 *   ?c=112.55,37.74&z=12.5&color=status&layers=zones,parcels&sel=parcel:123&lang=en&basemap=tianditu-vec&light=red&ctx=0&city=大同市
 * The scope (city=, county= with its city, zone=ids; none = the province) is shared by every page (domain/scope.ts).
 * Unknown or malformed values fall back to the defaults rather than breaking the page.
 */
import { LIGHT_KEYS, type Light } from '../../../domain/projectSupervision.ts';
import { parseScopeParams, scopeParams, type AtlasScope } from '../../../domain/scope.ts';

export type ColorBy = 'landUse' | 'status' | 'idle' | 'mujun';
export type LayerKey = 'zones' | 'parcels' | 'projects';
export type SelectionType = 'zone' | 'parcel' | 'project';
export interface Selection {
  type: SelectionType;
  id: number;
}

export interface UrlView {
  center: [number, number];
  zoom: number;
  colorBy: ColorBy;
  layers: LayerKey[];
  selection: Selection | null;
  lang: 'zh' | 'en';
  basemap: string;
  /** The offline context layer (boundaries and place names); off with ctx=0. */
  context: boolean;
  /** The date idle land is judged at; null = today. */
  asOf: string | null;
  /** Project pins of one traffic light only, or all. */
  light: 'all' | Light;
  /** What the lists and figures cover; null = none in the link (a zone-limited account then starts on its zones). */
  scope: AtlasScope | null;
}

/** Shanxi as a whole. */
export const DEFAULT_VIEW: UrlView = {
  center: [112.4, 37.7],
  zoom: 6.3,
  colorBy: 'landUse',
  layers: ['zones', 'parcels', 'projects'],
  selection: null,
  lang: 'zh',
  basemap: 'none',
  context: true,
  asOf: null,
  light: 'all',
  scope: null,
};
const ALL_LAYERS: LayerKey[] = ['zones', 'parcels', 'projects'];

export function parseUrlView(search: string): UrlView & { hasCenter: boolean } {
  const p = new URLSearchParams(search);
  const view: UrlView = { ...DEFAULT_VIEW, layers: [...DEFAULT_VIEW.layers] };
  let hasCenter = false;
  const c = p.get('c')?.split(',').map(Number);
  if (c && c.length === 2 && c.every(Number.isFinite) && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 85) {
    view.center = [c[0], c[1]];
    hasCenter = true;
  }
  const z = Number(p.get('z'));
  if (p.has('z') && Number.isFinite(z) && z >= 0 && z <= 22) view.zoom = z;
  if (['status', 'landUse', 'idle', 'mujun'].includes(p.get('color') ?? '')) view.colorBy = p.get('color') as ColorBy;
  const asOf = p.get('asOf');
  if (asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) && !Number.isNaN(Date.parse(asOf))) view.asOf = asOf;
  if (p.has('layers')) view.layers = (p.get('layers') ?? '').split(',').filter((l): l is LayerKey => (ALL_LAYERS as string[]).includes(l));
  const sel = /^(zone|parcel|project):(\d{1,9})$/.exec(p.get('sel') ?? '');
  if (sel) view.selection = { type: sel[1] as SelectionType, id: Number(sel[2]) };
  if (p.get('lang') === 'en') view.lang = 'en';
  const basemap = p.get('basemap');
  if (basemap && /^[\w-]{1,40}$/.test(basemap)) view.basemap = basemap;
  if (p.get('ctx') === '0') view.context = false;
  const light = p.get('light');
  if (light && (LIGHT_KEYS as readonly string[]).includes(light)) view.light = light as Light;
  view.scope = parseScope(search);
  return { ...view, hasCenter };
}

export function serializeUrlView(view: UrlView): string {
  const p = new URLSearchParams();
  p.set('c', `${view.center[0].toFixed(5)},${view.center[1].toFixed(5)}`);
  p.set('z', view.zoom.toFixed(2));
  if (view.colorBy !== DEFAULT_VIEW.colorBy) p.set('color', view.colorBy);
  if (view.layers.join(',') !== DEFAULT_VIEW.layers.join(',')) p.set('layers', view.layers.join(','));
  if (view.selection) p.set('sel', `${view.selection.type}:${view.selection.id}`);
  if (view.lang !== 'zh') p.set('lang', view.lang);
  if (view.basemap !== 'none') p.set('basemap', view.basemap);
  if (!view.context) p.set('ctx', '0');
  if (view.asOf) p.set('asOf', view.asOf);
  if (view.light !== 'all') p.set('light', view.light);
  if (view.scope) for (const [k, v] of scopeParams(view.scope)) p.set(k, v);
  return `?${p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':')}`;
}

/** The scope of a query string, or null when it names none (zone, county or city parameters). */
export function parseScope(search: string): AtlasScope | null {
  const p = new URLSearchParams(search);
  if (!p.has('zone') && !p.has('city') && !p.has('county')) return null;
  return parseScopeParams(p);
}

/** Replaces the scope parameters of a query string, keeping the others (for links between pages). */
export function withScope(search: string, scope: AtlasScope): string {
  const p = new URLSearchParams(search);
  for (const k of ['zone', 'city', 'county']) p.delete(k);
  for (const [k, v] of scopeParams(scope)) p.set(k, v);
  const s = p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  return s ? `?${s}` : '';
}
