/**
 * Readers for the files land bureaus have: Shapefile (.zip), GeoJSON, KML/KMZ, CSV and Excel. Each gives
 * the same thing: numbered features with their attributes and geometry in the file's own coordinates,
 * plus what the file says of its coordinate system. Anything unreadable is refused with the file, the
 * feature or row, and the reason.
 */
import type { Geometry, Position } from 'geojson';
import { DOMParser } from '@xmldom/xmldom';
import { kml as kmlToGeoJSON } from '@tmcw/togeojson';
import { wktToGeoJSON } from 'betterknown';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import * as shapefile from 'shapefile';
import { convertNumber } from '../../domain/importMapping.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { crsFromPrj } from './crs.ts';
import { featureAt, importError, rowAt } from './errors.ts';
import { isSqlite, readGeoPackage } from './geopackage.ts';
import { looksLikeMinistryTxt, readMinistryTxt } from './ministryTxt.ts';
import { readZip } from './zip.ts';
import {
  VertexBudget,
  checkGeometryLimits,
  kmlVertexCounts,
  nestedTooDeep,
  scanJson,
  shpVertexCounts,
  tooManyVerticesInFeature,
  tooManyVerticesInFile,
  uploadLimits,
  wktDepth,
  xmlDepth,
} from './limits.ts';
import { restoreCsvCell } from '../lib/csvCells.ts';
import { loadWorkbook } from '../lib/spreadsheet.ts';

export type SourceFormat = 'shapefile' | 'geojson' | 'kml' | 'csv' | 'xlsx' | 'geopackage' | 'ministry-txt';

export interface SourceFeature {
  /** 1-based position in the file (feature number, or the spreadsheet's row number). */
  n: number;
  /** How a person finds it in the file: "feature 3", "row 5". */
  where: Message;
  properties: Record<string, unknown>;
  /** In the file's own coordinates; null for attribute tables. */
  geometry: Geometry | null;
}

export interface SourceDataset {
  fileName: string;
  format: SourceFormat;
  columns: string[];
  features: SourceFeature[];
  /** What the file declares: an EPSG code read from a .prj or a GeoJSON crs member (KML is always lon/lat). */
  declaredEpsg: number | null;
  prjName: string | null;
  /** Text encoding of the attributes and how it was chosen. */
  encoding: string | null;
  notes: Message[];
}

/** Which reader a file goes to, by extension, then by its first bytes. */
export function detectFormat(fileName: string, head: Buffer): SourceFormat | 'kmz' | 'cad' | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'gpkg' || isSqlite(head)) return 'geopackage';
  if (ext === 'dxf' || ext === 'dwg' || head.subarray(0, 4).toString('latin1') === 'AC10') return 'cad';
  // The ministry's coordinate TXT is told from a CSV by its [属性描述] / [地块坐标] sections.
  if ((ext === 'txt' || ext === 'csv' || ext === '') && looksLikeMinistryTxt(head)) return 'ministry-txt';
  if (ext === 'zip') return 'shapefile';
  if (ext === 'kmz') return 'kmz';
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  if (ext === 'kml') return 'kml';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'shapefile';
  return null;
}

export async function readDataset(fileName: string, data: Buffer): Promise<SourceDataset> {
  const dataset = await readByFormat(fileName, data);
  // Every reader checks its own format before building geometry; this catches what a reader builds from
  // few bytes (a WKT cell, the ministry's TXT) and is cheap: one loop over the vertices.
  const budget = new VertexBudget(fileName);
  for (const f of dataset.features) checkGeometryLimits(budget, f.where, f.geometry);
  return dataset;
}

