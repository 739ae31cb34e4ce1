/** Exports of parcels, zones and projects as files, for signed-in users (internal fields included). */
import { z } from 'zod';
import { defineContract, type ResponseSpec } from './define.ts';
import { documentedAs } from './common.ts';
import { param } from './parcels.ts';

/** The file formats (server/import/export.ts writes them; the route's types tie the two lists together). */
export const EXPORT_FORMAT_KEYS = ['geojson', 'shp', 'kml', 'csv', 'xlsx', 'gpkg', 'txt'] as const;

const format = z
  .enum(EXPORT_FORMAT_KEYS, { error: `must be one of ${EXPORT_FORMAT_KEYS.join(', ')}` })
  .meta({
    description:
      'gpkg: GeoPackage; shp: zipped Shapefile with .prj and .cpg; csv: with WKT; txt: the ministry coordinate TXT (GBK; Gauss–Krüger crs only; parcels and zones). Default geojson.',
  })
  .optional();
// Checked in the route against the coordinate systems the server knows (server/import/crs.ts), with a message naming them.
const crs = param(20)
  .meta(
    documentedAs({
      type: 'string',
      description:
        '4326 (WGS84, default), 4490 (CGCS2000 lon/lat) or a CGCS2000 Gauss–Krüger EPSG code 4491–4554 ("EPSG:" may precede it); KML takes 4326 or 4490',
      example: '4547',
    }),
  )
  .optional();
const zone = param(2000, 'Zone ids, comma-separated (default all zones)').optional();

/**
 * The file (Content-Disposition: attachment). One response per status in the contract: each format's own
 * Content-Type is named in the description (fileTypes), the document says binary.
 */
const files = {
  200: {
    description: 'The file (Content-Disposition: attachment); its Content-Type follows the format',
    contentType: 'application/octet-stream',
  } satisfies ResponseSpec,
};
const fileTypes =
  'Content types: geojson application/geo+json, shp application/zip, kml application/vnd.google-earth.kml+xml, csv text/csv (UTF-8 with BOM), xlsx application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, gpkg application/geopackage+sqlite3, txt text/plain (GBK).';

export const exportParcels = defineContract({
  method: 'get',
  path: '/api/export/parcels',
  summary: 'Export parcels (all, or filtered) as GeoJSON, Shapefile, KML, CSV, Excel, GeoPackage or the ministry TXT, in WGS84 or a CGCS2000 Gauss–Krüger zone',
  description: `Internal fields included: signed-in users only. At most 20,000 parcels (narrow the filter otherwise). ${fileTypes}`,
  tags: ['exports'],
  access: 'signedIn',
  query: z.strictObject({
    format,
    crs,
    zone,
    status: param(2000, 'Lifecycle statuses, comma-separated').optional(),
    landUse: param(2000, 'Land-use codes, comma-separated; a code matches the codes below it').optional(),
    bbox: param(200, 'minLon,minLat,maxLon,maxLat (WGS84), at most 60° a side').optional(),
  }),
  responses: files,
  errors: [400, 401],
});

export const exportZones = defineContract({
  method: 'get',
  path: '/api/export/zones',
  summary: 'Export zone boundaries (all, or some) in the same formats and coordinate systems as parcels',
  description: fileTypes,
  tags: ['exports'],
  access: 'signedIn',
  query: z.strictObject({ format, crs, zone }),
  responses: files,
  errors: [400, 401],
});

export const exportProjects = defineContract({
  method: 'get',
  path: '/api/export/projects',
  summary: 'Export projects (all, or of some zones) as points in the same formats and coordinate systems as parcels',
  description: `The columns are those the importer reads back (zone, parcel and enterprise by code, stage by its Chinese name). Not as the coordinate TXT (it holds polygons). ${fileTypes}`,
  tags: ['exports'],
  access: 'signedIn',
  query: z.strictObject({ format, crs, zone }),
  responses: files,
  errors: [400, 401],
});
