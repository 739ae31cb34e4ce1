/**
 * First checks on a polygon that comes from outside (an editor, an import): the GeoJSON shape, finite
 * coordinates in range, closed rings, a size limit. Validity (self-intersection) is PostGIS's job.
 */
import type { MultiPolygon, Polygon } from 'geojson';

export const MAX_VERTICES = 20_000;

export function checkPolygonInput(value: unknown): { geometry: Polygon | MultiPolygon } | { error: string } {
  if (!value || typeof value !== 'object') return { error: 'The geometry must be a GeoJSON Polygon or MultiPolygon.' };
  const g = value as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
    return { error: `The geometry must be a Polygon or MultiPolygon, not ${String(g.type).slice(0, 30)}.` };
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
  if (!Array.isArray(polygons) || polygons.length === 0) return { error: 'The geometry has no coordinates.' };
  let vertices = 0;
  for (const rings of polygons) {
    if (!Array.isArray(rings) || rings.length === 0) return { error: 'Each polygon needs at least one ring.' };
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4) return { error: 'Each ring needs at least 4 positions (a triangle, closed).' };
      for (const p of ring) {
        if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))) {
          return { error: 'Every position must be [longitude, latitude] with finite numbers.' };
        }
        if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          return {
            error: `Position [${p[0]}, ${p[1]}] is outside longitude −180..180 / latitude −90..90 (longitude first; projected coordinates must be converted).`,
          };
        }
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) return { error: 'Each ring must end where it starts (closed).' };
      vertices += ring.length;
    }
  }
  if (vertices > MAX_VERTICES) return { error: `The geometry has ${vertices} vertices; at most ${MAX_VERTICES} are accepted.` };
  return { geometry: value as Polygon | MultiPolygon };
}