async function readByFormat(fileName: string, data: Buffer): Promise<SourceDataset> {
  if (data.length === 0) throw importError(fileName, null, msg('The file is empty.', '文件为空。'), 400, 'import_empty');
  const format = detectFormat(fileName, data);
  switch (format) {
    case 'shapefile':
      return readShapefileZip(fileName, data);
    case 'geojson':
      return readGeoJson(fileName, data);
    case 'kml':
      return readKml(fileName, data);
    case 'kmz': {
      const entries = await readZip(fileName, data, (p) => p.toLowerCase().endsWith('.kml'));
      if (entries.length === 0) throw importError(fileName, null, msg('The KMZ holds no .kml document.', 'KMZ 中没有 .kml 文档。'));
      return { ...readKml(fileName, entries[0].data), fileName };
    }
    case 'csv':
      return readCsv(fileName, data);
    case 'xlsx':
      return readXlsx(fileName, data);
    case 'geopackage':
      return readGeoPackage(fileName, data);
    case 'ministry-txt': {
      const { text, encoding } = decodeText(data);
      return readMinistryTxt(fileName, text, encoding);
    }
    case 'cad':
      throw importError(
        fileName,
        null,
        msg(
          "CAD drawings (DXF, DWG) are not read: their layers, blocks and polylines carry no parcel attributes or coordinate system. Convert the parcel layer first, e.g. `ogr2ogr -f GPKG parcels.gpkg drawing.dxf`, or in QGIS open the DXF and use Export → Save Features As… (GeoPackage or Shapefile, with the CGCS2000 zone). A DWG must first be saved as DXF in CAD (or exported from CAD as a shapefile). Then import the GeoPackage, Shapefile (.zip), GeoJSON, KML/KMZ, CSV, Excel or the ministry's coordinate TXT.",
          'CAD 图形（DXF、DWG）无法直接读取：其图层、图块和多段线不含地块属性和坐标系。请先转换地块图层，例如 `ogr2ogr -f GPKG parcels.gpkg drawing.dxf`，或在 QGIS 中打开 DXF 后使用“导出 → 要素另存为…”（GeoPackage 或 Shapefile，并指定 CGCS2000 投影带）。DWG 须先在 CAD 中另存为 DXF（或从 CAD 导出为 Shapefile）。然后导入 GeoPackage、Shapefile（.zip）、GeoJSON、KML/KMZ、CSV、Excel 或自然资源部坐标 TXT 文件。',
        ),
        415,
        'import_cad',
      );
    default:
      throw importError(
        fileName,
        null,
        msg(
          "Unknown file type: import a GeoPackage (.gpkg), Shapefile (.zip), GeoJSON, KML/KMZ, CSV, Excel (.xlsx) or the ministry's coordinate TXT (.txt with [属性描述] and [地块坐标]).",
          '无法识别的文件类型：请导入 GeoPackage（.gpkg）、Shapefile（.zip）、GeoJSON、KML/KMZ、CSV、Excel（.xlsx）或自然资源部坐标 TXT（含 [属性描述]、[地块坐标] 的 .txt）文件。',
        ),
        415,
        'import_unsupported',
      );
  }
}

// ---------------------------------------------------------------- text encodings

