/**
 * The ministry's coordinate TXT, read from files written by hand from the published rules (test/fixtures/ministry-txt),
 * and written for export; GeoPackage and CAD files refused with a reason.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { toLonLat } from '../../server/import/crs.ts';
import { writeMinistryTxt } from '../../server/import/ministryTxt.ts';
import { readDataset } from '../../server/import/readers.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ministry-txt/${name}`, import.meta.url));
const read = (name: string) => readDataset(name, fixture(name));
async function refusal(name: string, data: Buffer = fixture(name)) {
  try {
    await readDataset(name, data);
  } catch (err) {
    const e = err as { status: number; code: string; message: string; details: { message_zh: string } };
    return { status: e.status, code: e.code, en: e.message, zh: e.details.message_zh };
  }
  throw new Error(`${name} was read`);
}

describe('the ministry coordinate TXT', () => {
  it('reads a GBK + CRLF file of two parcels, one with a hole, X as the northing and Y as the prefixed easting', async () => {
    const d = await read('two-parcels-hole.gbk-crlf.txt');
    expect(d).toMatchObject({ format: 'ministry-txt', encoding: 'gbk', declaredEpsg: 4526 });
    expect(d.columns.slice(0, 8)).toEqual(['界址点数', '地块面积(公顷)', '地块编号', '地块名称', '记录图形属性', '图幅号', '地块用途', '地类编码']);
    expect(d.features.map((f) => [f.properties['地块编号'], f.properties['地块名称'], f.properties['地块面积(公顷)'], f.properties['地类编码']])).toEqual([
      ['TXT-01', '一号地块', '0.76', '100101'],
      ['TXT-02', '二号地块', '0.48', '1101'],
    ]);
    // Line "J1,1,4192080.000,38500000.000": easting 38 500 000 (zone 38, on the central meridian), northing 4 192 080.
    const [first, second] = d.features.map((f) => f.geometry as GeoJSON.MultiPolygon);
    expect(first.coordinates).toEqual([
      [
        [
          [38500000, 4192080],
          [38500100, 4192080],
          [38500100, 4192000],
          [38500000, 4192000],
          [38500000, 4192080],
        ],
        [
          [38500040, 4192050],
          [38500040, 4192030],
          [38500060, 4192030],
          [38500060, 4192050],
          [38500040, 4192050],
        ],
      ],
    ]);
    expect(second.coordinates).toEqual([
      [
        [
          [38500200, 4192080],
          [38500260, 4192080],
          [38500260, 4192000],
          [38500200, 4192000],
          [38500200, 4192080],
        ],
      ],
    ]);
    // 500 000 m false easting is the central meridian: 114°E exactly; 4 192 km north of the equator is about 37.9°N.
    const [lon, lat] = toLonLat(4526)(first.coordinates[0][0][0] as [number, number]);
    expect(lon).toBeCloseTo(114, 9);
    expect(lat).toBeGreaterThan(37.8);
    expect(lat).toBeLessThan(37.9);
    // The same file in UTF-8 with LF reads the same.
    const utf8 = await read('two-parcels-hole.utf8.txt');
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.features).toEqual(d.features);
  });

  it('takes the zone from 带号 when the eastings carry no prefix, and asks for the CRS when neither says it', async () => {
    const withZone = await read('no-prefix-zone-in-header.txt');
    expect(withZone.declaredEpsg).toBe(4547);
    expect((withZone.features[0].geometry as GeoJSON.MultiPolygon).coordinates[0][0][0]).toEqual([500000, 4192080]);
    const without = await read('no-prefix-no-zone.txt');
    expect(without.declaredEpsg).toBeNull();
    expect(without.notes.map((n) => n.zh)).toContain('东坐标不含带号，文件头也未写带号：中央经线按数据位置推测，请在下方确认坐标系。');
  });

  it('closes a ring that does not return to its first point, and says which lines', async () => {
    const d = await read('ring-not-closed.txt');
    const ring = (d.features[1].geometry as GeoJSON.MultiPolygon).coordinates[0][0];
    expect(ring).toEqual([
      [38500200, 4192080],
      [38500260, 4192080],
      [38500260, 4192000],
      [38500200, 4192000],
      [38500200, 4192080],
    ]);
    expect(d.notes.map((n) => n.en)).toEqual(['Parcel TXT-02: ring 1 (lines 25–28) does not return to its first point; it was closed.']);
  });

  it('refuses bad files naming the line and the reason, in both languages', async () => {
    expect(await refusal('count-mismatch.txt')).toMatchObject({
      status: 422,
      en: 'count-mismatch.txt, parcel 1 (line 8): 界址点数 is "6" but 5 point lines follow (4 without the closing repeats).',
      zh: 'count-mismatch.txt，第 1 个地块（第 8 行）：界址点数为“6”，但其后有 5 个界址点行（不计闭合重复点为 4 个）。',
    });
    const notPoint = await refusal('not-a-point-line.txt');
    expect(notPoint.en).toMatch(/^not-a-point-line\.txt, line 11: "3;1;4192000\.000;38500100\.000" is neither a parcel line/);
    expect(notPoint.zh).toMatch(/第 11 行：.*既不是地块属性行/);
    const xian = await refusal('xian80.txt');
    expect(xian.en).toMatch(/^xian80\.txt, line 2: 坐标系=1980西安坐标系: Xi'an 1980 and Beijing 1954 coordinates must be converted to CGCS2000/);
    expect(xian.zh).toMatch(/须先转换为 2000 国家大地坐标系/);
    expect((await refusal('line-shape.txt')).zh).toMatch(/第 1 个地块（第 8 行）：记录图形属性为“线”：地块须为面/);
    expect((await refusal('zone-header-disagrees.txt')).en).toMatch(/line 6: 带号=39, but the eastings start with zone number 38 \(line 9\)/);
  });

  it('still sends an ordinary .txt table to the CSV reader', async () => {
    const d = await readDataset('points.txt', Buffer.from('地块编号,X,Y\nA,38500000,4192080\n'));
    expect(d.format).toBe('csv');
  });

  it('writes GBK with CRLF: outer rings clockwise from the north-west corner, holes counter-clockwise, X northing first, each ring closed', () => {
    // A 100 × 80 m parcel given counter-clockwise from its south-east corner, with a 20 m hole given clockwise.
    const body = writeMinistryTxt(
      [
        {
          code: 'A-1',
          name: 'A-1',
          areaHa: 0.76,
          landUseCode: '100101',
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [38500100, 4192000],
                  [38500100, 4192080],
                  [38500000, 4192080],
                  [38500000, 4192000],
                  [38500100, 4192000],
                ],
                [
                  [38500040, 4192050],
                  [38500060, 4192050],
                  [38500060, 4192030],
                  [38500040, 4192030],
                  [38500040, 4192050],
                ],
              ],
            ],
          },
        },
      ],
      4526,
      new Date(2026, 0, 5),
    );
    const text = iconv.decode(body, 'gbk');
    expect(text.split('\r\n').join('\n').includes('\r')).toBe(false);
    expect(text.split('\r\n')).toEqual([
      '[属性描述]',
      '格式版本号=1.01',
      '数据产生单位=园区一张图',
      '数据产生日期=2026-01-05',
      '坐标系=2000国家大地坐标系',
      '几度分带=3',
      '投影类型=高斯克吕格',
      '计量单位=米',
      '带号=38',
      '精度=0.001',
      '转换参数=,,,,,,',
      '[地块坐标]',
      '10,0.76,A-1,A-1,面,,一类工业用地,100101,@',
      'J1,1,4192080.000,38500000.000',
      'J2,1,4192080.000,38500100.000',
      'J3,1,4192000.000,38500100.000',
      'J4,1,4192000.000,38500000.000',
      'J1,1,4192080.000,38500000.000',
      'J5,2,4192050.000,38500040.000',
      'J6,2,4192030.000,38500040.000',
      'J7,2,4192030.000,38500060.000',
      'J8,2,4192050.000,38500060.000',
      'J5,2,4192050.000,38500040.000',
      '',
    ]);
  });
});

describe('files that are not read as they are', () => {
  it('answers DXF and DWG with how to convert them', async () => {
    for (const [name, bytes] of [
      ['survey.dxf', '  0\nSECTION\n  2\nHEADER\n'],
      ['survey.dwg', 'AC1032\0\0'],
    ] as const) {
      const r = await refusal(name, Buffer.from(bytes, 'latin1'));
      expect(r).toMatchObject({ status: 415, code: 'import_cad' });
      expect(r.en).toContain('ogr2ogr -f GPKG parcels.gpkg drawing.dxf');
      expect(r.en).toContain('A DWG must first be saved as DXF');
      expect(r.zh).toContain('“导出 → 要素另存为…”');
      expect(r.zh).toContain('DWG 须先在 CAD 中另存为 DXF');
    }
  });

  it('refuses a .gpkg that is not SQLite, and an SQLite file that is not a GeoPackage', async () => {
    const notSqlite = await refusal('layer.gpkg', Buffer.from('{"type":"FeatureCollection"}'));
    expect(notSqlite.en).toMatch(/^layer\.gpkg: The file is not a GeoPackage: a \.gpkg is an SQLite database/);
    expect(notSqlite.zh).toMatch(/文件不是 GeoPackage/);
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE t (a TEXT); INSERT INTO t VALUES (1);');
    const plain = Buffer.from(db.export());
    db.close();
    const notGpkg = await refusal('plain.gpkg', plain);
    expect(notGpkg.en).toMatch(/an SQLite database but not a GeoPackage/);
    expect(notGpkg.zh).toMatch(/不是 GeoPackage（缺少 gpkg_contents/);
  });
});
