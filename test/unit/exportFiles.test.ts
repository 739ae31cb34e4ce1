/**
 * The bytes of exported files where outside tools are strict (ring direction in a .shp, DBF date fields, KML's
 * Schema), and the reading of DBF dates as ArcGIS and GDAL write them.
 */
import JSZip from 'jszip';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonShpShx, writeDbf, writeExport, type ExportRow } from '../../server/import/export.ts';
import { readDataset } from '../../server/import/readers.ts';

/** The rings of the first record of a polygon .shp, as written (x, y pairs per part). */
function firstRecordRings(shp: Buffer): number[][][] {
  const at = 100 + 8; // file header, record header
  expect(shp.readInt32LE(at)).toBe(5); // Polygon
  const parts = shp.readInt32LE(at + 36);
  const points = shp.readInt32LE(at + 40);
  const starts = Array.from({ length: parts }, (_, i) => shp.readInt32LE(at + 44 + i * 4));
  const xy = Array.from({ length: points }, (_, i) => [shp.readDoubleLE(at + 44 + parts * 4 + i * 16), shp.readDoubleLE(at + 44 + parts * 4 + i * 16 + 8)]);
  return starts.map((s, i) => xy.slice(s, starts[i + 1] ?? points));
}

describe('shapefile rings', () => {
  // A 10 × 10 square with a 2 × 2 hole, given the GeoJSON way (outer counter-clockwise, hole clockwise).
  const square: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
        [
          [4, 4],
          [4, 6],
          [6, 6],
          [6, 4],
          [4, 4],
        ],
      ],
    ],
  };

  it('writes the outer ring clockwise and the hole counter-clockwise, as ESRI specifies (x east, y north)', async () => {
    const { shp } = await polygonShpShx([square]);
    expect(firstRecordRings(shp)).toEqual([
      [
        [0, 0],
        [0, 10],
        [10, 10],
        [10, 0],
        [0, 0],
      ],
      [
        [4, 4],
        [6, 4],
        [6, 6],
        [4, 6],
        [4, 4],
      ],
    ]);
  });

  it('leaves rings already the shapefile way as they are', async () => {
    const esri: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [0, 10],
            [10, 10],
            [10, 0],
            [0, 0],
          ],
          [
            [4, 4],
            [6, 4],
            [6, 6],
            [4, 6],
            [4, 4],
          ],
        ],
      ],
    };
    const { shp } = await polygonShpShx([esri]);
    expect(firstRecordRings(shp)).toEqual(esri.coordinates[0]);
  });

  it('writes GeoJSON outer rings counter-clockwise (RFC 7946) whatever way they are stored', async () => {
    const clockwise: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [0, 10],
            [10, 10],
            [10, 0],
            [0, 0],
          ],
        ],
      ],
    };
    const file = await writeExport([{ code: 'A', geometry: clockwise } as ExportRow], 'geojson', 4326, 'parcels-4326', [
      { column: 'code', dbf: 'DKBH', header: '地块编号', type: 'text' },
    ]);
    expect(JSON.parse(file.body.toString()).features[0].geometry.coordinates).toEqual([
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
      ],
    ]);
  });
});