const CPG_ENCODINGS: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  '65001': 'utf-8',
  gbk: 'gbk',
  '936': 'gbk',
  cp936: 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
  '54936': 'gb18030',
  'ansi 936': 'gbk',
};

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text in UTF-8 (with or without BOM) or, failing that, GBK as Chinese Excel and Notepad save it. */
function decodeText(data: Buffer): { text: string; encoding: string } {
  const bytes = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  if (isUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
  return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
}

// ---------------------------------------------------------------- Shapefile

async function readShapefileZip(fileName: string, data: Buffer): Promise<SourceDataset> {
  const entries = await readZip(
    fileName,
    data,
    (p) => /\.(shp|shx|dbf|prj|cpg)$/i.test(p) && !p.split('/').some((s) => s.startsWith('__MACOSX') || s.startsWith('.')),
  );
  const shps = entries.filter((e) => /\.shp$/i.test(e.path));
  if (shps.length === 0) {
    throw importError(
      fileName,
      null,
      msg(
        'The zip holds no .shp file: a shapefile is a .shp with its .dbf (and .shx, .prj, .cpg) beside it.',
        '压缩包中没有 .shp 文件：Shapefile 由 .shp 及同名 .dbf（以及 .shx、.prj、.cpg）组成。',
      ),
    );
  }
  if (shps.length > 1) {
    throw importError(
      fileName,
      null,
      msg(
        `The zip holds ${shps.length} layers (${shps.map((s) => s.path).join(', ')}): import one layer per file.`,
        `压缩包中有 ${shps.length} 个图层（${shps.map((s) => s.path).join('、')}）：每次导入一个图层。`,
      ),
    );
  }
  const base = shps[0].path.replace(/\.shp$/i, '');
  const sibling = (ext: string) => entries.find((e) => e.path.toLowerCase() === `${base}.${ext}`.toLowerCase());
  const dbf = sibling('dbf');
  if (!dbf)
    throw importError(
      fileName,
      null,
      msg(`"${base}.dbf" is missing: the attributes of a shapefile are in its .dbf.`, `缺少“${base}.dbf”：Shapefile 的属性保存在 .dbf 中。`),
    );
  const prj = sibling('prj');
  const cpg = sibling('cpg');
  const notes: Message[] = [];

  let declaredEpsg: number | null = null;
  let prjName: string | null = null;
  if (prj) {
    const r = crsFromPrj(decodeText(prj.data).text);
    if ('error' in r) throw importError(fileName, null, msg(`${base}.prj: ${r.error.en}`, `${base}.prj：${r.error.zh}`), 422, 'import_bad_prj');
    declaredEpsg = r.epsg;
    prjName = r.name;
  } else notes.push(msg('No .prj: the coordinate system is guessed from the numbers; please confirm it.', '缺少 .prj：坐标系根据坐标数值推测，请确认。'));

  let encoding: string;
  if (cpg) {
    const label = decodeText(cpg.data).text.trim().toLowerCase();
    const known = CPG_ENCODINGS[label];
    if (!known)
      throw importError(
        fileName,
        null,
        msg(
          `${base}.cpg names the encoding "${label.slice(0, 30)}", which is not UTF-8 or GBK.`,
          `${base}.cpg 指定的编码“${label.slice(0, 30)}”不是 UTF-8 或 GBK。`,
        ),
      );
    encoding = known;
    const headerLength = dbf.data.length >= 12 ? dbf.data.readUInt16LE(8) : 0;
    if (
      encoding === 'utf-8' &&
      !(
        isUtf8(dbf.data.subarray(Math.min(headerLength, dbf.data.length), Math.max(headerLength, dbf.data.length - 1))) &&
        isUtf8(fieldNameBytes(dbf.data, headerLength))
      )
    ) {
      throw importError(
        fileName,
        null,
        msg(
          `${base}.cpg says UTF-8, but ${base}.dbf is not valid UTF-8 (it looks like GBK): correct the .cpg to GBK, or delete it.`,
          `${base}.cpg 指定为 UTF-8，但 ${base}.dbf 不是有效的 UTF-8（疑似 GBK）：请将 .cpg 改为 GBK 或删除它。`,
        ),
      );
    }
  } else {
    // The language driver byte (29) says GBK for 0x4D (936) and 0x7A; otherwise look at the bytes.
    const ldid = dbf.data[29];
    const headerLength = dbf.data.length >= 12 ? dbf.data.readUInt16LE(8) : 0;
    if (ldid === 0x4d || ldid === 0x7a) encoding = 'gbk';
    else
      encoding =
        isUtf8(dbf.data.subarray(Math.min(headerLength, dbf.data.length))) && isUtf8(dbf.data.subarray(32, Math.max(32, headerLength))) ? 'utf-8' : 'gbk';
    notes.push(
      encoding === 'gbk'
        ? msg('No .cpg: the attribute text was read as GBK (it is not valid UTF-8).', '缺少 .cpg：属性文字不是有效的 UTF-8，已按 GBK 读取。')
        : msg('No .cpg: the attribute text was read as UTF-8.', '缺少 .cpg：属性文字按 UTF-8 读取。'),
    );
  }

  // The vertices of every record from the .shp's record headers, before the reader builds any geometry.
  const budget = new VertexBudget(fileName);
  shpVertexCounts(shps[0].data)?.forEach((vertices, i) => budget.add(featureAt(i + 1), vertices));

  const ab = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  const features: SourceFeature[] = [];
  let source: Awaited<ReturnType<typeof shapefile.open>>;
  try {
    source = await shapefile.open(ab(shps[0].data), ab(dbf.data), { encoding });
  } catch (err) {
    throw importError(
      fileName,
      null,
      msg(`${base}.shp or .dbf cannot be read (${(err as Error).message}).`, `无法读取 ${base}.shp 或 .dbf（${(err as Error).message}）。`),
    );
  }
  const dates = dbfDateReader(dbf.data, encoding);
  const declaredLength = shps[0].data.length >= 28 ? shps[0].data.readInt32BE(24) * 2 : 0;
  if (declaredLength !== shps[0].data.length) {
    throw importError(
      fileName,
      null,
      msg(
        `${base}.shp is ${shps[0].data.length} bytes but its header says ${declaredLength}: the file is truncated or damaged.`,
        `${base}.shp 实际 ${shps[0].data.length} 字节，文件头记录为 ${declaredLength} 字节：文件被截断或已损坏。`,
      ),
    );
  }
  for (let n = 1; ; n++) {
    let result: { done: boolean; value: GeoJSON.Feature };
    try {
      result = (await source.read()) as typeof result;
    } catch (err) {
      throw importError(
        fileName,
        featureAt(n),
        msg(
          `the record cannot be read (${(err as Error).message}); the .shp or .dbf is damaged.`,
          `记录无法读取（${(err as Error).message}），.shp 或 .dbf 已损坏。`,
        ),
      );
    }
    if (result.done) break;
    features.push({
      n,
      where: featureAt(n),
      properties: { ...trimProps(result.value.properties ?? {}), ...dates.read(n - 1) },
      geometry: result.value.geometry,
    });
    if (n > 200_000) throw importError(fileName, null, msg('More than 200,000 features: split the file.', '要素超过 200,000 个：请拆分文件。'));
  }
  const columns = features.length ? Object.keys(features[0].properties) : [];
  return { fileName, format: 'shapefile', columns, features, declaredEpsg, prjName, encoding, notes };
}

/** The field names of a DBF header (11 bytes each, NUL-padded), for checking their encoding. */
function fieldNameBytes(dbf: Buffer, headerLength: number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 32; at + 32 <= headerLength; at += 32) {
    const name = dbf.subarray(at, at + 11);
    const end = name.indexOf(0);
    parts.push(name.subarray(0, end < 0 ? 11 : end));
  }
  return Buffer.concat(parts);
}

