/**
 * A corpus of bad land files, made here: each must get a 4xx whose message names the file, the feature or
 * row where there is one, and the reason, with the database exactly as before. Also the well-formed
 * variants that must be read (BOM, semicolons, thousands separators, GBK).
 */
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dataChecksum, freeSpot, project, shapefileZip, square, upload } from '../helpers/importFiles.ts';
import { prjFor } from '../../server/import/crs.ts';
import type { MultiPolygon } from 'geojson';

const FIELDS = [
  { name: '地块编号', type: 'text' as const },
  { name: '用地性质', type: 'text' as const },
];

interface Case {
  name: string;
  file: string;
  make: (ctx: Ctx) => Promise<Buffer> | Buffer;
  /** The reason, as the message must say it. */
  reason: RegExp;
  /** The feature or row the message must name. */
  where?: RegExp;
  status?: number;
  /** Commit settings when the file is readable and the error comes at commit. */
  commit?: (ctx: Ctx) => Record<string, unknown>;
}
interface Ctx {
  squares: MultiPolygon[];
  centre: [number, number];
  zoneId: number;
  codes: string[];
}

const zipOf = async (entries: Record<string, Buffer | string>) => {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(entries)) zip.file(name, data, { createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const fc = (features: unknown[], extra: Record<string, unknown> = {}) => json({ type: 'FeatureCollection', features, ...extra });
const feature = (geometry: unknown, properties: Record<string, unknown> = { 地块编号: 'G-1', 用地性质: '100102' }) => ({
  type: 'Feature',
  properties,
  geometry,
});
const polygonOf = (g: MultiPolygon) => ({ type: 'Polygon', coordinates: g.coordinates[0] });
const goodShp = (c: Ctx, extra: Partial<Parameters<typeof shapefileZip>[0]> = {}) =>
  shapefileZip({ epsg: 4547, fields: FIELDS, records: [{ 地块编号: 'S-1', 用地性质: '100102' }], geometries: [c.squares[0]], ...extra });
const csv = (text: string, encoding: 'utf-8' | 'gbk' = 'utf-8', bom = false) =>
  Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text)]);
async function xlsx(rows: unknown[][], merge?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('地块表');
  for (const r of rows) ws.addRow(r);
  if (merge) ws.mergeCells(merge);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function patchDeclaredSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt32LE(size, 22); // the first local header's uncompressed size
  const cd = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  out.writeUInt32LE(size, cd + 24);
  return out;
}
const attrCommit = (c: Ctx) => ({ zoneId: c.zoneId });

