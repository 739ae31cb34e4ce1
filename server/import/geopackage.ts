/**
 * GeoPackage (OGC 12-128r18, QGIS's default format): an SQLite file with gpkg_contents,
 * gpkg_geometry_columns and gpkg_spatial_ref_sys, and geometry as a GeoPackage blob (a "GP" header then
 * standard WKB). SQLite is sql.js (SQLite compiled to WebAssembly: no native build, works on Node 20); WKB
 * is read and written by wkx. Read: one feature layer (the first polygon layer when there are several),
 * its EPSG code, and its attributes by their declared types (DATE, DATETIME, BOOLEAN). Written: one layer
 * with Chinese field names and the CRS rows GDAL and QGIS expect.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import wkx from 'wkx';
import type { Geometry, MultiPolygon, Point } from 'geojson';
import { msg, type Message } from '../../domain/parcelFields.ts';
import { crsByEpsg, crsFromPrj } from './crs.ts';
import { featureAt, importError } from './errors.ts';
import type { SourceDataset, SourceFeature } from './readers.ts';
import { VertexBudget, nestedTooDeep, wkbStats } from './limits.ts';

let sqlJs: Promise<SqlJsStatic> | null = null;
const sqlite = () => (sqlJs ??= initSqlJs());

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** "GPKG" as the SQLite application_id (GeoPackage 1.2 and later). */
const GPKG_APPLICATION_ID = 0x47504b47;
const MAX_FEATURES = 200_000;

export function isSqlite(head: Uint8Array): boolean {
  return head.length >= 16 && Buffer.from(head.subarray(0, 16)).equals(SQLITE_MAGIC);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function rows<T>(db: Database, sql: string, params: (string | number | null)[] = []): T[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: T[] = [];
    while (stmt.step()) out.push(stmt.getAsObject() as T);
    return out;
  } finally {
    stmt.free();
  }
}

// ---------------------------------------------------------------- reading

interface Layer {
  table_name: string;
  column_name: string;
  geometry_type_name: string;
  srs_id: number;
}

const POLYGON_TYPES = /^(MULTI)?(POLYGON|SURFACE|CURVEPOLYGON)$/i;

export async function readGeoPackage(fileName: string, data: Buffer): Promise<SourceDataset> {
  if (!isSqlite(data)) {
    throw importError(
      fileName,
      null,
      msg(
        'The file is not a GeoPackage: a .gpkg is an SQLite database, and this one does not start like one (damaged, or another format renamed).',
        '文件不是 GeoPackage：.gpkg 是 SQLite 数据库，而此文件开头不是 SQLite 格式（已损坏，或是改了扩展名的其他格式）。',
      ),
    );
  }
  const SQL = await sqlite();
  let db: Database;
  try {
    db = new SQL.Database(data);
  } catch (err) {
    throw importError(
      fileName,
      null,
      msg(`The GeoPackage cannot be opened (${(err as Error).message}).`, `无法打开 GeoPackage（${(err as Error).message}）。`),
    );
  }
  try {
    return readOpened(fileName, db);
  } catch (err) {
    if ((err as { status?: number }).status) throw err;
    throw importError(
      fileName,
      null,
      msg(`The GeoPackage cannot be read (${(err as Error).message}): the file is damaged.`, `无法读取 GeoPackage（${(err as Error).message}）：文件已损坏。`),
    );
  } finally {
    db.close();
  }
}

