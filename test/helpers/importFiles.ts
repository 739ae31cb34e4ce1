/**
 * Land files made by the tests themselves: shapefiles in CGCS2000 Gauss–Krüger (coordinates by proj4,
 * attributes in GBK or UTF-8), and uploads to the import API.
 */
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import type { MultiPolygon } from 'geojson';
import { fromLonLat, prjFor, type Position } from '../../server/import/crs.ts';
import { polygonShpShx, writeDbf } from '../../server/import/export.ts';
import type { Client } from './server.ts';
import type { Db } from '../../server/db/types.ts';

export interface ShapefileSpec {
  base?: string;
  /** The CRS the coordinates are written in. */
  epsg: number;
  fields: { name: string; type: 'text' | 'number' | 'date' | 'boolean' }[];
  records: Record<string, unknown>[];
  /** In lon/lat; projected to `epsg` here. */
  geometries: MultiPolygon[];
  encoding?: 'gbk' | 'utf-8';
  /** undefined: the right .prj; null: none; a string: that text. */
  prj?: string | null;
  /** undefined: names the encoding; null: none. */
  cpg?: string | null;
  omit?: ('shp' | 'shx' | 'dbf')[];
  truncateShpAt?: number;
  swapXY?: boolean;
}

export function project(g: MultiPolygon, epsg: number, swap = false): MultiPolygon {
  const f = fromLonLat(epsg);
  return {
    type: 'MultiPolygon',
    coordinates: g.coordinates.map((poly) =>
      poly.map((ring) =>
        ring.map((p) => {
          const q = f(p as Position);
          return swap ? [q[1], q[0]] : q;
        }),
      ),
    ),
  };
}

export async function shapefileZip(spec: ShapefileSpec): Promise<Buffer> {
  const base = spec.base ?? '地块';
  const encoding = spec.encoding ?? 'gbk';
  const { shp, shx } = await polygonShpShx(spec.geometries.map((g) => project(g, spec.epsg, spec.swapXY)));
  const dbf = writeDbf(
    spec.fields.map((f) => ({ column: f.name, dbf: f.name, type: f.type })),
    spec.records,
    (s) => (encoding === 'gbk' ? iconv.encode(s, 'gbk') : new TextEncoder().encode(s)),
  );
  const zip = new JSZip();
  const omit = spec.omit ?? [];
  if (!omit.includes('shp')) zip.file(`${base}.shp`, spec.truncateShpAt ? shp.subarray(0, spec.truncateShpAt) : shp);
  if (!omit.includes('shx')) zip.file(`${base}.shx`, shx);
  if (!omit.includes('dbf')) zip.file(`${base}.dbf`, dbf);
  if (spec.prj !== null) zip.file(`${base}.prj`, spec.prj ?? prjFor(spec.epsg));
  if (spec.cpg !== null) zip.file(`${base}.cpg`, spec.cpg ?? (encoding === 'gbk' ? 'GBK' : 'UTF-8'));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A square of `sideM` metres centred on a lon/lat point (small enough that degrees ≈ metres scaled). */
export function square(centre: [number, number], sideM: number): MultiPolygon {
  const dLat = sideM / 2 / 111_320;
  const dLon = sideM / 2 / (111_320 * Math.cos((centre[1] * Math.PI) / 180));
  const [x, y] = centre;
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [x - dLon, y - dLat],
          [x + dLon, y - dLat],
          [x + dLon, y + dLat],
          [x - dLon, y + dLat],
          [x - dLon, y - dLat],
        ],
      ],
    ],
  };
}

export async function upload(url: string, client: Client, fileName: string, body: Uint8Array, query = ''): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/imports${query}`, {
    method: 'POST',
    headers: {
      Cookie: client.cookie!,
      'X-CSRF-Token': client.csrfToken!,
      'Content-Type': 'application/octet-stream',
      'X-File-Name': encodeURIComponent(fileName),
    },
    body: body as unknown as BodyInit,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A free spot inside a zone: the centre and radius (m) of the largest circle clear of its parcels. */
export async function freeSpot(db: Db, zoneCode: string): Promise<{ zoneId: number; centre: [number, number]; radiusM: number }> {
  const [row] = await db.query<{ zone_id: number; x: number; y: number; r: number }>(
    `WITH z AS (SELECT id, geom FROM zones WHERE code = $1),
          free AS (SELECT z.id, ST_Difference(z.geom, coalesce((SELECT ST_Union(p.geom) FROM parcels p WHERE p.zone_id = z.id), 'GEOMETRYCOLLECTION EMPTY'::geometry)) AS g FROM z),
          c AS (SELECT id, (ST_MaximumInscribedCircle(g)).* FROM free)
     SELECT id AS zone_id, ST_X(center) AS x, ST_Y(center) AS y,
       ST_Distance(geography(center), geography(nearest)) AS r FROM c`,
    [zoneCode],
  );
  return { zoneId: row.zone_id, centre: [row.x, row.y], radiusM: row.r };
}

/** A fingerprint of everything an import may touch: changes when any parcel, enterprise, yearly figure or audit entry does. */
export async function dataChecksum(db: Db): Promise<string> {
  const [row] = await db.query<{ sum: string }>(
    `SELECT (SELECT count(*) FROM parcels)::text || ':' || (SELECT coalesce(md5(string_agg(id || '/' || version || '/' || code || '/' || md5(ST_AsBinary(geom)::text), ',' ORDER BY id)), '') FROM parcels)
       || ':' || (SELECT count(*) FROM audit_log)::text || ':' || (SELECT count(*) FROM import_items)::text
       || ':' || (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM enterprises)
       || ':' || (SELECT coalesce(md5(string_agg(to_jsonb(f)::text, ',' ORDER BY enterprise_id, year)), '') FROM enterprise_figures f)
       || ':' || (SELECT coalesce(md5(string_agg((to_jsonb(z) - 'geom')::text || md5(ST_AsBinary(z.geom)::text), ',' ORDER BY id)), '') FROM zones z)
       || ':' || (SELECT coalesce(md5(string_agg((to_jsonb(p) - 'geom')::text || md5(ST_AsBinary(p.geom)::text), ',' ORDER BY id)), '') FROM projects p) AS sum`,
  );
  return row.sum;
}