const CASES: Case[] = [
  // ---- shapefiles
  { name: 'truncated .shp', file: 'truncated.zip', make: (c) => goodShp(c, { truncateShpAt: 150 }), reason: /truncated or damaged/ },
  { name: '.shp cut inside its header', file: 'header.zip', make: (c) => goodShp(c, { truncateShpAt: 40 }), reason: /truncated or damaged|cannot be read/ },
  { name: 'missing .dbf', file: 'nodbf.zip', make: (c) => goodShp(c, { omit: ['dbf'] }), reason: /"地块\.dbf" is missing/ },
  { name: 'no .shp', file: 'noshp.zip', make: (c) => goodShp(c, { omit: ['shp'] }), reason: /no \.shp file/ },
  { name: 'two layers', file: 'two.zip', make: async () => zipOf({ 'a.shp': 'x', 'a.dbf': 'x', 'b.shp': 'x', 'b.dbf': 'x' }), reason: /2 layers/ },
  { name: 'empty zip', file: 'empty-archive.zip', make: () => zipOf({}), reason: /no \.shp file/ },
  {
    name: 'wrong .prj (lon/lat for metres)',
    file: 'wrongprj.zip',
    make: (c) => goodShp(c, { prj: prjFor(4326) }),
    reason: /do not fit that system: the \.prj is wrong/,
  },
  {
    name: 'wrong .prj (CM 111 for CM 114 data)',
    file: 'wrongzone.zip',
    make: (c) => goodShp(c, { prj: prjFor(4546) }),
    reason: /lies in no zone/,
    where: /feature 1/,
  },
  { name: '.prj that is not WKT', file: 'garbage-prj.zip', make: (c) => goodShp(c, { prj: 'hello world' }), reason: /not a WKT coordinate system/ },
  {
    name: "Xi'an 1980 .prj",
    file: 'xian80.zip',
    make: (c) =>
      goodShp(c, { prj: 'PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]]]' }),
    reason: /Xi'an 1980 or Beijing 1954/,
  },
  {
    name: 'GBK text with a .cpg saying UTF-8',
    file: 'cpg-lies.zip',
    make: (c) => goodShp(c, { encoding: 'gbk', cpg: 'UTF-8' }),
    reason: /not valid UTF-8 \(it looks like GBK\)/,
  },
  { name: 'unknown .cpg encoding', file: 'cpg-hebrew.zip', make: (c) => goodShp(c, { cpg: 'ISO-8859-8' }), reason: /not UTF-8 or GBK/ },
  { name: 'zip path outside the folder', file: 'traversal.zip', make: () => zipOf({ '../../evil.shp': 'x' }), reason: /points outside the archive's folder/ },
  { name: 'zip absolute path', file: 'absolute.zip', make: () => zipOf({ '/etc/evil.shp': 'x' }), reason: /points outside the archive's folder/ },
  { name: 'zip bomb (ratio)', file: 'bomb.zip', make: () => zipOf({ 'bomb.shp': Buffer.alloc(50 * 1024 * 1024) }), reason: /zip bomb/ },
  {
    name: 'zip lying about its sizes',
    file: 'liar.zip',
    make: async () => patchDeclaredSize(await zipOf({ 'a.shp': Buffer.alloc(200_000, 7), 'a.dbf': 'x' }), 1000),
    reason: /cannot be inflated/,
  },
  { name: 'not a zip', file: 'notzip.zip', make: () => Buffer.from('this is not a zip archive at all'), reason: /not a readable zip archive/ },
  { name: 'zip cut in half', file: 'half.zip', make: async (c) => (await goodShp(c)).subarray(0, 300), reason: /not a readable zip archive|damaged/ },
  { name: 'empty file', file: 'empty.zip', make: () => Buffer.alloc(0), reason: /The file is empty/, status: 400 },
  {
    name: 'self-intersecting polygon, repair not accepted',
    file: 'bowtie.zip',
    make: (c) => goodShp(c, { geometries: [bowtie(c.centre)] }),
    reason: /not valid \(Self-intersection/,
    where: /feature 1/,
  },
  {
    name: 'feature outside China after reprojection',
    file: 'far.zip',
    make: (c) => goodShp(c, { geometries: [square([100.5, 20.0], 30)], epsg: 4547 }),
    reason: /outside China|do not fit|no zone/,
  },
  // ---- GeoJSON
  { name: 'empty GeoJSON', file: 'empty.geojson', make: () => Buffer.alloc(0), reason: /empty/, status: 400 },
  { name: 'not JSON', file: 'broken.geojson', make: () => Buffer.from('{"type": "FeatureCollection", "features": ['), reason: /not valid JSON/ },
  {
    name: 'NaN coordinates',
    file: 'nan.geojson',
    make: () => Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN, 37]}}]}'),
    reason: /NaN and Infinity are not allowed/,
  },
  {
    name: 'coordinates as text',
    file: 'strings.geojson',
    make: () =>
      fc([
        feature({
          type: 'Polygon',
          coordinates: [
            [
              ['113.5', '37.8'],
              ['113.6', '37.8'],
              ['113.6', '37.9'],
              ['113.5', '37.8'],
            ],
          ],
        }),
      ]),
    reason: /not two finite numbers/,
    where: /feature 1/,
  },
  {
    name: 'latitude out of range (CRS84)',
    file: 'range.geojson',
    make: (c) =>
      fc(
        [
          feature(polygonOf(c.squares[0])),
          feature(
            {
              type: 'Polygon',
              coordinates: [
                [
                  [113.5, 95],
                  [113.6, 95],
                  [113.6, 96],
                  [113.5, 95],
                ],
              ],
            },
            { 地块编号: 'G-2', 用地性质: '100102' },
          ),
        ],
        { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } },
      ),
    reason: /do not fit that system/,
  },
  {
    name: 'longitude out of range, no crs',
    file: 'range2.geojson',
    make: (c) =>
      fc([
        feature(polygonOf(c.squares[0])),
        feature(
          {
            type: 'Polygon',
            coordinates: [
              [
                [213.5, 37],
                [213.6, 37],
                [213.6, 38],
                [213.5, 37],
              ],
            ],
          },
          { 地块编号: 'G-2', 用地性质: '100102' },
        ),
      ]),
    reason: /neither longitude\/latitude in China nor CGCS2000/,
  },
  {
    name: 'mixed geometry types',
    file: 'mixed.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0])), feature({ type: 'Point', coordinates: [113.5, 37.8] }, { 地块编号: 'G-2' })]),
    reason: /one geometry type per file/,
    where: /feature 2/,
  },
  {
    name: 'points (projects) without a project name',
    file: 'points.geojson',
    make: () => fc([feature({ type: 'Point', coordinates: [113.5, 37.8] })]),
    reason: /No column is mapped to the project name/,
    where: /feature 1/,
  },
  {
    name: 'lines',
    file: 'lines.geojson',
    make: () =>
      fc([
        feature({
          type: 'LineString',
          coordinates: [
            [113.5, 37.8],
            [113.6, 37.9],
          ],
        }),
      ]),
    reason: /Lines cannot be imported/,
  },
  { name: 'no features', file: 'none.geojson', make: () => fc([]), reason: /no features/, status: 400 },
  { name: 'JSON that is not GeoJSON', file: 'array.geojson', make: () => json([1, 2, 3]), reason: /not GeoJSON/ },
  {
    name: 'unknown geometry type',
    file: 'circle.geojson',
    make: () => fc([feature({ type: 'Circle', coordinates: [113.5, 37.8] })]),
    reason: /"Circle" is not GeoJSON/,
    where: /feature 1/,
  },
  {
    name: 'unknown land use and bad number',
    file: 'values.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0]), { 地块编号: 'G-1', 用地性质: 'Z9', 出让价款: '12万' })]),
    reason: /Unknown land-use code "Z9"|is not a number/,
    where: /feature 1/,
  },
  {
    name: 'duplicate codes',
    file: 'dups.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0])), feature(polygonOf(c.squares[2]))]),
    reason: /code G-1 appears again/,
    where: /feature 2/,
  },
  {
    name: 'empty code',
    file: 'nocode.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0]), { 地块编号: '', 用地性质: '100102' })]),
    reason: /parcel code is empty/,
    where: /feature 1/,
  },
  {
    name: 'unknown EPSG',
    file: 'mercator.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0]))], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }),
    reason: /EPSG:3857, which this app does not know/,
  },
  {
    name: 'bad date',
    file: 'date.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[0]), { 地块编号: 'G-1', 用地性质: '100102', 状态: '已供应', 出让时间: '2023-02-30' })]),
    reason: /"2023-02-30" is not a date/,
    where: /feature 1/,
  },
  // ---- KML / KMZ
  { name: 'malformed KML', file: 'broken.kml', make: () => Buffer.from('<kml><Document><Placemark>'), reason: /not a KML document/ },
  { name: 'KMZ without a .kml', file: 'nodoc.kmz', make: () => zipOf({ 'readme.txt': 'x' }), reason: /no \.kml document/ },
  {
    name: 'KML of points',
    file: 'points.kml',
    make: () =>
      Buffer.from(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>P</name><Point><coordinates>100.0,30.0</coordinates></Point></Placemark></Document></kml>',
      ),
    reason: /The project has no zone/,
    where: /feature 1/,
  },
  // ---- CSV
  { name: 'CSV header only', file: 'header.csv', make: () => csv('地块编号,用地性质\n'), reason: /header but no rows/, status: 400 },
  {
    name: 'CSV column without a name',
    file: 'noname.csv',
    make: () => csv('地块编号,,用地性质\nA,1,100102\n'),
    reason: /column 2 of the header row has no name/,
    where: /row 1/,
  },
  { name: 'CSV duplicate column', file: 'dupcol.csv', make: () => csv('地块编号,地块编号\nA,B\n'), reason: /"地块编号" twice/, where: /row 1/ },
  { name: 'CSV unbalanced quote', file: 'quote.csv', make: () => csv('地块编号,用地性质\nA,100102\n"B,100102\n'), reason: /CSV cannot be read/ },
  {
    name: 'CSV of lon/lat points without a project name',
    file: 'points.csv',
    make: () => csv('地块编号,经度,纬度\nA,113.5,37.8\n'),
    reason: /No column is mapped to the project name/,
    where: /row 2/,
  },
  // ---- project lists and zone boundaries
  {
    name: 'project with an unknown stage',
    file: 'stage.csv',
    make: () => csv('项目名称,园区代码,项目阶段,签约时间\n甲项目,SX-YQGX,招商,2025-01-01\n'),
    reason: /Unknown stage "招商"/,
    where: /row 2 \(甲项目\)/,
  },
  {
    name: 'project with stage dates out of order',
    file: 'order.csv',
    make: () => csv('项目名称,园区代码,项目阶段,签约时间,开工时间\n乙项目,SX-YQGX,开工,2025-05-01,2025-02-01\n'),
    reason: /stages must come in order/,
    where: /row 2 \(乙项目\)/,
  },
  {
    name: 'project on an unknown parcel',
    file: 'parcel.csv',
    make: () => csv('项目名称,园区代码,地块编号,项目阶段,谋划时间\n丙项目,SX-YQGX,NOPE-9,谋划,2025-01-01\n'),
    reason: /No parcel NOPE-9 in the project's zone/,
    where: /row 2/,
  },
  {
    name: 'project in an unknown zone',
    file: 'zone.csv',
    make: () => csv('项目名称,园区代码,项目阶段,谋划时间\n丁项目,SX-NOWHERE,谋划,2025-01-01\n'),
    reason: /Unknown zone "SX-NOWHERE"/,
    where: /row 2/,
  },
  {
    name: 'project with a bad investment',
    file: 'money.csv',
    make: () => csv('项目名称,园区代码,项目阶段,谋划时间,总投资（万元）\n戊项目,SX-YQGX,谋划,2025-01-01,很多\n'),
    reason: /"很多" is not a number/,
    where: /row 2/,
  },
  {
    name: 'project twice in the file',
    file: 'twice.csv',
    make: () => csv('项目名称,园区代码,项目阶段,谋划时间\n己项目,SX-YQGX,谋划,2025-01-01\n己项目,SX-YQGX,谋划,2025-02-01\n'),
    reason: /appears again in the same zone \(first at row 2\)/,
    where: /row 3/,
  },
  {
    name: 'zone with an unknown level',
    file: 'level.geojson',
    make: () => fc([feature(polygonOf(square([113.3, 36.3], 400)), { 园区代码: 'SX-NEW1', 园区名称: '新园区', 级别: '市级', 所在市: '阳泉市' })]),
    reason: /Unknown level "市级"/,
    where: /feature 1/,
  },
  {
    name: 'zone boundary leaving its parcels outside',
    file: 'shrink.geojson',
    make: (c) => fc([feature(polygonOf(c.squares[1]), { 园区代码: 'SX-YQGX', 园区名称: '阳泉高新技术产业开发区', 级别: '省级', 所在市: '阳泉市' })]),
    reason: /leaves parcels of the zone outside: YQGX-/,
    where: /feature 1 \(SX-YQGX\)/,
  },
  {
    name: 'zone code twice',
    file: 'zones-twice.geojson',
    make: () =>
      fc(
        [1, 2].map((k) =>
          feature(polygonOf(square([113.3 + k / 100, 36.3], 400)), { 园区代码: 'SX-NEW2', 园区名称: '新园区', 级别: '省级', 所在市: '阳泉市' }),
        ),
      ),
    reason: /zone code SX-NEW2 appears again/,
    where: /feature 2/,
  },
  {
    name: 'new zone without its city',
    file: 'nocity.geojson',
    make: () => fc([feature(polygonOf(square([113.35, 36.35], 400)), { 园区代码: 'SX-NEW3', 园区名称: '新园区', 级别: '国家级' })]),
    reason: /A new zone needs city/,
    where: /feature 1/,
  },
  {
    name: 'CSV with broken WKT',
    file: 'wkt.csv',
    make: (c) => csv(`地块编号,用地性质,WKT\nA,100102,"POLYGON((${c.centre[0]} ${c.centre[1]}, 1 2"\n`),
    reason: /is not WKT/,
    where: /row 2/,
  },
  {
    name: 'CSV attribute table with an unknown code',
    file: 'unknown.csv',
    make: (c) => csv(`地块编号;出让价款\n${c.codes[0]};"1,234.5"\nNOPE-1;10\n`, 'utf-8', true),
    reason: /No parcel NOPE-1 in this zone/,
    where: /row 3/,
    commit: attrCommit,
  },
  {
    name: 'GBK CSV with semicolons and a bad status',
    file: 'status.csv',
    make: (c) => csv(`地块编号;状态;出让价款\n${c.codes[0]};已供应;"2 000"\n${c.codes[1]};卖掉了;"1,000"\n`, 'gbk'),
    reason: /Unknown status "卖掉了"/,
    where: /row 3/,
    commit: attrCommit,
  },
  {
    name: 'CSV attribute table without a zone',
    file: 'nozone.csv',
    make: (c) => csv(`地块编号,出让价款\n${c.codes[0]},5\n`),
    reason: /needs the zone/,
    where: /row 2/,
  },
  // ---- Excel
  {
    name: 'Excel with merged header cells',
    file: 'merged.xlsx',
    make: () =>
      xlsx(
        [
          ['地块信息', '', '出让价款'],
          ['A', '100102', 5],
        ],
        'A1:B1',
      ),
    reason: /merged header cells \(A1/,
    where: /row 1/,
  },
  { name: 'not really an xlsx', file: 'fake.xlsx', make: () => Buffer.from('PK but not really'), reason: /not a readable zip archive|cannot be read/ },
  { name: 'Excel header only', file: 'header.xlsx', make: () => xlsx([['地块编号', '出让价款']]), reason: /header but no rows/, status: 400 },
  {
    name: 'Excel with a bad date',
    file: 'date.xlsx',
    make: (c) =>
      xlsx([
        ['地块编号', '约定开工时间'],
        [c.codes[0], '2024/1/1'],
        [c.codes[1], '明年'],
      ]),
    reason: /"明年" is not a date/,
    where: /row 3/,
    commit: attrCommit,
  },
  // ---- anything else
  {
    name: 'unknown file type',
    file: 'minutes.docx',
    make: () => Buffer.from('not a land file'),
    reason: /Unknown file type: import a GeoPackage/,
    status: 415,
  },
];