function readOpened(fileName: string, db: Database): SourceDataset {
  const tables = new Set(rows<{ name: string }>(db, `SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).map((r) => r.name));
  if (!tables.has('gpkg_contents') || !tables.has('gpkg_geometry_columns') || !tables.has('gpkg_spatial_ref_sys')) {
    throw importError(
      fileName,
      null,
      msg(
        'The file is an SQLite database but not a GeoPackage (it has no gpkg_contents, gpkg_geometry_columns and gpkg_spatial_ref_sys tables).',
        '文件是 SQLite 数据库，但不是 GeoPackage（缺少 gpkg_contents、gpkg_geometry_columns、gpkg_spatial_ref_sys 表）。',
      ),
    );
  }
  const layers = rows<Layer>(
    db,
    `SELECT c.table_name, g.column_name, g.geometry_type_name, coalesce(g.srs_id, c.srs_id) AS srs_id
     FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
     WHERE c.data_type = 'features' ORDER BY c.rowid`,
  ).filter((l) => tables.has(l.table_name));
  if (layers.length === 0) {
    throw importError(
      fileName,
      null,
      msg(
        'The GeoPackage holds no feature table (only tiles or attribute tables): save the layer with its geometry.',
        'GeoPackage 中没有要素表（只有瓦片或属性表）：请保存带图形的图层。',
      ),
    );
  }
  const layer = layers.find((l) => POLYGON_TYPES.test(l.geometry_type_name)) ?? layers[0];
  // A view is SQL run on read: a recursive or cross-joined one never ends, and sql.js would hold the process
  // (every other request) while it runs. Only stored tables are read.
  const [{ n: isView }] = rows<{ n: number }>(db, `SELECT count(*) AS n FROM sqlite_master WHERE type = 'view' AND name = ?`, [layer.table_name]);
  if (isView) {
    throw importError(
      fileName,
      null,
      msg(
        `Layer "${layer.table_name}" is a view, not a table: views are not read (their query could run without end). Save the layer as a table (e.g. QGIS "Export → Save Features As…").`,
        `图层“${layer.table_name}”是视图而不是表：不读取视图（其查询可能无休止地运行）。请将图层另存为表（例如 QGIS“导出 → 要素另存为…”）。`,
      ),
    );
  }
  const notes: Message[] = [];
  const others = layers.filter((l) => l !== layer).map((l) => `${l.table_name}（${l.geometry_type_name}）`);
  if (others.length) {
    notes.push(
      msg(
        `The GeoPackage has ${layers.length} feature layers: "${layer.table_name}" (${layer.geometry_type_name}) was read; not read: ${others.join(', ')}. Import one layer per file.`,
        `GeoPackage 有 ${layers.length} 个要素图层：已读取“${layer.table_name}”（${layer.geometry_type_name}）；未读取：${others.join('、')}。每次导入一个图层。`,
      ),
    );
  } else notes.push(msg(`Layer "${layer.table_name}" (${layer.geometry_type_name}).`, `图层“${layer.table_name}”（${layer.geometry_type_name}）。`));

  const { declaredEpsg, prjName } = layerCrs(fileName, db, layer, notes);

  const info = rows<{ name: string; type: string; pk: number }>(db, `PRAGMA table_info(${quote(layer.table_name)})`);
  const kindOf = (type: string) => {
    const t = type.toUpperCase();
    if (t === 'BOOLEAN') return 'boolean';
    if (t === 'DATE') return 'date';
    if (t === 'DATETIME') return 'datetime';
    if (t === 'BLOB') return 'blob';
    return 'plain';
  };
  // The integer primary key (fid) is the row's identity inside the file, not data.
  const attributes = info.filter((c) => c.name !== layer.column_name && !(c.pk === 1 && /^INT/i.test(c.type)));
  const blobs = attributes.filter((c) => kindOf(c.type) === 'blob').map((c) => c.name);
  if (blobs.length) notes.push(msg(`Binary (BLOB) columns are not imported: ${blobs.join(', ')}.`, `二进制（BLOB）列不导入：${blobs.join('、')}。`));
  const columns = attributes.filter((c) => kindOf(c.type) !== 'blob');

  const [{ n: count }] = rows<{ n: number }>(db, `SELECT count(*) AS n FROM ${quote(layer.table_name)}`);
  if (count > MAX_FEATURES)
    throw importError(
      fileName,
      null,
      msg(`More than ${MAX_FEATURES.toLocaleString('en')} features: split the file.`, `要素超过 ${MAX_FEATURES.toLocaleString('en')} 个：请拆分文件。`),
    );

  const features: SourceFeature[] = [];
  const budget = new VertexBudget(fileName);
  const select = [quote(layer.column_name), ...columns.map((c) => quote(c.name))].join(', ');
  const stmt = db.prepare(`SELECT ${select} FROM ${quote(layer.table_name)} ORDER BY rowid`);
  try {
    for (let n = 1; stmt.step(); n++) {
      const values = stmt.get();
      const properties: Record<string, unknown> = {};
      columns.forEach((c, i) => (properties[c.name] = attributeValue(values[i + 1], kindOf(c.type))));
      features.push({ n, where: featureAt(n), properties, geometry: readGeometryBlob(fileName, n, values[0], budget) });
    }
  } finally {
    stmt.free();
  }
  return { fileName, format: 'geopackage', columns: columns.map((c) => c.name), features, declaredEpsg, prjName, encoding: 'utf-8', notes };
}

function layerCrs(fileName: string, db: Database, layer: Layer, notes: Message[]): { declaredEpsg: number | null; prjName: string | null } {
  const [srs] = rows<{ srs_name: string; organization: string; organization_coordsys_id: number; definition: string }>(
    db,
    'SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
    [layer.srs_id],
  );
  if (!srs || srs.definition?.trim().toLowerCase() === 'undefined' || layer.srs_id === 0 || layer.srs_id === -1) {
    notes.push(
      msg('The layer has no defined coordinate system: it is guessed from the numbers; please confirm it.', '图层未定义坐标系：根据坐标数值推测，请确认。'),
    );
    return { declaredEpsg: null, prjName: null };
  }
  if (srs.organization?.toUpperCase() === 'EPSG') {
    const info = crsByEpsg(Number(srs.organization_coordsys_id));
    if (info) return { declaredEpsg: info.epsg, prjName: srs.srs_name || info.name };
  }
  // Another authority or an EPSG code the app does not list: its WKT may still name a CGCS2000 zone.
  const r = crsFromPrj(srs.definition ?? '');
  if ('error' in r) {
    const label = `${srs.organization}:${srs.organization_coordsys_id} ${srs.srs_name ?? ''}`.trim();
    throw importError(
      fileName,
      null,
      msg(`layer "${layer.table_name}" is in ${label}: ${r.error.en}`, `图层“${layer.table_name}”的坐标系为 ${label}：${r.error.zh}`),
      422,
      'import_bad_prj',
    );
  }
  return { declaredEpsg: r.epsg, prjName: r.name };
}

function attributeValue(v: unknown, kind: string): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'boolean') return typeof v === 'number' ? v !== 0 : v;
  if (kind === 'datetime' && typeof v === 'string') return beijingDateTime(v);
  return v;
}

/**
 * GeoPackage DATETIME is ISO 8601 in UTC ("2023-04-30T16:00:00Z"). A Chinese office's date saved as a
 * local midnight would otherwise arrive as the day before, so a value with a zone is given in Beijing time.
 */
function beijingDateTime(text: string): string {
  const s = text.trim();
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return s;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return s;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Flags byte: bit 0 byte order, bits 1–3 envelope kind, bit 4 empty, bit 5 extended type. */
function readGeometryBlob(fileName: string, n: number, value: unknown, budget: VertexBudget): Geometry | null {
  if (value === null || value === undefined) return null;
  const bad = (why: Message) => importError(fileName, featureAt(n), why);
  if (!(value instanceof Uint8Array)) throw bad(msg('the geometry column does not hold a GeoPackage geometry.', '几何列中不是 GeoPackage 几何数据。'));
  const blob = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50)
    throw bad(msg('the geometry does not start with the GeoPackage "GP" header.', '几何数据缺少 GeoPackage 的“GP”文件头。'));
  const flags = blob[3];
  if (flags & 0x20)
    throw bad(msg('the geometry uses an extended (non-standard) GeoPackage geometry type.', '几何数据使用了扩展（非标准）的 GeoPackage 几何类型。'));
  if (flags & 0x10) return null;
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0x07];
  if (envelopeBytes === undefined) throw bad(msg('the geometry header has an invalid envelope code.', '几何数据头的外包框代码无效。'));
  // Vertices and nesting from the WKB's counts, before wkx builds an object per vertex (and recurses).
  const stats = wkbStats(blob.subarray(8 + envelopeBytes), budget.limits.maxDepth);
  if (stats && stats.depth > budget.limits.maxDepth)
    throw nestedTooDeep(fileName, featureAt(n), msg("the geometry's collections", '几何集合'), `more than ${budget.limits.maxDepth}`, budget.limits.maxDepth);
  if (stats) budget.add(featureAt(n), stats.vertices);
  try {
    return (wkx.Geometry.parse(blob.subarray(8 + envelopeBytes)) as wkx.Geometry).toGeoJSON() as Geometry;
  } catch (err) {
    throw bad(
      msg(
        `the geometry's WKB cannot be read (${(err as Error).message}); curved geometry must be converted to polygons first.`,
        `几何 WKB 无法读取（${(err as Error).message}）；曲线几何须先转换为多边形。`,
      ),
    );
  }
}

