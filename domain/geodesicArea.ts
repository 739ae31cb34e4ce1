/**
 * Ellipsoidal (WGS84 / CGCS2000) area of a polygon in m², the figure of record for parcel areas. It is the
 * same computation PostGIS does for ST_Area(geography) (both use Karney's GeographicLib), so the client and
 * the server agree to a few square centimetres. Turf's `area` works on a sphere and is off by up to 0.11 %
 * at Shanxi's latitudes (−0.11 % at 40°N), which is too much for a figure that people compare with the
 * land register; Turf stays in use for geometry operations (clipping, points in polygons).
 */
import geographiclib from 'geographiclib-geodesic';
import type { Feature, Geometry, Position } from 'geojson';

const geod = geographiclib.Geodesic.WGS84;

function ringArea(ring: Position[]): number {
  const poly = geod.Polygon(false);
  // The closing vertex repeats the first: GeographicLib closes rings itself.
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  for (let i = 0; i < n; i++) poly.AddPoint(ring[i][1], ring[i][0]);
  return Math.abs(poly.Compute(false, true).area ?? 0);
}

function polygonArea(rings: Position[][]): number {
  if (rings.length === 0) return 0;
  const [outer, ...holes] = rings;
  return Math.max(0, ringArea(outer) - holes.reduce((s, h) => s + ringArea(h), 0));
}

/**
 * Area in m² of a Polygon or MultiPolygon (or a Feature or GeometryCollection holding them). Points and lines
 * have no area: 0, on purpose, like Turf's `area`.
 * Example: a 0.01° × 0.01° square at 112.5°E 37.8°N is 977,452.73 m².
 */
export function geodesicAreaSquareMetres(input: Geometry | Feature): number {
  const g = input.type === 'Feature' ? input.geometry : input;
  if (!g) return 0;
  switch (g.type) {
    case 'Polygon':
      return polygonArea(g.coordinates);
    case 'MultiPolygon':
      return g.coordinates.reduce((s, p) => s + polygonArea(p), 0);
    case 'GeometryCollection':
      return g.geometries.reduce((s, child) => s + geodesicAreaSquareMetres(child), 0);
    default:
      return 0;
  }
}
