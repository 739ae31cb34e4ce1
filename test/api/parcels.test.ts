import { describe, expect, it } from 'vitest';
import { area as turfArea } from '@turf/turf';
import { geodesicAreaSquareMetres } from '../../domain/geodesicArea.ts';
import { areaMuFromSquareMetres } from '../../domain/units.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets())('parcels on $name', (target) => {
  const ctx = useApiServer(target);

  async function zoneBbox(code: string): Promise<number[]> {
    const [row] = await ctx.db.query<{ b: number[] }>(
      'SELECT json_build_array(ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS b FROM zones WHERE code = $1',
      [code],
    );
    return row.b;
  }

  it('returns the parcels in a bbox, and only those', async () => {
    const [w, s, e, n] = await zoneBbox('SX-JZKF');
    const mid = (w + e) / 2;
    const bbox = [w, s, mid, n];
    const { status, body } = await ctx.server.json(`/api/parcels?bbox=${bbox.join(',')}&limit=5000`);
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    expect(body.truncated).toBe(false);
    const [{ n: expected }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM parcels WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', bbox);
    expect(body.features.length).toBe(expected);
    expect(expected).toBeGreaterThan(10);
    for (const f of body.features) {
      const xs = f.geometry.coordinates[0][0].map((p: number[]) => p[0]);
      expect(Math.min(...xs)).toBeLessThanOrEqual(mid);
    }
  });

  it('filters by status, land use (a code matches the codes below it) and zone', async () => {
    const bbox = (await zoneBbox('SX-ZGQ')).join(',');
    const byStatus = await ctx.server.json(`/api/parcels?bbox=${bbox}&status=supplied,started`);
    expect(byStatus.body.features.length).toBeGreaterThan(0);
    expect(new Set(byStatus.body.features.map((f: any) => f.properties.status))).toEqual(new Set(['supplied', 'started']));

    const industrial = await ctx.server.json(`/api/parcels?bbox=${bbox}&landUse=10`);
    expect(industrial.body.features.length).toBeGreaterThan(0);
    for (const f of industrial.body.features) expect(f.properties.land_use).toMatch(/^10/);

    // The zone filter over a box that holds two zones (晋中经开区 and 晋中农高区 are 25 km apart): only the
    // chosen zone's parcels come back, all of them; without the filter the other zone's parcels are there too.
    const [zone] = await ctx.db.query<{ id: number; n: number }>(
      "SELECT z.id, (SELECT count(*)::int FROM parcels p WHERE p.zone_id = z.id) AS n FROM zones z WHERE z.code = 'SX-JZNG'",
    );
    const both = [...(await zoneBbox('SX-JZKF')), ...(await zoneBbox('SX-JZNG'))];
    const twoZones = [Math.min(both[0], both[4]), Math.min(both[1], both[5]), Math.max(both[2], both[6]), Math.max(both[3], both[7])].join(',');
    const unfiltered = await ctx.server.json(`/api/parcels?bbox=${twoZones}&limit=5000`);
    expect(new Set(unfiltered.body.features.map((f: any) => f.properties.zone_id)).size).toBeGreaterThanOrEqual(2);
    const byZone = await ctx.server.json(`/api/parcels?bbox=${twoZones}&zone=${zone.id}&limit=5000`);
    expect(zone.n).toBeGreaterThan(0);
    expect(byZone.body.features).toHaveLength(zone.n);
    expect(new Set(byZone.body.features.map((f: any) => f.properties.zone_id))).toEqual(new Set([zone.id]));
  });

  it('bounds the response and says when it is truncated', async () => {
    const bbox = (await zoneBbox('SX-ZGQ')).join(',');
    const { body } = await ctx.server.json(`/api/parcels?bbox=${bbox}&limit=7`);
    expect(body.features).toHaveLength(7);
    expect(body.truncated).toBe(true);
    expect(body.limit).toBe(7);
  });

  it.each([
    ['no bbox', '/api/parcels', /bbox is required/],
    ['three numbers', '/api/parcels?bbox=112,37,113', /four numbers/],
    ['text', '/api/parcels?bbox=a,b,c,d', /four numbers/],
    ['lat/lon swapped out of range', '/api/parcels?bbox=37,112,38,113', /outside the world/],
    ['min above max', '/api/parcels?bbox=113,38,112,37', /smaller than/],
    ['too large', '/api/parcels?bbox=100,30,120,40', /spans more than/],
    ['unknown status', '/api/parcels?bbox=112,37,113,38&status=idle', /Unknown status "idle"/],
    ['unknown land use', '/api/parcels?bbox=112,37,113,38&landUse=99', /Unknown land-use code/],
    ['unknown zone', '/api/parcels?bbox=112,37,113,38&zone=4242', /Unknown zone 4242/],
    ['limit too high', '/api/parcels?bbox=112,37,113,38&limit=999999', /limit: must be between 1 and 5000/],
    ['unknown parameter', '/api/parcels?bbox=112,37,113,38&colour=red', /unknown parameter "colour"; allowed: bbox, zone, status, landUse, limit/],
    ['repeated parameter', '/api/parcels?bbox=112,37,113,38&bbox=1,2,3,4', /given once/],
  ])('refuses %s with a 400 a person can read', async (_name, path, message) => {
    const res = await ctx.server.get(path);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('gives a parcel record with the ellipsoidal area in m² the client computes too, enterprises and dates', async () => {
    const [row] = await ctx.db.query<{ id: number }>(
      "SELECT p.id FROM parcels p JOIN parcel_uses u ON u.parcel_id = p.id WHERE p.status = 'producing' AND p.is_standard_land ORDER BY p.id LIMIT 1",
    );
    const { status, body } = await ctx.server.json(`/api/parcels/${row.id}`);
    expect(status).toBe(200);
    expect(body.code).toMatch(/^[A-Z]+-\d{4}$/);
    expect(body.zone_name).toBeTruthy();
    expect(Math.abs(body.area_m2 - geodesicAreaSquareMetres(body.geometry))).toBeLessThan(0.01);
    expect(areaMuFromSquareMetres(body.area_m2)).toBeGreaterThanOrEqual(5);
    expect(areaMuFromSquareMetres(body.area_m2)).toBeLessThanOrEqual(300);
    expect(body.enterprises.length).toBeGreaterThan(0);
    expect(body.enterprises[0].role).toBe('owner');
    expect(body.producing_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.supplied_date < body.started_date).toBe(true);
    expect(body.min_investment_intensity_wan_per_mu).toBeGreaterThan(0);
    expect(Object.keys(body.infrastructure)).toContain('road');
  });

  it('sends internal notes and prices to signed-in users only', async () => {
    const [internal] = await ctx.db.query<{ id: number; land_price_wan: number; internal_note: string }>(
      'SELECT id, land_price_wan, internal_note FROM parcels WHERE land_price_internal AND land_price_wan IS NOT NULL AND internal_note IS NOT NULL LIMIT 1',
    );
    const signedIn = await ctx.server.json(`/api/parcels/${internal.id}`);
    expect(signedIn.body.land_price_wan).toBe(internal.land_price_wan);
    expect(signedIn.body.internal_note).toBe(internal.internal_note);
    const anonymous = await ctx.server.anonymous.json(`/api/parcels/${internal.id}`);
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toContain(internal.internal_note);
  });

  it('computes every parcel area as PostGIS does, to a millionth', async () => {
    // The client uses the same ellipsoidal computation (GeographicLib) as ST_Area(geography).
    const rows = await ctx.db.query<{ area_m2: number; g: any }>('SELECT area_m2, ST_AsGeoJSON(geom)::json AS g FROM parcels');
    let worst = 0;
    for (const r of rows) worst = Math.max(worst, Math.abs(geodesicAreaSquareMetres(r.g) - r.area_m2) / r.area_m2);
    expect(rows.length).toBeGreaterThan(3000);
    expect(worst).toBeLessThan(1e-6);
  });

  it("shows Turf's spherical area drifting with latitude, the reason it is not the figure of record", async () => {
    const rows = await ctx.db.query<{ area_m2: number; lat: number; g: any }>(
      "SELECT area_m2, ST_Y(ST_Centroid(geom)) AS lat, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code IN ('YCJK-0001', 'XRKF-0001')",
    );
    const drift = rows.map((r) => ({ lat: r.lat, rel: (turfArea(r.g) - r.area_m2) / r.area_m2 })).sort((a, b) => a.lat - b.lat);
    // About +0.006 % at 35°N (运城) and about −0.11 % at 40°N (新荣).
    expect(Math.abs(drift[0].rel)).toBeLessThan(0.0002);
    expect(drift[1].rel).toBeLessThan(-0.0009);
  });

  it('answers an unknown parcel with 404', async () => {
    const res = await ctx.server.json('/api/parcels/999999');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Parcel 999999 does not exist.');
  });
});
