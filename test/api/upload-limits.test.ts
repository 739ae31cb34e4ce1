/**
 * Limits on what an uploaded file may hold (issue 12): vertices per feature and per file, nesting depth,
 * inflated size. Each over-limit file gets its 4xx with the limit and the figure found, in English and in
 * Chinese, and no table has a row more or less than before. The limits are the defaults (README,
 * "Configuration"): 200,000 vertices per feature, 2,000,000 per file, depth 64, 500 MB inflated
 * (100 MB for a workbook).
 */
import { createDeflateRaw, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { freeSpot, shapefileZip, upload } from '../helpers/importFiles.ts';
import type { Client } from '../helpers/server.ts';
import initSqlJs from 'sql.js';
import { XLSX_TYPE } from '../../server/routes/indicators.ts';
import { writeGeoPackage } from '../../server/import/geopackage.ts';

const TABLES = [
  'parcels',
  'zones',
  'projects',
  'enterprises',
  'enterprise_figures',
  'imports',
  'import_items',
  'import_mappings',
  'audit_log',
  'zone_monthly_indicators',
  'project_rounds',
  'project_round_entries',
];

/** A closed ring of `n` distinct vertices (n + 1 positions) on a small circle. */
function ring([x, y]: [number, number], n: number, radius = 0.0005): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push([x + radius * Math.cos((2 * Math.PI * i) / n), y + radius * Math.sin((2 * Math.PI * i) / n)]);
  out.push(out[0]);
  return out;
}
const polygonFeature = (coordinates: unknown, code = 'L-1') => ({
  type: 'Feature',
  properties: { 地块编号: code, 用地性质: '100102' },
  geometry: { type: 'Polygon', coordinates },
});
const geojson = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

/**
 * A zip of one entry of `size` zero bytes, deflated as it is made (no buffer of that size is ever held): a
 * zip bomb of about 1 MB per GiB. `declaredSize` makes it lie about the inflated size in its headers.
 */
async function zeroZip(entryName: string, size: number, declaredSize = size): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024);
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  const data = Buffer.concat(parts);
  const name = Buffer.from(entryName);
  // A zip record: little-endian fields of 2 or 4 bytes, in order.
  const record = (fields: [2 | 4, number][]) =>
    Buffer.concat(
      fields.map(([bytes, v]) => {
        const b = Buffer.alloc(bytes);
        if (bytes === 2) b.writeUInt16LE(v);
        else b.writeUInt32LE(v >>> 0);
        return b;
      }),
    );
  // Version, flags, method 8 (deflate), time, date, CRC, sizes, name length, extra length.
  const common: [2 | 4, number][] = [
    [2, 0],
    [2, 8],
    [2, 0],
    [2, 0],
    [4, crc],
    [4, data.length],
    [4, declaredSize],
    [2, name.length],
    [2, 0],
  ];
  const local = record([[4, 0x04034b50], [2, 20], ...common]);
  const central = record([[4, 0x02014b50], [2, 20], [2, 20], ...common, [2, 0], [2, 0], [2, 0], [4, 0], [4, 0]]);
  const end = record([
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, 1],
    [2, 1],
    [4, central.length + name.length],
    [4, local.length + name.length + data.length],
    [2, 0],
  ]);
  return Buffer.concat([local, name, data, central, name, end]);
}

