/**
 * Writers for exports: GeoJSON, Shapefile (.zip with .prj and .cpg), KML, CSV (with WKT) and Excel, in
 * WGS84 or a CGCS2000 Gauss–Krüger zone. Column names are the ones the importer recognises, so an export
 * imports back unchanged.
 */
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { geoJSONToWkt } from 'betterknown';
import { stringifyCsv } from '../lib/csvCells.ts';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { IMPORT_TARGETS, PROJECT_TARGETS } from '../../domain/importMapping.ts';
import { crsByEpsg, fromLonLat, prjFor, type Position } from './crs.ts';
import { writeGeoPackage } from './geopackage.ts';
import { writeMinistryTxt } from './ministryTxt.ts';

const require = createRequire(import.meta.url);
// shp-write's low-level writer gives the .shp and .shx of polygons; its .dbf is ASCII-only, so ours is written below.
const shpWrite = require('@mapbox/shp-write/src/write.js') as (
  rows: object[],
  type: string,
  geometries: unknown[],
  cb: (err: unknown, files: { shp: DataView; shx: DataView }) => void,
) => void;

export const EXPORT_FORMATS = ['geojson', 'shp', 'kml', 'csv', 'xlsx', 'gpkg', 'txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One exported column: the parcel column, the shapefile field name (≤ 10 ASCII), the table header. */
export interface ExportColumn {
  column: string;
  dbf: string;
  header: string;
  type: 'text' | 'number' | 'date' | 'boolean';
}

export const EXPORT_COLUMNS: ExportColumn[] = IMPORT_TARGETS.map((t) => ({
  column: t.key === 'zone' ? 'zone_code' : t.key === 'registered_area' ? 'registered_area_m2' : t.column!,
  dbf: t.short,
  header: t.key === 'registered_area' ? '登记面积（m²）' : t.zh,
  type: t.kind === 'date' ? 'date' : t.kind === 'number' || t.kind === 'area' ? 'number' : t.kind === 'boolean' ? 'boolean' : 'text',
}));
EXPORT_COLUMNS.push({ column: 'area_m2', dbf: 'TXMJ', header: '图形面积（m²）', type: 'number' });
/**
 * Read-only columns: the agreed start date in force after extensions (《闲置土地处置办法》 Art. 8) and how many
 * extensions were signed. Their names match no import target, so an export still imports back unchanged
 * (extensions are recorded one agreement at a time, with their documents, not by import).
 */
export const EXTENSION_EXPORT_COLUMNS: ExportColumn[] = [
  { column: 'effective_agreed_start_date', dbf: 'YCKGSJ', header: '延期后约定开工时间', type: 'date' },
  { column: 'extension_count', dbf: 'YCCS', header: '延期次数', type: 'number' },
];
EXPORT_COLUMNS.push(...EXTENSION_EXPORT_COLUMNS);

export type ExportRow = Record<string, unknown> & { geometry: MultiPolygon | Point };

function reproject<G extends MultiPolygon | Point>(g: G, epsg: number): G {
  if (crsByEpsg(epsg)!.kind === 'geographic') return g;
  const f = fromLonLat(epsg);
  if (g.type === 'Point') return { type: 'Point', coordinates: f(g.coordinates as Position) } as unknown as G;
  return { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map((p) => f(p as Position)))) } as unknown as G;
}

/**
 * The columns of an exported project list: the import's target names (the zone by its code, the parcel by
 * its code, the enterprise by its credit code, the stage by its Chinese name), so the list imports back.
 */
export const PROJECT_EXPORT_COLUMNS: ExportColumn[] = PROJECT_TARGETS.map((t) => ({
  column: t.key === 'zone' ? 'zone_code' : t.key,
  dbf: t.short,
  header: t.zh,
  type: t.kind === 'date' ? 'date' : t.kind === 'number' || t.kind === 'money' ? 'number' : t.kind === 'boolean' ? 'boolean' : 'text',
}));

/** The columns of an exported zones layer. */
export const ZONE_EXPORT_COLUMNS: ExportColumn[] = [
  { column: 'code', dbf: 'YQDM', header: '园区代码', type: 'text' },
  { column: 'name', dbf: 'YQMC', header: '园区名称', type: 'text' },
  { column: 'level', dbf: 'JB', header: '级别', type: 'text' },
  { column: 'city', dbf: 'SZS', header: '所在市', type: 'text' },
  { column: 'county', dbf: 'SZX', header: '所在县', type: 'text' },
  { column: 'leading_industry', dbf: 'ZDCY', header: '主导产业', type: 'text' },
  { column: 'approved_area_ha', dbf: 'PZMJ', header: '批准面积（公顷）', type: 'number' },
  { column: 'area_m2', dbf: 'TXMJ', header: '图形面积（m²）', type: 'number' },
];