/** DBF pads text with spaces; the shapefile reader keeps them. (Its dates are replaced by dbfDateReader's.) */
function trimProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[k.trim()] = typeof v === 'string' ? v.trim() : v;
  return out;
}

/**
 * The `D` (date) fields of a DBF, read from the record bytes: 8 characters YYYYMMDD, empty when blank or
 * zeros (as ArcGIS and GDAL write an empty date). The shapefile package turns a blank date into
 * 1899-11-30 and any date into a local-midnight Date, so its values for these fields are not used.
 * A date gives 'YYYY-MM-DD'; anything else its text, for the mapping to accept or refuse with the reason.
 */
function dbfDateReader(dbf: Buffer, encoding: string): { read: (record: number) => Record<string, string | null> } {
  if (dbf.length < 32) return { read: () => ({}) };
  const headerLength = dbf.readUInt16LE(8);
  const recordLength = dbf.readUInt16LE(10);
  const decoder = new TextDecoder(encoding);
  const fields: { name: string; offset: number; length: number }[] = [];
  let offset = 1; // after the deletion flag
  for (let at = 32; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    const length = dbf[at + 16];
    if (String.fromCharCode(dbf[at + 11]) === 'D') {
      const raw = dbf.subarray(at, at + 11);
      const end = raw.indexOf(0);
      fields.push({ name: decoder.decode(raw.subarray(0, end < 0 ? 11 : end)).trim(), offset, length });
    }
    offset += length;
  }
  return {
    read(record) {
      const out: Record<string, string | null> = {};
      const start = headerLength + record * recordLength;
      for (const f of fields) {
        const text = dbf
          .subarray(start + f.offset, Math.min(dbf.length, start + f.offset + f.length))
          .toString('latin1')
          .trim();
        const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
        out[f.name] = text === '' || /^0+$/.test(text) ? null : m ? `${m[1]}-${m[2]}-${m[3]}` : text;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------- GeoJSON

function checkPositions(fileName: string, n: number, geometry: unknown): Geometry | null {
  if (geometry === null) return null;
  const g = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown[] };
  const bad = (why: Message) => importError(fileName, featureAt(n), why);
  const types = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];
  if (!g || typeof g !== 'object' || !types.includes(String(g.type)))
    throw bad(msg(`the geometry type "${String(g?.type).slice(0, 30)}" is not GeoJSON.`, `几何类型“${String(g?.type).slice(0, 30)}”不是 GeoJSON 类型。`));
  if (g.type === 'GeometryCollection') {
    if (!Array.isArray(g.geometries)) throw bad(msg('a GeometryCollection needs "geometries".', 'GeometryCollection 缺少 geometries。'));
    // The nesting was limited before (checkGeometryLimits), so this recursion is shallow.
    g.geometries.forEach((x) => checkPositions(fileName, n, x));
    return g as Geometry;
  }
  // A loop with its own stack, not recursion: no array nesting can overflow the call stack.
  const stack: unknown[] = [g.coordinates];
  while (stack.length) {
    const c = stack.pop();
    if (!Array.isArray(c)) throw bad(msg('coordinates must be arrays of numbers.', '坐标必须为数字数组。'));
    if (c.length > 0 && !Array.isArray(c[0])) {
      if (c.length < 2 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw bad(
          msg(
            `a position is not two finite numbers: [${c.map(String).join(', ').slice(0, 60)}].`,
            `坐标点不是两个有限数字：[${c.map(String).join(', ').slice(0, 60)}]。`,
          ),
        );
      }
      continue;
    }
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  return g as Geometry;
}

function epsgFromGeoJsonCrs(crs: unknown): number | null {
  const name = (crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name);
  return m ? Number(m[1]) : null;
}

function readGeoJson(fileName: string, data: Buffer): SourceDataset {
  const { text, encoding } = decodeText(data);
  // Nesting and the file's vertices from one scan of the text, before JSON.parse builds anything.
  const limits = uploadLimits();
  const scan = scanJson(text);
  if (scan.depth > limits.maxDepth) throw nestedTooDeep(fileName, null, msg('JSON arrays and objects', 'JSON 数组和对象'), scan.depth, limits.maxDepth);
  if (scan.positions > limits.maxVerticesPerFile) throw tooManyVerticesInFile(fileName, scan.positions, limits.maxVerticesPerFile);
  if (scan.biggestFeature && scan.biggestFeature.positions > limits.maxVerticesPerFeature) {
    throw tooManyVerticesInFeature(fileName, featureAt(scan.biggestFeature.n), scan.biggestFeature.positions, limits.maxVerticesPerFeature);
  }
  let doc: { type?: string; features?: unknown[]; crs?: unknown; geometry?: unknown; properties?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw importError(
      fileName,
      null,
      msg(
        `The file is not valid JSON (${(err as Error).message}). NaN and Infinity are not allowed in JSON.`,
        `文件不是有效的 JSON（${(err as Error).message}）。JSON 中不允许 NaN 或 Infinity。`,
      ),
    );
  }
  let rawFeatures: unknown[];
  if (doc?.type === 'FeatureCollection' && Array.isArray(doc.features)) rawFeatures = doc.features;
  else if (doc?.type === 'Feature') rawFeatures = [doc];
  else if (doc && typeof doc.type === 'string' && 'coordinates' in doc) rawFeatures = [{ type: 'Feature', properties: {}, geometry: doc }];
  else
    throw importError(
      fileName,
      null,
      msg('The JSON is not GeoJSON: expected a FeatureCollection, a Feature or a geometry.', 'JSON 不是 GeoJSON：应为 FeatureCollection、Feature 或几何对象。'),
    );
  const declared = epsgFromGeoJsonCrs(doc.crs);
  // Each feature's vertices, counted before any of them is checked or converted.
  const budget = new VertexBudget(fileName, limits);
  rawFeatures.forEach((f, i) => checkGeometryLimits(budget, featureAt(i + 1), (f as { geometry?: unknown } | null)?.geometry ?? null));
  const features = rawFeatures.map((f, i): SourceFeature => {
    const feat = f as { type?: string; properties?: unknown; geometry?: unknown };
    if (!feat || feat.type !== 'Feature') throw importError(fileName, featureAt(i + 1), msg('is not a GeoJSON Feature.', '不是 GeoJSON Feature。'));
    const props = feat.properties && typeof feat.properties === 'object' ? (feat.properties as Record<string, unknown>) : {};
    return { n: i + 1, where: featureAt(i + 1), properties: props, geometry: checkPositions(fileName, i + 1, feat.geometry ?? null) };
  });
  const columns = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  // RFC 7946 GeoJSON is lon/lat; an old-style "crs" member may say otherwise.
  return { fileName, format: 'geojson', columns, features, declaredEpsg: declared, prjName: null, encoding, notes: [] };
}

// ---------------------------------------------------------------- KML

function readKml(fileName: string, data: Buffer): SourceDataset {
  const { text, encoding } = decodeText(data);
  // Nesting and vertices from the text, before a DOM is built and walked.
  const limits = uploadLimits();
  const depth = xmlDepth(text);
  if (depth > limits.maxDepth) throw nestedTooDeep(fileName, null, msg('XML elements', 'XML 元素'), depth, limits.maxDepth);
  const budget = new VertexBudget(fileName, limits);
  kmlVertexCounts(text).forEach((vertices, i) => budget.add(featureAt(i + 1), vertices));
  const errors: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']> | null = null;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') errors.push(String(message));
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length || !doc?.documentElement || doc.getElementsByTagName('kml').length === 0) {
    throw importError(
      fileName,
      null,
      msg(
        `The file is not a KML document${errors.length ? ` (${errors[0].slice(0, 120)})` : ''}.`,
        `文件不是 KML 文档${errors.length ? `（${errors[0].slice(0, 120)}）` : ''}。`,
      ),
    );
  }
  // Schema-typed values are left as text for the mapping to convert: togeojson turns a "bool" "0" or "false"
  // into true and an empty "double" into 0 (GDAL's LIBKML driver writes booleans as bool 0/1).
  for (const field of Array.from(doc!.getElementsByTagName('SimpleField'))) field.setAttribute('type', 'string');
  const fc = kmlToGeoJSON(doc! as unknown as Document);
  const features = fc.features.map((f, i): SourceFeature => {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      // togeojson adds styling properties; they are not data.
      if (/^(styleUrl|styleHash|styleMap|stroke|fill|icon|visibility|timespan|timestamp)/.test(k) || typeof v === 'object') continue;
      props[k] = v;
    }
    return { n: i + 1, where: featureAt(i + 1), properties: props, geometry: checkPositions(fileName, i + 1, f.geometry) };
  });
  const columns = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  return { fileName, format: 'kml', columns, features, declaredEpsg: 4326, prjName: 'KML (WGS84)', encoding, notes: [] };
}