describe.each(dbTargets({ writable: true }))('upload limits on $name', { timeout: 240_000 }, (target) => {
  const ctx = useApiServer(target);
  let planner: Client;
  let centre: [number, number];
  /** A workbook that inflates to 1 GiB (honest headers), about 1 MB. */
  let xlsxBomb: Buffer;
  /** The same 1 GiB of zeros under a name a shapefile bundle or a KMZ could have. */
  let zipBomb: Buffer;
  /** Declares 1 KB and inflates to 150 MB: only inflating tells. */
  let liar: Buffer;

  const rowCounts = async () => {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0].n;
    return out;
  };
  const tableUpload = async (path: string, body: Buffer, type = XLSX_TYPE) => {
    const res = await fetch(`${ctx.server.url}${path}`, {
      method: 'POST',
      headers: { Cookie: planner.cookie!, 'X-CSRF-Token': planner.csrfToken!, 'Content-Type': type, 'X-File-Name': encodeURIComponent('月报.xlsx') },
      body: body as unknown as BodyInit,
    });
    return { status: res.status, body: await res.json() };
  };
  /** The refusal: status, the English message with its reason, the Chinese one with its own; the figures in both. */
  const expectRefused = (res: { status: number; body: any }, status: number, en: RegExp, zh: RegExp) => {
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(status);
    expect(res.body.error.message).toMatch(en);
    expect(res.body.error.details.message_zh).toMatch(zh);
  };

  beforeAll(async () => {
    // The bombs first: made after signing in, they could outlast the session's idle keep-alive connection.
    zipBomb = await zeroZip('地块.shp', 1024 * 1024 * 1024);
    xlsxBomb = await zeroZip('xl/worksheets/sheet1.xml', 1024 * 1024 * 1024);
    liar = await zeroZip('xl/worksheets/sheet1.xml', 150 * 1024 * 1024, 1024);
    centre = (await freeSpot(ctx.db, 'SX-YQGX')).centre;
    planner = await ctx.server.as('planner');
  }, 120_000);

  it('refuses a feature over 200,000 vertices, in GeoJSON, a shapefile and KML, before anything is stored', async () => {
    const before = await rowCounts();
    const big = ring(centre, 200_001);
    const json = await upload(ctx.server.url, planner, 'big.geojson', geojson([polygonFeature([ring(centre, 10)], 'L-0'), polygonFeature([big])]));
    expectRefused(
      json,
      413,
      /^big\.geojson, feature 2: has 200,002 vertices; at most 200,000 are allowed per feature \(IMPORT_MAX_VERTICES_PER_FEATURE\)/,
      /^big\.geojson，第 2 个要素：有 200,002 个顶点，每个要素最多允许 200,000 个/,
    );

    const shp = await shapefileZip({
      epsg: 4326,
      fields: [{ name: '地块编号', type: 'text' }],
      records: [{ 地块编号: 'S-1' }],
      geometries: [{ type: 'MultiPolygon', coordinates: [[big]] } as MultiPolygon],
    });
    expectRefused(
      await upload(ctx.server.url, planner, 'big.zip', shp),
      413,
      /^big\.zip, feature 1: has 200,002 vertices; at most 200,000/,
      /^big\.zip，第 1 个要素：有 200,002 个顶点/,
    );

    const kml = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>K</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${big.map((p) => p.join(',')).join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>`;
    expectRefused(await upload(ctx.server.url, planner, 'big.kml', Buffer.from(kml)), 413, /^big\.kml, feature 1: has 200,002 vertices/, /最多允许 200,000 个/);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a GeoPackage feature over 200,000 vertices from its WKB counts, and a layer that is a view', async () => {
    const before = await rowCounts();
    const small = await writeGeoPackage({
      table: '地块',
      identifier: '地块',
      epsg: 4326,
      columns: [{ name: '地块编号', type: 'text' }],
      features: [{ geometry: { type: 'MultiPolygon', coordinates: [[ring(centre, 10)]] }, properties: { 地块编号: 'P-1' } }],
      geometryType: 'MULTIPOLYGON',
    });
    const SQL = await initSqlJs();
    // A polygon of 200,002 positions written as a GeoPackage blob by hand: "GP", version, flags (little-endian, no envelope), srs id, WKB.
    const big = ring(centre, 200_001);
    const blob = Buffer.alloc(8 + 9 + 4 + big.length * 16);
    blob.write('GP', 0, 'latin1');
    blob.writeUInt8(0x01, 3);
    blob.writeInt32LE(4326, 4);
    blob.writeUInt8(1, 8);
    blob.writeUInt32LE(3, 9);
    blob.writeUInt32LE(1, 13);
    blob.writeUInt32LE(big.length, 17);
    big.forEach(([x, y], i) => {
      blob.writeDoubleLE(x, 21 + i * 16);
      blob.writeDoubleLE(y, 29 + i * 16);
    });
    const db = new SQL.Database(small);
    db.run('UPDATE "地块" SET geom = ?', [blob]);
    const bigFile = Buffer.from(db.export());
    // The same layer registered as a view that never ends.
    db.run(`CREATE VIEW bomb AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT i AS fid, NULL AS geom FROM r`);
    db.run(`UPDATE gpkg_contents SET table_name = 'bomb' WHERE table_name = '地块'`);
    db.run(`UPDATE gpkg_geometry_columns SET table_name = 'bomb' WHERE table_name = '地块'`);
    const viewFile = Buffer.from(db.export());
    db.close();
    expectRefused(
      await upload(ctx.server.url, planner, 'big.gpkg', bigFile),
      413,
      /^big\.gpkg, feature 1: has 200,002 vertices; at most 200,000 are allowed per feature/,
      /^big\.gpkg，第 1 个要素：有 200,002 个顶点/,
    );
    expectRefused(
      await upload(ctx.server.url, planner, 'view.gpkg', viewFile),
      422,
      /^view\.gpkg: Layer "bomb" is a view, not a table/,
      /^view\.gpkg：图层“bomb”是视图而不是表/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a file over 2,000,000 vertices, each feature within its own limit', async () => {
    const before = await rowCounts();
    // 11 features of 190,000 positions: each allowed, together 2,090,000.
    const features = Array.from({ length: 11 }, (_, k) => polygonFeature([Array.from({ length: 190_000 }, () => [k, 0])], `F-${k}`));
    const res = await upload(ctx.server.url, planner, 'many.geojson', geojson(features));
    expectRefused(
      res,
      413,
      /^many\.geojson: The file has 2,090,000 vertices; at most 2,000,000 are allowed per file \(IMPORT_MAX_VERTICES_PER_FILE\)/,
      /^many\.geojson：文件有 2,090,000 个顶点，每个文件最多允许 2,000,000 个/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses deep nesting without overflowing the stack: 100,000 nested arrays, XML elements and WKT parentheses', async () => {
    const before = await rowCounts();
    const deep = Buffer.from(
      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`,
    );
    expectRefused(
      await upload(ctx.server.url, planner, 'deep.geojson', deep),
      422,
      /^deep\.geojson: JSON arrays and objects are nested 100,004 levels deep; at most 64 levels are allowed \(IMPORT_MAX_DEPTH\)/,
      /^deep\.geojson：JSON 数组和对象嵌套 100,004 层，最多允许 64 层/,
    );

    // A bare geometry nested past the limit, though much less deep.
    const collection = (level: number): unknown =>
      level === 0 ? { type: 'Point', coordinates: [113, 37] } : { type: 'GeometryCollection', geometries: [collection(level - 1)] };
    expectRefused(
      await upload(ctx.server.url, planner, 'gc.geojson', Buffer.from(JSON.stringify(collection(40)))),
      422,
      /^gc\.geojson: JSON arrays and objects are nested 82 levels deep; at most 64/,
      /嵌套 82 层/,
    );

    const kml = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${'<Folder>'.repeat(100_000)}${'</Folder>'.repeat(100_000)}</Document></kml>`;
    expectRefused(
      await upload(ctx.server.url, planner, 'deep.kml', Buffer.from(kml)),
      422,
      /^deep\.kml: XML elements are nested 100,002 levels deep; at most 64/,
      /^deep\.kml：XML 元素嵌套 100,002 层/,
    );

    const wkt = `地块编号,用地性质,WKT\nW-1,100102,"${'GEOMETRYCOLLECTION('.repeat(100_000)}POINT(113 37)${')'.repeat(100_000)}"\n`;
    expectRefused(
      await upload(ctx.server.url, planner, 'deep.csv', Buffer.from(wkt)),
      422,
      /^deep\.csv, row 2: column "WKT": WKT parentheses are nested 100,001 levels deep; at most 64/,
      /^deep\.csv，第 2 行：“WKT”列：WKT 括号嵌套 100,001 层/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a zip bomb on every route that takes an archive or a workbook', async () => {
    const before = await rowCounts();
    // Land imports: a shapefile bundle, a KMZ, a workbook.
    expectRefused(
      await upload(ctx.server.url, planner, 'bomb.zip', zipBomb),
      413,
      /^bomb\.zip: The archive would inflate to 1024 MB; at most 500 MB are inflated \(IMPORT_MAX_INFLATED_MB\)/,
      /^bomb\.zip：压缩包解压后将达 1024 MB，最多允许解压 500 MB（IMPORT_MAX_INFLATED_MB）/,
    );
    expectRefused(
      await upload(ctx.server.url, planner, 'bomb.kmz', zipBomb),
      413,
      /^bomb\.kmz: The archive would inflate to 1024 MB; at most 500 MB/,
      /1024 MB/,
    );
    expectRefused(
      await upload(ctx.server.url, planner, 'bomb.xlsx', xlsxBomb),
      413,
      /^bomb\.xlsx: The archive would inflate to 1024 MB; at most 100 MB are inflated \(SPREADSHEET_MAX_INFLATED_MB\)/,
      /最多允许解压 100 MB（SPREADSHEET_MAX_INFLATED_MB）/,
    );
    // The tables: monthly figures and 三个一批 lists.
    for (const path of ['/api/indicators/upload', '/api/supervision/rounds/import']) {
      const res = await tableUpload(path, xlsxBomb);
      expectRefused(res, 413, /The archive would inflate to 1024 MB; at most 100 MB are inflated \(SPREADSHEET_MAX_INFLATED_MB\)/, /压缩包解压后将达 1024 MB/);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a workbook whose headers understate its size, on every route, before ExcelJS inflates it', async () => {
    const before = await rowCounts();
    expectRefused(
      await upload(ctx.server.url, planner, 'liar.xlsx', liar),
      422,
      /^liar\.xlsx: "xl\/worksheets\/sheet1\.xml" in the zip cannot be inflated \(.*(more data than declared|too many bytes)/,
      /无法解压压缩包中的“xl\/worksheets\/sheet1\.xml”/,
    );
    for (const path of ['/api/indicators/upload', '/api/supervision/rounds/import']) {
      expectRefused(await tableUpload(path, liar), 400, /cannot be inflated/, /无法解压/);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('still takes a real workbook on the table routes (the check inflates it once)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('月报');
    ws.addRow(['开发区', '月份', '规上工业增加值（万元）', '工业投资（万元）']);
    ws.addRow(['SX-YQGX', '2026-09', 1234.5, 678]);
    const res = await tableUpload('/api/indicators/upload', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, months: ['2026-09'] });
  });
});
