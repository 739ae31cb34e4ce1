/**
 * Tiles after an edit, and the size of the low-zoom tiles (issue 12). The embedded database remakes only the
 * tiles an edit touches: the others keep their ETag, so browsers keep their copies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Db } from '../../server/db/types.ts';
import { PARCELS_MIN_ZOOM } from '../../server/tiles.ts';
import { dbTargets } from '../helpers/databases.ts';
import { ringCentre, tileFor } from '../helpers/geo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

function features(bytes: ArrayBuffer) {
  const layer = new VectorTile(new PbfReader(new Uint8Array(bytes))).layers.parcels;
  return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : [];
}

const targets = dbTargets({ writable: true });

describe.each(targets)('tiles after an edit on $name', (target) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await target.open();
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('shows the edit in the tile over the parcel, with a new ETag, and leaves a tile elsewhere as it was', async () => {
    const [edited] = await db.query<{ id: number; version: number; land_use_code: string; g: any }>(
      "SELECT id, version, land_use_code, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'DTJK-0042'",
    );
    const [elsewhere] = await db.query<{ g: any }>("SELECT ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'YQGX-0100'");
    const newUse = edited.land_use_code === '100101' ? '100102' : '100101';
    const touched = tileFor(...ringCentre(edited.g.coordinates[0][0]), 14);
    const far = tileFor(...ringCentre(elsewhere.g.coordinates[0][0]), 14);
    const touchedPath = `/api/tiles/parcels/${touched.z}/${touched.x}/${touched.y}.pbf`;
    const farPath = `/api/tiles/parcels/${far.z}/${far.x}/${far.y}.pbf`;
    expect(farPath).not.toBe(touchedPath);

    const before = await server.get(touchedPath);
    const beforeFeature = features(await before.arrayBuffer()).find((f) => f.id === edited.id);
    expect(beforeFeature?.properties.land_use).toBe(edited.land_use_code);
    const farBefore = await server.get(farPath);
    expect(farBefore.status).toBe(200);
    expect(features(await farBefore.arrayBuffer()).length).toBeGreaterThan(0);

    const planner = await server.as('planner');
    const res = await planner.send('PATCH', `/api/parcels/${edited.id}`, { version: edited.version, changes: { land_use_code: newUse } });
    expect(res.status).toBe(200);

    // The touched tile: a new ETag, and the new land use in it.
    const after = await server.get(touchedPath, { headers: { 'If-None-Match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const afterFeature = features(await after.arrayBuffer()).find((f) => f.id === edited.id);
    expect(afterFeature?.properties).toMatchObject({ land_use: newUse, land_use_l1: newUse.slice(0, 2) });

    const farAfter = await server.get(farPath, { headers: { 'If-None-Match': farBefore.headers.get('etag')! } });
    if (target.name === 'embedded') {
      // The embedded database tracks what each write touched: the far tile keeps its ETag and the browser its copy.
      expect(farAfter.status).toBe(304);
      expect(farAfter.headers.get('etag')).toBe(farBefore.headers.get('etag'));
    } else {
      // A real PostgreSQL serves several processes, which share only the layer's version: every tile moves.
      expect(farAfter.status).toBe(200);
    }
  });

  it('sees a write made outside the routes (as the command-line import makes), a deleted parcel included', async () => {
    const [gone] = await db.query<{ id: number; g: any }>(
      `SELECT id, ST_AsGeoJSON(geom)::json AS g FROM parcels p WHERE code LIKE 'DTJK-%'
         AND NOT EXISTS (SELECT 1 FROM land_transfers t WHERE t.parcel_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM projects j WHERE j.parcel_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM factory_buildings f WHERE f.parcel_id = p.id)
       ORDER BY code LIMIT 1`,
    );
    const [elsewhere] = await db.query<{ g: any }>("SELECT ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'YQGX-0120'");
    const touched = tileFor(...ringCentre(gone.g.coordinates[0][0]), 14);
    const far = tileFor(...ringCentre(elsewhere.g.coordinates[0][0]), 14);
    const touchedPath = `/api/tiles/parcels/${touched.z}/${touched.x}/${touched.y}.pbf`;
    const farPath = `/api/tiles/parcels/${far.z}/${far.x}/${far.y}.pbf`;
    const before = await server.get(touchedPath);
    expect(features(await before.arrayBuffer()).map((f) => f.id)).toContain(gone.id);
    const farBefore = await server.get(farPath);
    expect(farBefore.status).toBe(200);

    await db.query('DELETE FROM parcels WHERE id = $1', [gone.id]);

    const after = await server.get(touchedPath, { headers: { 'If-None-Match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(features(await after.arrayBuffer()).map((f) => f.id)).not.toContain(gone.id);
    const farAfter = await server.get(farPath, { headers: { 'If-None-Match': farBefore.headers.get('etag')! } });
    expect(farAfter.status).toBe(target.name === 'embedded' ? 304 : 200);
  });
});

describe.each(dbTargets())('low-zoom parcels tiles on $name', (target) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await target.open();
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('keeps every parcels tile of the demo zones under 500 KB at zooms 9 to 11', async () => {
    const zones = await db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      'SELECT ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1 FROM zones',
    );
    expect(zones.length).toBe(25);
    for (const z of [PARCELS_MIN_ZOOM, 10, 11]) {
      const tiles = new Set<string>();
      for (const zn of zones) {
        const a = tileFor(zn.x0, zn.y1, z);
        const b = tileFor(zn.x1, zn.y0, z);
        for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.add(`${z}/${x}/${y}`);
      }
      let largest = { bytes: 0, features: 0 };
      for (const t of tiles) {
        const res = await server.get(`/api/tiles/parcels/${t}.pbf`);
        const bytes = await res.arrayBuffer();
        if (bytes.byteLength > largest.bytes) largest = { bytes: bytes.byteLength, features: features(bytes).length };
      }
      expect(largest.bytes, `largest z${z} tile`).toBeLessThan(500 * 1024);
      // The largest tile holds a city's parcels, not a handful.
      expect(largest.features, `features in the largest z${z} tile`).toBeGreaterThan(300);
    }
  });

  it('leaves small parcels and the text properties out up to zoom 10, and draws them from zoom 11', async () => {
    const [small] = await db.query<{ id: number; code: string; area_m2: number; g: any }>(
      'SELECT id, code, area_m2, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE area_m2 < 12000 ORDER BY area_m2 LIMIT 1',
    );
    const [large] = await db.query<{ id: number; land_use_code: string; status: string; g: any }>(
      'SELECT id, land_use_code, status, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE area_m2 > 40000 ORDER BY id LIMIT 1',
    );
    expect(small).toBeDefined();
    expect(large).toBeDefined();
    const at = (p: { g: any }, z: number) => {
      const t = tileFor(...ringCentre(p.g.coordinates[0][0]), z);
      return server
        .get(`/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`)
        .then((r) => r.arrayBuffer())
        .then(features);
    };
    expect((await at(small, 10)).some((f) => f.id === small.id)).toBe(false);
    expect((await at(small, 11)).find((f) => f.id === small.id)?.properties.code).toBe(small.code);
    // A large parcel at zoom 10: what the map colours it by (land use, status, and the id for feature-state).
    const big = (await at(large, 10)).find((f) => f.id === large.id);
    expect(big?.properties).toEqual({ id: large.id, land_use_l1: large.land_use_code.slice(0, 2), status: large.status });
  });
});
