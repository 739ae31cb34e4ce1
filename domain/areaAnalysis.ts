/**
 * "Draw an area, get its figures": the land inside a polygon, computed in the browser from the parcels in
 * view. Parcels are cut at the polygon's edge with Turf, and a parcel half inside counts half (its area,
 * and its output, are taken in proportion). Areas are ellipsoidal (geodesicAreaSquareMetres).
 */
import { booleanPointInPolygon, intersect } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { geodesicAreaSquareMetres } from './geodesicArea.ts';
import { areaMuFromSquareMetres } from './units.ts';

export interface AnalysedParcelProps {
  id: number;
  land_use: string;
  /** Supplied, built (completed or later) and idle as of the report's date. */
  supplied: boolean;
  built: boolean;
  idle: boolean;
  industrial: boolean;
  /** Output attributed to the parcel (万元, one year), and the land enterprises use on it (m²). */
  output_wan: number;
  used_m2: number;
  /** The parcel's ellipsoidal area (m²) as stored; computed from the geometry when absent. */
  area_m2?: number;
}

export interface AreaFigures {
  /** Parcel land inside the area (m²), and how many parcels it touches. */
  parcelAreaM2: number;
  parcelCount: number;
  landUseM2: Record<string, number>;
  suppliedM2: number;
  builtM2: number;
  idleM2: number;
  /** Shares of the parcel land inside: supplied, built; idle ratio = idle ÷ supplied. */
  suppliedShare: number | null;
  builtShare: number | null;
  idleRatio: number | null;
  /** Per-mu output on industrial land in use: Σ output ÷ Σ used industrial land (万元/亩). */
  outputWan: number;
  outputPerMu: number | null;
}

function bbox(coords: Position[][][]): [number, number, number, number] {
  let w = 180,
    s = 90,
    e = -180,
    n = -90;
  for (const poly of coords)
    for (const [x, y] of poly[0]) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  return [w, s, e, n];
}

/** Whether a segment meets a box (Liang–Barsky clipping). */
function segmentMeetsBox([x0, y0]: Position, [x1, y1]: Position, [w, s, e, n]: [number, number, number, number]): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  for (const [p, q] of [
    [-dx, x0 - w],
    [dx, e - x0],
    [-dy, y0 - s],
    [dy, n - y0],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

function edgeCrossesBox(area: Feature<Polygon | MultiPolygon>, box: [number, number, number, number]): boolean {
  const rings = (area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates).flat();
  return rings.some((ring) => ring.some((pt, i) => i > 0 && segmentMeetsBox(ring[i - 1], pt, box)));
}

/** The area's outline, prepared once for all the parcels of an analysis. */
interface PreparedArea {
  feature: Feature<Polygon | MultiPolygon>;
  box: [number, number, number, number];
  vertices: Position[];
}

function prepare(area: Feature<Polygon | MultiPolygon>): PreparedArea {
  const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
  return { feature: area, box: bbox(polygons), vertices: polygons.flatMap((p) => p.flat()) };
}

/** The share (0..1) of a parcel inside the area; a quick answer for parcels clearly in or out. */
export function shareInside(parcel: MultiPolygon, area: Feature<Polygon | MultiPolygon>, prepared: PreparedArea = prepare(area)): number {
  const areaBox = prepared.box;
  const [w, s, e, n] = bbox(parcel.coordinates);
  if (e < areaBox[0] || w > areaBox[2] || n < areaBox[1] || s > areaBox[3]) return 0;
  const corners = parcel.coordinates.flatMap((p) => p[0]);
  const inside = corners.filter((c) => booleanPointInPolygon(c, area)).length;
  // All corners inside and no area vertex inside the parcel's box: the parcel lies wholly within.
  const areaVertices = prepared.vertices;
  const vertexInBox = areaVertices.some(([x, y]) => x > w && x < e && y > s && y < n);
  if (inside === corners.length && !vertexInBox) return 1;
  if (inside === 0 && !vertexInBox && !edgeCrossesBox(area, [w, s, e, n])) return 0;
  const cut = intersect({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: {}, geometry: parcel }, area as Feature<Polygon | MultiPolygon>],
  });
  if (!cut) return 0;
  const whole = geodesicAreaSquareMetres(parcel);
  return whole > 0 ? Math.min(1, geodesicAreaSquareMetres(cut) / whole) : 0;
}

export function analyseArea(parcels: Feature<MultiPolygon, AnalysedParcelProps>[], area: Feature<Polygon | MultiPolygon>): AreaFigures {
  const prepared = prepare(area);
  const f: AreaFigures = {
    parcelAreaM2: 0,
    parcelCount: 0,
    landUseM2: {},
    suppliedM2: 0,
    builtM2: 0,
    idleM2: 0,
    suppliedShare: null,
    builtShare: null,
    idleRatio: null,
    outputWan: 0,
    outputPerMu: null,
  };
  let usedIndustrialM2 = 0;
  for (const p of parcels) {
    const props = p.properties;
    const share = shareInside(p.geometry, area, prepared);
    if (share <= 0) continue;
    // The stored area is the same ellipsoidal figure (PostGIS, GeographicLib): no need to recompute it.
    const wholeM2 = props.area_m2 ?? geodesicAreaSquareMetres(p.geometry);
    const m2 = wholeM2 * share;
    f.parcelCount++;
    f.parcelAreaM2 += m2;
    const l1 = props.land_use.slice(0, 2);
    f.landUseM2[l1] = (f.landUseM2[l1] ?? 0) + m2;
    if (props.supplied) f.suppliedM2 += m2;
    if (props.built) f.builtM2 += m2;
    if (props.idle) f.idleM2 += m2;
    if (props.industrial && props.used_m2 > 0) {
      f.outputWan += props.output_wan * share;
      usedIndustrialM2 += props.used_m2 * share;
    }
  }
  f.suppliedShare = f.parcelAreaM2 > 0 ? f.suppliedM2 / f.parcelAreaM2 : null;
  f.builtShare = f.parcelAreaM2 > 0 ? f.builtM2 / f.parcelAreaM2 : null;
  f.idleRatio = f.suppliedM2 > 0 ? f.idleM2 / f.suppliedM2 : null;
  f.outputPerMu = usedIndustrialM2 > 0 ? f.outputWan / areaMuFromSquareMetres(usedIndustrialM2) : null;
  return f;
}