describe('DBF date fields', () => {
  const columns = [
    { column: 'code', dbf: 'DKBH', type: 'text' as const },
    { column: 'supplied_date', dbf: 'CRSJ', type: 'date' as const },
  ];

  it('writes dates as D fields of 8 characters, YYYYMMDD, an empty date as 8 spaces', () => {
    const dbf = writeDbf(columns, [
      { code: 'A', supplied_date: '2023-05-01' },
      { code: 'B', supplied_date: null },
    ]);
    const field = 32 + 32; // the second field descriptor
    expect(dbf.toString('latin1', field, field + 4)).toBe('CRSJ');
    expect(String.fromCharCode(dbf[field + 11])).toBe('D');
    expect(dbf[field + 16]).toBe(8);
    const headerLength = dbf.readUInt16LE(8);
    const recordLength = dbf.readUInt16LE(10);
    expect(recordLength).toBe(1 + 1 + 8); // deletion flag, "A"/"B", the date
    expect(dbf.toString('latin1', headerLength + 2, headerLength + 10)).toBe('20230501');
    expect(dbf.toString('latin1', headerLength + recordLength + 2, headerLength + recordLength + 10)).toBe('        ');
  });

  it('reads blank and zero dates as empty and YYYYMMDD as that day (not 1899-11-30, not shifted by the time zone)', async () => {
    const dbf = writeDbf(columns, [
      { code: 'A', supplied_date: '2023-05-01' },
      { code: 'B', supplied_date: null },
      { code: 'C', supplied_date: '1999-12-31' },
      { code: 'D', supplied_date: '2020-01-01' },
    ]);
    // Record D's date as ArcGIS and GDAL write an empty one: zeros.
    const headerLength = dbf.readUInt16LE(8);
    dbf.write('00000000', headerLength + 3 * 10 + 2, 'latin1');
    const ring = [
      [113.5, 37.8],
      [113.5, 37.801],
      [113.501, 37.801],
      [113.5, 37.8],
    ];
    const { shp, shx } = await polygonShpShx(Array.from({ length: 4 }, () => ({ type: 'MultiPolygon', coordinates: [[ring]] }) as MultiPolygon));
    const zip = new JSZip();
    zip.file('a.shp', shp);
    zip.file('a.shx', shx);
    zip.file('a.dbf', dbf);
    zip.file('a.cpg', 'UTF-8');
    const data = await readDataset('a.zip', await zip.generateAsync({ type: 'nodebuffer' }));
    expect(data.features.map((f) => f.properties)).toEqual([
      { DKBH: 'A', CRSJ: '2023-05-01' },
      { DKBH: 'B', CRSJ: null },
      { DKBH: 'C', CRSJ: '1999-12-31' },
      { DKBH: 'D', CRSJ: null },
    ]);
  });
});

describe('KML', () => {
  const columns = [
    { column: 'code', dbf: 'DKBH', header: '地块编号', type: 'text' as const },
    { column: 'status', dbf: 'ZT', header: '供地状态', type: 'text' as const },
    { column: 'registered_area_m2', dbf: 'DJMJ', header: '登记面积（m²）', type: 'number' as const },
    { column: 'is_standard_land', dbf: 'BZD', header: '标准地', type: 'boolean' as const },
  ];
  const geometry: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [113.5, 37.8],
          [113.501, 37.8],
          [113.501, 37.801],
          [113.5, 37.8],
        ],
      ],
    ],
  };

  it('declares a Schema and writes SchemaData that our importer reads back (booleans as 是/否, empty values left out)', async () => {
    const rows = [
      { code: 'K&1', status: '已供应', registered_area_m2: 540, is_standard_land: false, geometry },
      { code: 'K2', status: '储备', registered_area_m2: null, is_standard_land: true, geometry },
    ] as ExportRow[];
    const file = await writeExport(rows, 'kml', 4326, 'parcels-4326', columns);
    const text = file.body.toString();
    expect(text).toContain(
      '<Schema name="parcels_4326" id="parcels_4326"><SimpleField name="地块编号" type="string"/><SimpleField name="供地状态" type="string"/><SimpleField name="登记面积（m²）" type="double"/><SimpleField name="标准地" type="string"/></Schema>',
    );
    expect(text).toContain(
      '<SchemaData schemaUrl="#parcels_4326"><SimpleData name="地块编号">K&amp;1</SimpleData><SimpleData name="供地状态">已供应</SimpleData><SimpleData name="登记面积（m²）">540</SimpleData><SimpleData name="标准地">否</SimpleData></SchemaData>',
    );
    expect(text).not.toContain('<Data ');
    const back = await readDataset('p.kml', file.body);
    expect(back.features.map((f) => f.properties)).toEqual([
      { name: 'K&1', 地块编号: 'K&1', 供地状态: '已供应', '登记面积（m²）': '540', 标准地: '否' },
      { name: 'K2', 地块编号: 'K2', 供地状态: '储备', 标准地: '是' },
    ]);
  });

  it('reads typed SimpleData as text, so a bool "0" (as GDAL writes it) stays "0"', async () => {
    const kml = `<?xml version="1.0" encoding="utf-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Schema name="t" id="t"><SimpleField name="标准地" type="bool"/><SimpleField name="面积" type="double"/></Schema>
      <Placemark><ExtendedData><SchemaData schemaUrl="#t"><SimpleData name="标准地">0</SimpleData><SimpleData name="面积"></SimpleData></SchemaData></ExtendedData><Point><coordinates>113.5,37.8</coordinates></Point></Placemark></Document></kml>`;
    const back = await readDataset('g.kml', Buffer.from(kml));
    expect(back.features[0].properties).toEqual({ 标准地: '0', 面积: '' });
  });
});
