/**
 * What PostGIS says of a proposed parcel geometry: validity (with a repaired version to offer), the area left
 * outside its zone, and the parcels it overlaps. Used before saving (to flag) and when saving (to refuse).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { checkPolygonInput } from '../../domain/geometryInput.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';

/** Below these, differences are rounding of the editor, not a real overlap or overhang. */
export const OVERLAP_TOLERANCE_M2 = 1;
export const OUTSIDE_TOLERANCE_M2 = 1;

export interface GeometryReport {
  valid: boolean;
  reason: string | null;
  repaired: MultiPolygon | null;
  area_m2: number | null;
  outside_zone_m2: number | null;
  overlaps: { id: number; code: string; overlap_m2: number }[];
}

export function parseGeometry(value: unknown): Polygon | MultiPolygon {
  const checked = checkPolygonInput(value);
  if ('error' in checked) throw badRequest(checked.error);
  return checked.geometry;
}

export async function checkParcelGeometry(
  tx: Queryable,
  geometry: Polygon | MultiPolygon,
  zoneId: number,
  excludeParcelIds: number[] = [],
): Promise<GeometryReport> {
  const [v] = await tx.query<{ valid: boolean; reason: string; repaired: MultiPolygon | null }>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT ST_IsValid(geom) AS valid, ST_IsValidReason(geom) AS reason,
       CASE WHEN ST_IsValid(geom) THEN NULL
            ELSE ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)), 7)::json END AS repaired
     FROM g`,
    [JSON.stringify(geometry)],
  );
  if (!v.valid) return { valid: false, reason: v.reason, repaired: v.repaired, area_m2: null, outside_zone_m2: null, overlaps: [] };
  const [zone] = await tx.query<{ outside_m2: number; area_m2: number }>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT ST_Area(geography(ST_Difference(g.geom, z.geom))) AS outside_m2, ST_Area(geography(g.geom)) AS area_m2
     FROM g, zones z WHERE z.id = $2`,
    [JSON.stringify(geometry), zoneId],
  );
  if (!zone) throw badRequest(`Unknown zone ${zoneId}.`);
  const overlaps = await tx.query<{ id: number; code: string; overlap_m2: number }>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT * FROM (
       SELECT p.id, p.code, ST_Area(geography(ST_Intersection(p.geom, g.geom))) AS overlap_m2
       FROM parcels p, g
       WHERE p.geom && g.geom AND ST_Intersects(p.geom, g.geom) AND NOT (p.id = ANY($2::int[]))
     ) s WHERE overlap_m2 > $3 ORDER BY overlap_m2 DESC`,
    [JSON.stringify(geometry), excludeParcelIds, OVERLAP_TOLERANCE_M2],
  );
  return { valid: true, reason: null, repaired: null, area_m2: zone.area_m2, outside_zone_m2: zone.outside_m2, overlaps };
}

/** Refuses what cannot be saved: invalid geometry (offering the repair), land outside the zone, unaccepted overlaps. */
export function assertSavable(report: GeometryReport, acceptOverlaps: boolean): void {
  if (!report.valid) {
    throw new HttpError(422, 'invalid_geometry', `The geometry is not valid (${report.reason}). A repaired version is offered: save it to accept the repair.`, {
      reason: report.reason,
      repaired: report.repaired,
    });
  }
  if ((report.outside_zone_m2 ?? 0) > OUTSIDE_TOLERANCE_M2) {
    throw new HttpError(
      422,
      'outside_zone',
      `${report.outside_zone_m2!.toFixed(1)} m² of the parcel lie outside its zone: a parcel must stay inside its zone.`,
      {
        outside_zone_m2: report.outside_zone_m2,
      },
    );
  }
  if (report.overlaps.length > 0 && !acceptOverlaps) {
    throw new HttpError(
      422,
      'overlaps',
      `The parcel overlaps ${report.overlaps.map((o) => `${o.code} (${o.overlap_m2.toFixed(1)} m²)`).join(', ')}. Adjust it, or save with the overlaps accepted.`,
      { overlaps: report.overlaps },
    );
  }
}