// ---------------------------------------------------------------- tables (CSV, Excel)

const LON = /^(lon|lng|long|longitude|经度|x坐标经度)$/i;
const LAT = /^(lat|latitude|纬度)$/i;
const X = /^(x|x坐标|横坐标|东坐标|easting)$/i;
const Y = /^(y|y坐标|纵坐标|北坐标|northing)$/i;
const WKT = /^(wkt|geometry|geom|the_geom|shape|几何|图形)$/i;

/** A coordinate cell as a number, or null when it is not one. */
function parseNumberText(value: unknown): number | null {
  const r = convertNumber(value);
  return 'value' in r ? r.value : null;
}

/** Rows of a table (header → cell) into features: point from lon/lat or x/y columns, or geometry from WKT. */
function tableToFeatures(
  fileName: string,
  header: string[],
  rows: { n: number; cells: Record<string, unknown> }[],
): { features: SourceFeature[]; geometryColumns: string[] } {
  const limits = uploadLimits();
  const budget = new VertexBudget(fileName, limits);
  const find = (re: RegExp) => header.find((h) => re.test(h.trim()));
  const wkt = find(WKT);
  const lon = find(LON) ?? find(X);
  const lat = find(LAT) ?? find(Y);
  const geometryColumns = wkt ? [wkt] : lon && lat ? [lon, lat] : [];
  const features = rows.map(({ n, cells }): SourceFeature => {
    const where = rowAt(n);
    let geometry: Geometry | null = null;
    if (wkt) {
      const text = String(cells[wkt] ?? '').trim();
      if (text) {
        // The WKT parser recurses into parentheses: their nesting is limited first.
        const depth = wktDepth(text);
        if (depth > limits.maxDepth)
          throw nestedTooDeep(fileName, where, msg(`column "${wkt}": WKT parentheses`, `“${wkt}”列：WKT 括号`), depth, limits.maxDepth);
        try {
          geometry = wktToGeoJSON(text) as Geometry;
        } catch (err) {
          throw importError(
            fileName,
            where,
            msg(`column "${wkt}" is not WKT (${(err as Error).message}).`, `“${wkt}”列不是 WKT（${(err as Error).message}）。`),
          );
        }
        checkGeometryLimits(budget, where, geometry);
        checkPositions(fileName, n, geometry);
      }
    } else if (lon && lat) {
      const x = parseNumberText(cells[lon]);
      const y = parseNumberText(cells[lat]);
      if (x === null || y === null) {
        throw importError(
          fileName,
          where,
          msg(
            `"${lon}"/"${lat}" must be numbers, got "${String(cells[lon] ?? '')}" and "${String(cells[lat] ?? '')}".`,
            `“${lon}”/“${lat}”必须为数字，实际为“${String(cells[lon] ?? '')}”和“${String(cells[lat] ?? '')}”。`,
          ),
        );
      }
      geometry = { type: 'Point', coordinates: [x, y] as Position };
    }
    const properties: Record<string, unknown> = {};
    for (const h of header) if (!geometryColumns.includes(h)) properties[h] = cells[h];
    return { n, where, properties, geometry };
  });
  return { features, geometryColumns };
}

