/** The counting behind the upload limits: scans of text and bytes that never build geometry nor recurse. */
import wkx from 'wkx';
import { describe, expect, it } from 'vitest';
import { geometryStats, kmlVertexCounts, scanJson, shpVertexCounts, wkbStats, wktDepth, xmlDepth } from '../../server/import/limits.ts';
import { polygonShpShx } from '../../server/import/export.ts';
import { batches } from '../../server/import/pace.ts';

describe('scanJson', () => {
  it('counts nesting and positions, not brackets inside strings or escaped quotes', () => {
    const text = '{"type":"Polygon","name":"a [1,2] \\" [3,4] {","coordinates":[[[1,2],[ 3,4],[-5, 6],[1,2]]]}';
    expect(scanJson(text)).toEqual({ depth: 4, positions: 4, biggestFeature: null });
  });
  it('finds the FeatureCollection feature with the most positions, whatever the order of the keys', () => {
    const f = (n: number) => ({
      type: 'Feature',
      properties: { note: '[1,2] "type"' },
      geometry: { type: 'LineString', coordinates: Array.from({ length: n }, () => [1, 2]) },
    });
    const text = JSON.stringify({
      name: 'type',
      crs: { type: 'name', properties: { name: 'EPSG:4326' } },
      features: [f(2), f(7), f(3)],
      type: 'FeatureCollection',
    });
    expect(scanJson(text)).toEqual({ depth: 6, positions: 12, biggestFeature: { n: 2, positions: 7 } });
    expect(scanJson(JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } })).biggestFeature).toBeNull();
  });
  it('measures 100,000 nested arrays in one loop', () => {
    expect(scanJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual({ depth: 100_000, positions: 0, biggestFeature: null });
  });
});

describe('xmlDepth and wktDepth', () => {
  it('counts opened elements, not comments, CDATA, declarations or self-closing tags', () => {
    expect(
      xmlDepth('<?xml version="1.0"?><!-- <a><b><c> --><kml><Document><![CDATA[<x><y>]]><Style/><Placemark><name>n</name></Placemark></Document></kml>'),
    ).toBe(4);
    expect(xmlDepth(`<kml>${'<Folder>'.repeat(1000)}${'</Folder>'.repeat(1000)}</kml>`)).toBe(1001);
  });
  it('counts WKT parentheses', () => {
    expect(wktDepth('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))')).toBe(3);
    expect(wktDepth(`${'GEOMETRYCOLLECTION('.repeat(500)}POINT(1 2)${')'.repeat(500)}`)).toBe(501);
  });
});

describe('geometryStats', () => {
  it('counts the positions of a polygon with a hole and of a collection', () => {
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 0],
        ],
        [
          [1, 1],
          [2, 1],
          [1, 2],
          [1, 1],
        ],
      ],
    };
    expect(geometryStats(polygon, 64)).toEqual({ vertices: 8, depth: 4 });
    expect(geometryStats({ type: 'GeometryCollection', geometries: [polygon, { type: 'Point', coordinates: [1, 2] }] }, 64)).toEqual({ vertices: 9, depth: 5 });
  });
  it('stops at the limit on 100,000 nested arrays instead of overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(geometryStats({ type: 'Polygon', coordinates: deep }, 64).depth).toBe(65);
  });
});

describe('shpVertexCounts', () => {
  it('reads each record’s point count from its header', async () => {
    const square = (x: number) => [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
      [x, 1],
      [x, 0],
    ];
    const { shp } = await polygonShpShx([
      { type: 'MultiPolygon', coordinates: [[square(0)]] },
      { type: 'MultiPolygon', coordinates: [[square(5)], [square(10)]] },
    ]);
    expect(shpVertexCounts(shp)).toEqual([5, 10]);
    expect(shpVertexCounts(shp.subarray(0, 50))).toBeNull();
  });
});

describe('wkbStats', () => {
  it('counts vertices and nesting from the WKB counts', () => {
    const wkb = (geojson: unknown) => (wkx.Geometry.parseGeoJSON(geojson as object) as wkx.Geometry).toWkb();
    const multi = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
        [
          [
            [2, 2],
            [3, 2],
            [3, 3],
            [2, 3],
            [2, 2],
          ],
        ],
      ],
    };
    expect(wkbStats(wkb(multi), 64)).toEqual({ vertices: 9, depth: 2 });
    const collection = {
      type: 'GeometryCollection',
      geometries: [multi, { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] }],
    };
    expect(wkbStats(wkb(collection), 64)).toEqual({ vertices: 10, depth: 3 });
    expect(wkbStats(wkb(collection), 2)?.depth).toBe(3);
  });
  it('gives null for counts the bytes cannot hold, instead of looping over them', () => {
    const lying = Buffer.alloc(9);
    lying.writeUInt8(1, 0);
    lying.writeUInt32LE(6, 1); // MultiPolygon
    lying.writeUInt32LE(0xffffffff, 5);
    expect(wkbStats(lying, 64)).toBeNull();
  });
});

describe('kmlVertexCounts', () => {
  it('counts the coordinate tuples of each Placemark', () => {
    const kml =
      '<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>1,2 3,4\n5,6 1,2</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark><Placemark><Point><coordinates> 7,8,0 </coordinates></Point></Placemark></kml>';
    expect(kmlVertexCounts(kml)).toEqual([4, 1]);
  });
});

describe('batches', () => {
  it('cuts by item count and by vertices, a large item alone', () => {
    expect(batches([1, 2, 3, 4, 5], () => 1, 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([10, 90, 5, 200, 1], (v) => v, 50, 100)).toEqual([[10, 90], [5], [200], [1]]);
  });
});
