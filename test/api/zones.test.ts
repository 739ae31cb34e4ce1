import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { ZONE_SEEDS } from '../../data/zoneCatalogue.ts';

describe.each(dbTargets())('zones on $name', (target) => {
  const ctx = useApiServer(target);

  it('reports health with the database kind and PostGIS version', async () => {
    const { status, body } = await ctx.server.json('/api/health');
    expect(status).toBe(200);
    expect(body.database).toBe(target.name);
    expect(body.postgis_version).toMatch(/^3\./);
    expect(body.zones).toBe(ZONE_SEEDS.length);
  });

  it('lists every zone as a GeoJSON feature with a label point inside its boundary', async () => {
    const { status, body, headers } = await ctx.server.json('/api/zones');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/json/);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(ZONE_SEEDS.length);
    const names = body.features.map((f: any) => f.properties.name);
    expect(names).toContain('大同经济技术开发区');
    expect(names).toContain('阳泉高新技术产业开发区');
    for (const f of body.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      expect(booleanPointInPolygon(f.properties.label_point.coordinates, f.geometry)).toBe(true);
      // The level each zone was seeded with (a list of every possible value would accept any mix-up).
      expect(f.properties.level, f.properties.code).toBe(ZONE_SEEDS.find((z) => z.code === f.properties.code)!.level);
      expect(f.properties.parcel_count).toBeGreaterThan(0);
    }
    // Counts agree with the tables.
    const [{ n }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM parcels');
    expect(body.features.reduce((s: number, f: any) => s + f.properties.parcel_count, 0)).toBe(n);
  });

  it('places the zones in Shanxi, near their towns', async () => {
    const { body } = await ctx.server.json('/api/zones');
    for (const f of body.features) {
      const seed = ZONE_SEEDS.find((z) => z.code === f.properties.code)!;
      const [lon, lat] = f.properties.label_point.coordinates;
      expect(lon).toBeGreaterThan(110.2);
      expect(lon).toBeLessThan(114.6);
      expect(lat).toBeGreaterThan(34.5);
      expect(lat).toBeLessThan(40.8);
      // Within ~25 km of the town the zone is named after.
      expect(Math.hypot((lon - seed.lon) * 88, (lat - seed.lat) * 111)).toBeLessThan(25);
    }
  });

  it('gives one zone with its land-use and status breakdowns adding up', async () => {
    const { body: fc } = await ctx.server.json('/api/zones');
    const id = fc.features.find((f: any) => f.properties.code === 'SX-DTJK').properties.id;
    const { status, body } = await ctx.server.json(`/api/zones/${id}`);
    expect(status).toBe(200);
    expect(body.name).toBe('大同经济技术开发区');
    expect(body.level).toBe('national');
    const luSum = body.land_use.reduce((s: number, r: any) => s + r.area_m2, 0);
    const stSum = body.parcel_status.reduce((s: number, r: any) => s + r.area_m2, 0);
    expect(luSum).toBeCloseTo(body.parcel_area_m2, 3);
    expect(stSum).toBeCloseTo(body.parcel_area_m2, 3);
    expect(body.parcel_status.reduce((s: number, r: any) => s + r.parcel_count, 0)).toBe(body.parcel_count);
    // Parcels lie inside the zone, so their area cannot exceed it.
    expect(body.parcel_area_m2).toBeLessThan(body.area_m2);
  });

  it('answers an unknown zone with 404 and a malformed id with 400, as JSON', async () => {
    const missing = await ctx.server.json('/api/zones/99999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('99999');
    for (const bad of ['abc', '0', '-1', '1.5', "1'%20OR%20'1'='1"]) {
      const res = await ctx.server.json(`/api/zones/${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
  });
});