function readCsv(fileName: string, data: Buffer): SourceDataset {
  const { text, encoding } = decodeText(data);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const).sort((a, b) => b[1] - a[1]);
  const delimiter = counts[0][1] > 0 ? counts[0][0] : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, bom: true, relax_column_count: false, skip_empty_lines: true, trim: true });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw importError(fileName, e.lines ? rowAt(e.lines) : null, msg(`the CSV cannot be read (${e.message}).`, `CSV 无法读取（${e.message}）。`));
  }
  if (records.length === 0) throw importError(fileName, null, msg('The CSV has no header row.', 'CSV 没有表头行。'), 400, 'import_empty');
  const header = records[0].map((h) => h.trim());
  checkHeader(fileName, header);
  // Cells our exports protected against spreadsheet formulas ('=…) come back as they were.
  const rows = records.slice(1).map((r, i) => ({ n: i + 2, cells: Object.fromEntries(header.map((h, j) => [h, restoreCsvCell(r[j])])) }));
  if (rows.length === 0) throw importError(fileName, null, msg('The CSV has a header but no rows.', 'CSV 只有表头，没有数据行。'), 400, 'import_empty');
  const { features, geometryColumns } = tableToFeatures(fileName, header, rows);
  const notes: Message[] = [];
  if (delimiter !== ',')
    notes.push(msg(`Columns are separated by "${delimiter === '\t' ? 'tab' : delimiter}".`, `列分隔符为“${delimiter === '\t' ? '制表符' : delimiter}”。`));
  if (encoding === 'gbk') notes.push(msg('The text was read as GBK.', '文字按 GBK 编码读取。'));
  return { fileName, format: 'csv', columns: header.filter((h) => !geometryColumns.includes(h)), features, declaredEpsg: null, prjName: null, encoding, notes };
}

