import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Db } from '../../server/db/types.ts';
import { PARCELS_MIN_ZOOM } from '../../server/tiles.ts';
import { dbTargets } from '../helpers/databases.ts';
import { ringCentre, tileFor } from '../helpers/geo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

function decode(bytes: ArrayBuffer) {
  return new VectorTile(new PbfReader(new Uint8Array(bytes)));
}

const targets = dbTargets();

describe.each(targets)('vector tiles on $name', (target) => {
  let db: Db;
  let server: TestServer;
  let parcel: { id: number; code: string; status: string; land_use_code: string; g: any };
  beforeAll(async () => {
    db = await target.open();
    server = await startTestServer(db);
    [parcel] = await db.query("SELECT id, code, status, land_use_code, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'DTJK-0042'");
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('serves a parcel in the tile that covers it, with its id and properties', async () => {
    const [lon, lat] = ringCentre(parcel.g.coordinates[0][0]);
    const { z, x, y } = tileFor(lon, lat, 14);
    const res = await server.get(`/api/tiles/parcels/${z}/${x}/${y}.pbf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const tile = decode(await res.arrayBuffer());
    const layer = tile.layers.parcels;
    expect(layer).toBeDefined();
    const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
    const f = features.find((f) => f.id === parcel.id);
    expect(f).toBeDefined();
    expect(f!.properties).toMatchObject({
      code: parcel.code,
      status: parcel.status,
      land_use: parcel.land_use_code,
      land_use_l1: parcel.land_use_code.slice(0, 2),
    });
    expect(f!.type).toBe(3); // polygon
  });

  // The client reads a tile feature's record id from the property "id" (clicks, outline filters, and feature-state
  // through promoteId); ST_AsMVT once put it only in the MVT feature id, and clicks on a real PostGIS asked for parcel "NaN".
  it('carries every parcel’s and zone’s id both as the MVT feature id and as the property the client reads', async () => {
    const [lon, lat] = ringCentre(parcel.g.coordinates[0][0]);
    const { z, x, y } = tileFor(lon, lat, 15);
    const parcels = decode(await (await server.get(`/api/tiles/parcels/${z}/${x}/${y}.pbf`)).arrayBuffer()).layers.parcels;
    const parcelFeatures = Array.from({ length: parcels.length }, (_, i) => parcels.feature(i));
    expect(parcelFeatures.length).toBeGreaterThan(1);
    const mine = parcelFeatures.find((f) => f.properties.code === 'DTJK-0042')!;
    expect(mine.properties.id).toBe(parcel.id);
    expect(mine.id).toBe(parcel.id);
    for (const f of parcelFeatures) expect([f.properties.code, f.properties.id]).toEqual([f.properties.code, f.id]);

    const [zone] = await db.query<{ id: number }>("SELECT id FROM zones WHERE name = '大同经济技术开发区'");
    const tile = tileFor(113.36, 40.04, 7);
    const zones = decode(await (await server.get(`/api/tiles/zones/${tile.z}/${tile.x}/${tile.y}.pbf`)).arrayBuffer()).layers.zones;
    const zoneFeatures = Array.from({ length: zones.length }, (_, i) => zones.feature(i));
    const datong = zoneFeatures.find((f) => f.properties.name === '大同经济技术开发区')!;
    expect(datong.properties.id).toBe(zone.id);
    expect(datong.id).toBe(zone.id);
    expect(zoneFeatures.length).toBeGreaterThan(1);
    for (const f of zoneFeatures) expect([f.properties.name, f.properties.id]).toEqual([f.properties.name, f.id]);
  });

  it('answers a repeated request with 304 when the ETag matches', async () => {
    const [lon, lat] = ringCentre(parcel.g.coordinates[0][0]);
    const { z, x, y } = tileFor(lon, lat, 13);
    const first = await server.get(`/api/tiles/parcels/${z}/${x}/${y}.pbf`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const second = await server.get(`/api/tiles/parcels/${z}/${x}/${y}.pbf`, { headers: { 'If-None-Match': etag! } });
    expect(second.status).toBe(304);
  });

  it('serves zones at province scale, and no parcels below their minimum zoom', async () => {
    const { z, x, y } = tileFor(113.36, 40.04, 7);
    const zones = decode(await (await server.get(`/api/tiles/zones/${z}/${x}/${y}.pbf`)).arrayBuffer());
    const names = Array.from({ length: zones.layers.zones.length }, (_, i) => zones.layers.zones.feature(i).properties.name);
    expect(names).toContain('大同经济技术开发区');
    const low = tileFor(113.36, 40.04, PARCELS_MIN_ZOOM - 1);
    const res = await server.get(`/api/tiles/parcels/${low.z}/${low.x}/${low.y}.pbf`);
    expect(res.status).toBe(204);
  });

  it.each([
    ['/api/tiles/roads/10/1/1.pbf', 404, /Unknown tile layer/],
    ['/api/tiles/parcels/10/5000/1.pbf', 400, /between 0 and 1023/],
    ['/api/tiles/parcels/99/1/1.pbf', 400, /Zoom must be/],
    ['/api/tiles/parcels/a/1/1.pbf', 400, /^The path is not valid: z: must be a whole number\.$/],
    ['/api/tiles/parcels/10/1/1.png', 400, /^The path is not valid: y: must be a whole number followed by \.pbf\.$/],
    ['/api/tiles/parcels/10/1/1.pbf?x=1', 400, /unknown parameter "x"; allowed: v/],
  ])('refuses %s', async (path, status, message) => {
    const res = await server.get(path);
    expect(res.status).toBe(status);
    expect((await res.json()).error.message).toMatch(message);
  });
});

// ST_AsMVT on the real PostGIS and the embedded encoder (server/tiles.ts) must cut the same features into a tile.
describe.runIf(targets.length === 2)('tiles agree between the embedded and the real PostGIS', () => {
  it('has the same parcel ids in the same tiles', async () => {
    const dbs = await Promise.all(targets.map((t) => t.open()));
    const servers = await Promise.all(dbs.map((d) => startTestServer(d)));
    try {
      const [row] = await dbs[0].query<{ g: any }>("SELECT ST_AsGeoJSON(ST_Centroid(geom))::json AS g FROM parcels WHERE code = 'YQGX-0100'");
      const [lon, lat] = row.g.coordinates;
      for (const z of [10, 12, 14]) {
        const { x, y } = tileFor(lon, lat, z);
        const ids = await Promise.all(
          servers.map(async (s) => {
            const res = await s.get(`/api/tiles/parcels/${z}/${x}/${y}.pbf`);
            if (res.status === 204) return [];
            const layer = decode(await res.arrayBuffer()).layers.parcels;
            // The two clip the 64-unit buffer round the tile differently at its very edge: compare the
            // features that reach into the tile itself.
            const inside = (f: ReturnType<typeof layer.feature>) =>
              f.loadGeometry().some((ring) => ring.some((p) => p.x > 0 && p.x < layer.extent && p.y > 0 && p.y < layer.extent));
            return Array.from({ length: layer.length }, (_, i) => layer.feature(i))
              .filter(inside)
              .map((f) => Number(f.id))
              .sort((a, b) => a - b);
          }),
        );
        expect(ids[0].length).toBeGreaterThan(0);
        expect(ids[0]).toEqual(ids[1]);
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all(dbs.map((d) => d.close()));
    }
  });
});