// ---------------------------------------------------------------- writing

/** OGC WKT 1 (with EPSG authority codes) of the CRSs the app exports. */
export function ogcWktFor(epsg: number): { name: string; wkt: string } {
  const info = crsByEpsg(epsg);
  if (!info) throw new Error(`Unknown EPSG ${epsg}`);
  if (info.kind === 'geographic') {
    return {
      name: 'WGS 84',
      wkt: 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
    };
  }
  const name =
    info.kind === 'gk3'
      ? `CGCS2000 / 3-degree Gauss-Kruger ${info.prefixed ? `zone ${info.zone}` : `CM ${info.centralMeridian}E`}`
      : `CGCS2000 / Gauss-Kruger ${info.prefixed ? `zone ${info.zone}` : `CM ${info.centralMeridian}E`}`;
  const falseEasting = info.prefixed ? info.zone! * 1_000_000 + 500_000 : 500_000;
  const wkt =
    `PROJCS["${name}",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],` +
    `PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],` +
    `PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${info.centralMeridian}],PARAMETER["scale_factor",1],` +
    `PARAMETER["false_easting",${falseEasting}],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","${epsg}"]]`;
  return { name, wkt };
}

export interface GeoPackageColumn {
  name: string;
  type: 'text' | 'number' | 'date' | 'boolean';
}