function checkHeader(fileName: string, header: string[]): void {
  const empty = header.findIndex((h) => h === '');
  if (empty >= 0) throw importError(fileName, rowAt(1), msg(`column ${empty + 1} of the header row has no name.`, `表头第 ${empty + 1} 列没有列名。`));
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) throw importError(fileName, rowAt(1), msg(`the header names the column "${dup}" twice.`, `表头中“${dup}”列重复。`));
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return (v as { text: string }).text;
    if ('error' in v) return null;
  }
  return v;
}

async function readXlsx(fileName: string, data: Buffer): Promise<SourceDataset> {
  const wb = await loadWorkbook(fileName, data);
  const sheet = wb.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) throw importError(fileName, null, msg('The workbook has no rows.', '工作簿中没有数据。'), 400, 'import_empty');
  let headerRow = 0;
  for (let r = 1; r <= sheet.rowCount; r++) {
    if (sheet.getRow(r).actualCellCount > 0) {
      headerRow = r;
      break;
    }
  }
  const row = sheet.getRow(headerRow);
  const merged = [] as string[];
  row.eachCell({ includeEmpty: false }, (cell) => {
    if (cell.isMerged) merged.push(cell.address);
  });
  const colCount = row.cellCount;
  for (let c = 1; c <= colCount; c++) if (row.getCell(c).isMerged && !merged.includes(row.getCell(c).address)) merged.push(row.getCell(c).address);
  if (merged.length) {
    throw importError(
      fileName,
      rowAt(headerRow),
      msg(
        `sheet "${sheet.name}" has merged header cells (${merged.slice(0, 6).join(', ')}): unmerge them and give each column its own name in one header row.`,
        `工作表“${sheet.name}”的表头有合并单元格（${merged.slice(0, 6).join('、')}）：请取消合并，使每列在同一表头行有自己的列名。`,
      ),
    );
  }
  const header: string[] = [];
  for (let c = 1; c <= colCount; c++) header.push(String(cellValue(row.getCell(c).value) ?? '').trim());
  while (header.length && header.at(-1) === '') header.pop();
  checkHeader(fileName, header);
  const rows: { n: number; cells: Record<string, unknown> }[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const rr = sheet.getRow(r);
    if (rr.actualCellCount === 0) continue;
    rows.push({ n: r, cells: Object.fromEntries(header.map((h, j) => [h, cellValue(rr.getCell(j + 1).value)])) });
  }
  if (rows.length === 0)
    throw importError(
      fileName,
      null,
      msg(`Sheet "${sheet.name}" has a header but no rows.`, `工作表“${sheet.name}”只有表头，没有数据行。`),
      400,
      'import_empty',
    );
  const { features, geometryColumns } = tableToFeatures(fileName, header, rows);
  return {
    fileName,
    format: 'xlsx',
    columns: header.filter((h) => !geometryColumns.includes(h)),
    features,
    declaredEpsg: null,
    prjName: null,
    encoding: null,
    notes: [msg(`Sheet "${sheet.name}".`, `工作表“${sheet.name}”。`)],
  };
}