function features(rows: ExportRow[], epsg: number, columns: ExportColumn[]): Feature<MultiPolygon | Point>[] {
  return rows.map((r) => {
    const properties: Record<string, unknown> = {};
    for (const c of columns) properties[c.header] = r[c.column] ?? null;
    const geometry = reproject(r.geometry, epsg);
    return { type: 'Feature', geometry: geometry.type === 'MultiPolygon' ? orientRings(geometry, 'counterclockwise') : geometry, properties };
  });
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  extension: string;
}

export async function writeExport(
  rows: ExportRow[],
  format: ExportFormat,
  epsg: number,
  baseName: string,
  columns: ExportColumn[] = EXPORT_COLUMNS,
): Promise<ExportFile> {
  switch (format) {
    case 'geojson': {
      const fc: FeatureCollection & { crs?: unknown } = { type: 'FeatureCollection', features: features(rows, epsg, columns) };
      // RFC 7946 is lon/lat only; projected output names its CRS the old (2008) way, which GDAL and QGIS read.
      if (epsg !== 4326) fc.crs = { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${epsg}` } };
      return { body: Buffer.from(JSON.stringify(fc)), contentType: 'application/geo+json; charset=utf-8', extension: 'geojson' };
    }
    case 'kml':
      return {
        body: Buffer.from(writeKml(features(rows, 4326, columns), columns, baseName, epsg)),
        contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8',
        extension: 'kml',
      };
    case 'csv': {
      const header = [...columns.map((c) => c.header), 'WKT'];
      const body = stringifyCsv(
        features(rows, epsg, columns).map((f) => [...columns.map((c) => cellText(f.properties![c.header])), geoJSONToWkt(f.geometry)]),
        { header: true, columns: header },
      );
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
    }
    case 'xlsx': {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(layerTitle(baseName));
      ws.addRow([...columns.map((c) => c.header), 'WKT']);
      ws.getRow(1).font = { bold: true };
      for (const f of features(rows, epsg, columns)) ws.addRow([...columns.map((c) => f.properties![c.header] ?? null), geoJSONToWkt(f.geometry)]);
      return {
        body: Buffer.from(await wb.xlsx.writeBuffer()),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    }
    case 'shp':
      return { body: await writeShapefileZip(rows, epsg, baseName, columns), contentType: 'application/zip', extension: 'zip' };
    case 'gpkg': {
      const layer = baseName.startsWith('projects') ? ['projects', '项目'] : baseName.startsWith('zones') ? ['zones', '园区'] : ['parcels', '地块'];
      const body = await writeGeoPackage({
        table: layer[0],
        identifier: layer[1],
        epsg,
        columns: columns.map((c) => ({ name: c.header, type: c.type })),
        features: features(rows, epsg, columns).map((f) => ({ geometry: f.geometry, properties: f.properties! })),
        geometryType: rows[0]?.geometry.type === 'Point' || baseName.startsWith('projects') ? 'POINT' : 'MULTIPOLYGON',
      });
      return { body, contentType: 'application/geopackage+sqlite3', extension: 'gpkg' };
    }
    case 'txt': {
      // Parcels: the registered area (the drawn one when none is registered); zones: their drawn area.
      const zones = baseName.startsWith('zones');
      const parcels = rows.map((r) => {
        const m2 = (zones ? r.area_m2 : (r.registered_area_m2 ?? r.area_m2)) as number | null;
        return {
          code: String(r.code ?? ''),
          name: String((zones ? r.name : r.code) ?? ''),
          areaHa: m2 === null || m2 === undefined ? null : m2 / 10_000,
          landUseCode: zones ? null : ((r.land_use_code as string | null) ?? null),
          geometry: reproject(r.geometry as MultiPolygon, epsg),
        };
      });
      return { body: writeMinistryTxt(parcels, epsg), contentType: 'text/plain; charset=GBK', extension: 'txt' };
    }
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** Text for XML: markup characters escaped, characters XML 1.0 forbids dropped. */
function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- exactly the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function kmlGeometry(g: MultiPolygon | Point): string {
  const coordinates = (ring: number[][]) => `<coordinates>${ring.map((p) => `${p[0]},${p[1]}`).join(' ')}</coordinates>`;
  if (g.type === 'Point') return `<Point>${coordinates([g.coordinates])}</Point>`;
  const polygons = g.coordinates.map(
    (poly) =>
      `<Polygon>${poly.map((ring, i) => (i === 0 ? `<outerBoundaryIs><LinearRing>${coordinates(ring)}</LinearRing></outerBoundaryIs>` : `<innerBoundaryIs><LinearRing>${coordinates(ring)}</LinearRing></innerBoundaryIs>`)).join('')}</Polygon>`,
  );
  return polygons.length === 1 ? polygons[0] : `<MultiGeometry>${polygons.join('')}</MultiGeometry>`;
}

/**
 * KML with a typed <Schema> and <SchemaData>/<SimpleData> per placemark: GDAL's LIBKML driver (QGIS)
 * reads every Chinese field name and value from these, while it garbles <Data name="…"> (non-ASCII names
 * become underscores and merge). Booleans are written 是/否 as text: togeojson (our importer) reads a
 * "bool" SimpleData "false" as true. Empty values are left out. KML is WGS84 longitude/latitude by
 * definition; asked for CGCS2000 (4490), the same numbers are written (the two differ by centimetres) and
 * the document says so.
 */
function writeKml(feats: Feature<MultiPolygon | Point>[], columns: ExportColumn[], baseName: string, epsg: number): string {
  const schemaId = baseName.replace(/[^A-Za-z0-9_]/g, '_');
  const title = layerTitle(baseName);
  const note =
    epsg === 4490
      ? '坐标为 CGCS2000 经纬度（EPSG:4490），按 KML 规范标注为 WGS84 经纬度；两者相差仅厘米级。Coordinates are CGCS2000 longitude/latitude, labelled WGS84 as KML requires; the two differ by centimetres.'
      : '坐标为 WGS84 经纬度（EPSG:4326）。Coordinates are WGS84 longitude/latitude.';
  const fields = columns.map((c) => `<SimpleField name="${xmlText(c.header)}" type="${c.type === 'number' ? 'double' : 'string'}"/>`).join('');
  const placemarks = feats.map((f) => {
    const props = f.properties ?? {};
    const data = columns
      .filter((c) => props[c.header] !== null && props[c.header] !== undefined)
      .map((c) => `<SimpleData name="${xmlText(c.header)}">${xmlText(cellText(props[c.header]))}</SimpleData>`)
      .join('');
    return `<Placemark><name>${xmlText(cellText(props[columns[0].header]))}</name><ExtendedData><SchemaData schemaUrl="#${schemaId}">${data}</SchemaData></ExtendedData>${kmlGeometry(f.geometry)}</Placemark>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    `<Document><name>${xmlText(baseName)}</name><description>${xmlText(note)}</description>`,
    `<Schema name="${schemaId}" id="${schemaId}">${fields}</Schema>`,
    `<Folder><name>${xmlText(title)}</name>`,
    ...placemarks,
    '</Folder></Document></kml>',
    '',
  ].join('\n');
}

/** The Chinese name of an exported layer: a KML folder, an Excel sheet. */
function layerTitle(baseName: string): string {
  return baseName.startsWith('projects') ? '项目' : baseName.startsWith('zones') ? '园区' : '地块';
}

/** The signed area of a ring by the shoelace formula, x east and y north: positive when counter-clockwise. */
function ringSignedArea(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/**
 * The polygons with every outer ring turned one way and every hole the other. Shapefiles want outer rings
 * clockwise (ESRI's specification; GDAL and ArcGIS take a counter-clockwise ring for a hole); GeoJSON
 * (RFC 7946), KML and WKT readers expect the reverse. Stored outlines may run either way.
 */
function orientRings(g: MultiPolygon, outer: 'clockwise' | 'counterclockwise'): MultiPolygon {
  const outerCcw = outer === 'counterclockwise';
  return {
    type: 'MultiPolygon',
    coordinates: g.coordinates.map((poly) =>
      poly.map((ring, i) => (ringSignedArea(ring) > 0 === (i === 0 ? outerCcw : !outerCcw) ? ring : [...ring].reverse())),
    ),
  };
}

/**
 * dBase III table, text in UTF-8 (named by the .cpg) unless another encoder is given: text, numbers with 8
 * decimals, logicals, and dates as real `D` fields (YYYYMMDD, empty = 8 spaces) so GIS software sees dates.
 */
export function writeDbf(
  columns: Pick<ExportColumn, 'column' | 'dbf' | 'type'>[],
  records: Record<string, unknown>[],
  encode: (s: string) => Uint8Array = (s) => new TextEncoder().encode(s),
): Buffer {
  const enc = { encode };
  const specs = columns.map((c) => {
    if (c.type === 'number') return { c, type: 'N', length: 19, decimals: 8 };
    if (c.type === 'boolean') return { c, type: 'L', length: 1, decimals: 0 };
    if (c.type === 'date') return { c, type: 'D', length: 8, decimals: 0 };
    const longest = Math.max(1, ...records.map((r) => enc.encode(cellText(r[c.column])).length));
    return { c, type: 'C', length: Math.min(254, longest), decimals: 0 };
  });
  const headerLength = 32 + specs.length * 32 + 1;
  const recordLength = 1 + specs.reduce((s, f) => s + f.length, 0);
  const buf = Buffer.alloc(headerLength + records.length * recordLength + 1, 0x20);
  buf.fill(0, 0, headerLength);
  const now = new Date();
  buf.writeUInt8(0x03, 0);
  buf.writeUInt8(now.getUTCFullYear() - 1900, 1);
  buf.writeUInt8(now.getUTCMonth() + 1, 2);
  buf.writeUInt8(now.getUTCDate(), 3);
  buf.writeUInt32LE(records.length, 4);
  buf.writeUInt16LE(headerLength, 8);
  buf.writeUInt16LE(recordLength, 10);
  specs.forEach((f, i) => {
    const at = 32 + i * 32;
    let name = f.c.dbf;
    while (enc.encode(name).length > 10) name = name.slice(0, -1);
    Buffer.from(enc.encode(name)).copy(buf, at);
    buf.write(f.type, at + 11, 1, 'ascii');
    buf.writeUInt8(f.length, at + 16);
    buf.writeUInt8(f.decimals, at + 17);
  });
  buf.writeUInt8(0x0d, headerLength - 1);
  records.forEach((r, k) => {
    let at = headerLength + k * recordLength;
    buf.write(' ', at++, 'ascii');
    for (const f of specs) {
      const v = r[f.c.column];
      let bytes: Uint8Array;
      if (v === null || v === undefined) bytes = f.type === 'L' ? enc.encode('?') : new Uint8Array();
      else if (f.type === 'N') bytes = enc.encode(Number(v).toFixed(f.decimals).padStart(f.length).slice(-f.length));
      else if (f.type === 'L') bytes = enc.encode(v ? 'T' : 'F');
      else if (f.type === 'D') bytes = enc.encode(dbfDate(v));
      else {
        // Cut at a character boundary so a Chinese character is never split.
        let text = cellText(v);
        while (enc.encode(text).length > f.length) text = text.slice(0, -1);
        bytes = enc.encode(text);
      }
      Buffer.from(bytes).copy(buf, at);
      at += f.length;
    }
  });
  buf.writeUInt8(0x1a, buf.length - 1);
  return buf;
}

/** A date column's value (the database gives 'YYYY-MM-DD') as a DBF date, YYYYMMDD. */
function dbfDate(v: unknown): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
  if (!m) throw new Error(`Not a YYYY-MM-DD date: ${String(v)}`);
  return `${m[1]}${m[2]}${m[3]}`;
}

/** The .shp and .shx of polygons already in the output CRS (rings turned the shapefile way). */
export async function polygonShpShx(geometries: MultiPolygon[]): Promise<{ shp: Buffer; shx: Buffer }> {
  const files = await new Promise<{ shp: DataView; shx: DataView }>((resolve, reject) =>
    shpWrite(
      geometries.map(() => ({})),
      'POLYGON',
      geometries.map((g) => orientRings(g, 'clockwise').coordinates),
      (err, f) => (err ? reject(err) : resolve(f)),
    ),
  );
  return { shp: Buffer.from(files.shp.buffer), shx: Buffer.from(files.shx.buffer) };
}

/** The .shp and .shx of points already in the output CRS. */
async function pointShpShx(points: Point[]): Promise<{ shp: Buffer; shx: Buffer }> {
  const files = await new Promise<{ shp: DataView; shx: DataView }>((resolve, reject) =>
    shpWrite(
      points.map(() => ({})),
      'POINT',
      points.map((p) => p.coordinates),
      (err, f) => (err ? reject(err) : resolve(f)),
    ),
  );
  return { shp: Buffer.from(files.shp.buffer), shx: Buffer.from(files.shx.buffer) };
}

async function writeShapefileZip(rows: ExportRow[], epsg: number, baseName: string, columns: ExportColumn[]): Promise<Buffer> {
  const zip = new JSZip();
  if (rows.length) {
    const files =
      rows[0].geometry.type === 'Point'
        ? await pointShpShx(rows.map((r) => reproject(r.geometry as Point, epsg)))
        : await polygonShpShx(rows.map((r) => reproject(r.geometry as MultiPolygon, epsg)));
    zip.file(`${baseName}.shp`, files.shp);
    zip.file(`${baseName}.shx`, files.shx);
  }
  zip.file(`${baseName}.dbf`, writeDbf(columns, rows));
  zip.file(`${baseName}.prj`, prjFor(epsg));
  zip.file(`${baseName}.cpg`, 'UTF-8');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