function geometryBlob(g: MultiPolygon | Point, srsId: number): { blob: Buffer; bounds: [number, number, number, number] } {
  const wkb = (wkx.Geometry.parseGeoJSON(g) as wkx.Geometry).toWkb();
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      xs.push(c[0]);
      ys.push(c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  const bounds: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  // Points carry no envelope (the spec's advice); polygons an xy envelope, little-endian.
  const withEnvelope = g.type !== 'Point';
  const header = Buffer.alloc(8 + (withEnvelope ? 32 : 0));
  header.write('GP', 0, 'latin1');
  header.writeUInt8(0, 2);
  header.writeUInt8(0x01 | (withEnvelope ? 0x02 : 0), 3);
  header.writeInt32LE(srsId, 4);
  if (withEnvelope) {
    header.writeDoubleLE(bounds[0], 8);
    header.writeDoubleLE(bounds[2], 16);
    header.writeDoubleLE(bounds[1], 24);
    header.writeDoubleLE(bounds[3], 32);
  }
  return { blob: Buffer.concat([header, wkb]), bounds };
}

/**
 * One feature table named `table` (shown as `identifier`), geometries already in `epsg`, attribute values
 * by column name. Dates are DATE (text YYYY-MM-DD), booleans BOOLEAN (0/1), numbers REAL.
 */
export async function writeGeoPackage(options: {
  table: string;
  identifier: string;
  epsg: number;
  columns: GeoPackageColumn[];
  features: { geometry: MultiPolygon | Point; properties: Record<string, unknown> }[];
  geometryType: 'MULTIPOLYGON' | 'POINT';
}): Promise<Buffer> {
  const { table, identifier, epsg, columns, features, geometryType } = options;
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    db.exec(`PRAGMA application_id = ${GPKG_APPLICATION_ID}; PRAGMA user_version = 10300;`);
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run(['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system']);
    srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
    for (const code of new Set([4326, epsg])) {
      const { name, wkt } = ogcWktFor(code);
      srs.run([
        name,
        code,
        'EPSG',
        code,
        wkt,
        code === 4326 ? 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid' : crsByEpsg(code)!.name,
      ]);
    }
    srs.free();

    const sqlType = { text: 'TEXT', number: 'REAL', date: 'DATE', boolean: 'BOOLEAN' } as const;
    db.exec(
      `CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geometryType}${columns.map((c) => `, ${quote(c.name)} ${sqlType[c.type]}`).join('')})`,
    );
    const insert = db.prepare(
      `INSERT INTO ${quote(table)} (geom${columns.map((c) => `, ${quote(c.name)}`).join('')}) VALUES (?${', ?'.repeat(columns.length)})`,
    );
    let extent: [number, number, number, number] | null = null;
    db.exec('BEGIN');
    for (const f of features) {
      const { blob, bounds } = geometryBlob(f.geometry, epsg);
      extent = extent
        ? [Math.min(extent[0], bounds[0]), Math.min(extent[1], bounds[1]), Math.max(extent[2], bounds[2]), Math.max(extent[3], bounds[3])]
        : bounds;
      insert.run([blob, ...columns.map((c) => cell(f.properties[c.name], c.type))]);
    }
    db.exec('COMMIT');
    insert.free();
    db.run(
      `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?)`,
      [table, identifier, ...(extent ?? [null, null, null, null]), epsg],
    );
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [table, 'geom', geometryType, epsg]);
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

function cell(v: unknown, type: GeoPackageColumn['type']): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (type === 'boolean') return v ? 1 : 0;
  if (type === 'number') return Number(v);
  return String(v);
}