function bowtie([x, y]: [number, number]): MultiPolygon {
  const d = 0.00004;
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [x - d, y - d],
          [x + d, y + d],
          [x + d, y - d],
          [x - d, y + d],
          [x - d, y - d],
        ],
      ],
    ],
  };
}

describe.each(dbTargets({ writable: true }))('bad land files on $name', (target) => {
  const ctx = useApiServer(target);

  it(`refuses each of ${CASES.length} bad files with the file, the place and the reason, leaving the database as it was`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const planner = await ctx.server.as('planner');
    const spot = await freeSpot(ctx.db, 'SX-YQGX');
    const dLon = 11 / (111_320 * Math.cos((spot.centre[1] * Math.PI) / 180));
    const c: Ctx = {
      centre: spot.centre,
      zoneId: spot.zoneId,
      squares: [-1, 0, 1].map((k) => square([spot.centre[0] + k * dLon, spot.centre[1]], 8)),
      codes: (await ctx.db.query<{ code: string }>('SELECT code FROM parcels WHERE zone_id = $1 ORDER BY id LIMIT 2', [spot.zoneId])).map((r) => r.code),
    };
    const before = await dataChecksum(ctx.db);
    const failures: string[] = [];
    for (const k of CASES) {
      const bytes = await k.make(c);
      const staged = await upload(ctx.server.url, planner, k.file, bytes);
      let res = staged;
      if (staged.status === 201) {
        res = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, k.commit?.(c) ?? {});
      }
      const message: string = res.body?.error?.message ?? '';
      const problems = [
        res.status >= 400 && res.status < 500 ? null : `status ${res.status}`,
        k.status && res.status !== k.status ? `status ${res.status} instead of ${k.status}` : null,
        message.startsWith(k.file) ? null : 'message does not start with the file name',
        k.reason.test(message) ? null : 'reason missing',
        k.where && !k.where.test(message) ? 'feature/row missing' : null,
        res.body?.error?.details?.message_zh?.startsWith(k.file) ? null : 'no Chinese message',
      ].filter(Boolean);
      if (problems.length) failures.push(`${k.name}: ${problems.join(', ')} — ${res.status} ${message.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(await dataChecksum(ctx.db)).toBe(before);
  }, 240_000);

  it('reads the well-formed variants: BOM, semicolons, thousands separators, GBK, Excel dates, swapped x/y', async () => {
    const planner = await ctx.server.as('planner');
    const spot = await freeSpot(ctx.db, 'SX-YQGX');
    const codes = (await ctx.db.query<{ code: string }>('SELECT code FROM parcels WHERE zone_id = $1 ORDER BY id LIMIT 2', [spot.zoneId])).map((r) => r.code);
    const text = `地块编号;出让价款（万元）;约定投资\n${codes[0]};"1,234.5";"12 000"\n${codes[1]};"2,000";3\n`;
    const staged = await upload(ctx.server.url, planner, '价款.csv', csv(text, 'gbk', false));
    expect(staged.status).toBe(201);
    expect(staged.body.mapping.fields).toMatchObject({ code: '地块编号', land_price_wan: '出让价款（万元）', agreed_investment_wan: '约定投资' });
    const commit = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, { zoneId: spot.zoneId });
    expect(commit.body).toMatchObject({ created: 0, updated: 2 });
    const rows = await ctx.db.query<{ land_price_wan: number; agreed_investment_wan: number }>(
      'SELECT land_price_wan, agreed_investment_wan FROM parcels WHERE code = ANY($1) ORDER BY id',
      [codes],
    );
    expect(rows).toEqual([
      { land_price_wan: 1234.5, agreed_investment_wan: 12000 },
      { land_price_wan: 2000, agreed_investment_wan: 3 },
    ]);

    const bom = await upload(ctx.server.url, planner, 'bom.csv', csv(`地块编号,出让价款\n${codes[0]},7\n`, 'utf-8', true));
    expect(bom.body.columns).toEqual(['地块编号', '出让价款']);

    const book = await xlsx([
      ['地块编号', '约定开工时间'],
      [codes[0], new Date(Date.UTC(2025, 2, 15))],
    ]);
    const ex = await upload(ctx.server.url, planner, '日期.xlsx', book);
    const exCommit = await planner.send('POST', `/api/imports/${ex.body.id}/commit`, { zoneId: spot.zoneId });
    expect(exCommit.status, JSON.stringify(exCommit.body)).toBe(200);
    const [{ agreed_start_date }] = await ctx.db.query<{ agreed_start_date: string }>('SELECT agreed_start_date FROM parcels WHERE code = $1', [codes[0]]);
    expect(agreed_start_date).toBe('2025-03-15');

    // Northing first, easting with the zone prefix: detected and explained.
    const sq = square(spot.centre, 8);
    const swapped = await shapefileZip({
      epsg: 4526,
      fields: FIELDS,
      records: [{ 地块编号: 'SW-1', 用地性质: '100102' }],
      geometries: [sq],
      prj: null,
      swapXY: true,
    });
    const sw = await upload(ctx.server.url, planner, 'swapped.zip', swapped);
    expect(sw.body.crs).toMatchObject({ epsg: 4526, swapped: true });
    expect(sw.body.crs.reason.en).toMatch(/x and y are swapped/);
    const check = await planner.send('POST', `/api/imports/${sw.body.id}/check`, {});
    expect(check.body.errors).toBe(0);
    const corner = check.body.preview.features[0].geometry.coordinates[0][0][0];
    expect(Math.abs(corner[0] - sq.coordinates[0][0][0][0])).toBeLessThan(1e-5);
    expect(Math.abs(corner[1] - sq.coordinates[0][0][0][1])).toBeLessThan(1e-5);
    expect(project(sq, 4526).coordinates[0][0][0][0]).toBeGreaterThan(38_000_000);
  });
});
