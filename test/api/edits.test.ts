import { describe, expect, it } from 'vitest';
import { geodesicAreaSquareMetres } from '../../domain/geodesicArea.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { ringCentre } from '../helpers/geo.ts';

describe.each(dbTargets({ writable: true }))('editing on $name', (target) => {
  const ctx = useApiServer(target);

  async function parcelWhere(where: string, params: unknown[] = []) {
    const [p] = await ctx.db.query<{ id: number; version: number; code: string; zone_id: number; area_m2: number; g: any }>(
      `SELECT id, version, code, zone_id, area_m2, ST_AsGeoJSON(geom, 9)::json AS g FROM parcels WHERE ${where} ORDER BY id LIMIT 1`,
      params,
    );
    return p;
  }
  const count = async (sql: string, params: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, params))[0].n;

  it('saves a field, bumps the version, and refuses a stale save showing what the other person changed', async () => {
    const planner = await ctx.server.as('planner');
    const land = await ctx.server.as('landbureau');
    const p = await parcelWhere("status = 'available' AND code LIKE 'JZKF-%'");
    const first = await land.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_price_wan: 888.5 } });
    expect(first.status).toBe(200);
    expect(first.body.parcel.version).toBe(p.version + 1);
    // The planner still has the old version open.
    const stale = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_price_wan: 1.0, land_use_code: '100103' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.message).toMatch(/changed by landbureau/);
    expect(stale.body.error.message).toMatch(/land_price_wan/);
    expect(stale.body.error.details.theirChanges[0].changes).toEqual([expect.objectContaining({ field: 'land_price_wan', after: 888.5 })]);
    expect(stale.body.error.details.current.version).toBe(p.version + 1);
    const [now] = await ctx.db.query<{ land_price_wan: number; land_use_code: string }>('SELECT land_price_wan, land_use_code FROM parcels WHERE id = $1', [
      p.id,
    ]);
    expect(now.land_price_wan).toBe(888.5);
  });

  it('lets one of two simultaneous saves win, the other get the conflict, and logs exactly one change', async () => {
    const a = await ctx.server.as('planner');
    const b = await ctx.server.as('admin');
    const p = await parcelWhere("status = 'reserve' AND code LIKE 'YQGX-%'");
    const before = await count("SELECT count(*) AS n FROM audit_log WHERE entity = 'parcel' AND entity_id = $1", [p.id]);
    const results = await Promise.all([
      a.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { environment_standard: 'A 的修改' } }),
      b.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { environment_standard: 'B 的修改' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await count("SELECT count(*) AS n FROM audit_log WHERE entity = 'parcel' AND entity_id = $1", [p.id]);
    expect(after - before).toBe(1);
    const winner = results.find((r) => r.status === 200)!.body.parcel.environment_standard;
    const [{ environment_standard }] = await ctx.db.query<{ environment_standard: string }>('SELECT environment_standard FROM parcels WHERE id = $1', [p.id]);
    expect(environment_standard).toBe(winner);
  });

  it.each([
    ['an unknown land use', { land_use_code: '9999' }, /Unknown land-use code/],
    ['an unknown field', { owner_name: 'x' }, /changes: unknown field "owner_name"/],
    ['a negative number', { land_price_wan: -5 }, /between 0/],
    ['a bad date', { agreed_start_date: '2024-02-30' }, /YYYY-MM-DD/],
    ['SQL in the code', { code: "X'; DROP TABLE parcels; --" }, /parcel code is 1–40/],
    ['SQL in a number', { land_price_wan: '1; DELETE FROM parcels' }, /Must be a number/],
    ['a status without its date', { status: 'supplied' }, /supplied_date: The date it became supplied is needed/],
    ['dates out of order', { status: 'supplied', available_date: '2024-05-01', supplied_date: '2024-01-01' }, /before available_date/],
    ['a reversed floor-area ratio', { min_floor_area_ratio: 3, max_floor_area_ratio: 1 }, /below the minimum/],
  ])('refuses %s with a clear 400 and changes nothing', async (_name, changes, message) => {
    const planner = await ctx.server.as('planner');
    const p = await parcelWhere("status = 'reserve' AND code LIKE 'SYJK-%'");
    const parcelsBefore = await count('SELECT count(*) AS n FROM parcels');
    const res = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await count('SELECT count(*) AS n FROM parcels')).toBe(parcelsBefore);
    const [{ version }] = await ctx.db.query<{ version: number }>('SELECT version FROM parcels WHERE id = $1', [p.id]);
    expect(version).toBe(p.version);
  });

  it('reshapes a parcel inside its zone and gives the new ellipsoidal area', async () => {
    const planner = await ctx.server.as('planner');
    const p = await parcelWhere("code LIKE 'QXJK-%' AND status = 'reserve'");
    const ring: number[][] = p.g.coordinates[0][0];
    const [cx, cy] = ringCentre(ring);
    // Pull every vertex 10 % towards the centre: a smaller parcel, still inside, overlapping nothing.
    const smaller = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [cx + (x - cx) * 0.9, cy + (y - cy) * 0.9])] };
    const res = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: smaller });
    expect(res.status).toBe(200);
    const [row] = await ctx.db.query<{ area_m2: number }>('SELECT area_m2 FROM parcels WHERE id = $1', [p.id]);
    expect(row.area_m2).toBeCloseTo(geodesicAreaSquareMetres(smaller as any), 1);
    expect(row.area_m2 / p.area_m2).toBeCloseTo(0.81, 2);
  });

  it('refuses a self-intersecting shape but offers the repair, which the user can then accept', async () => {
    const planner = await ctx.server.as('planner');
    const p = await parcelWhere("code LIKE 'SZJK-%' AND status = 'reserve'");
    const [a, b, c, d] = p.g.coordinates[0][0];
    const bowtie = { type: 'Polygon', coordinates: [[a, c, b, d, a]] };
    const refused = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: bowtie });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_geometry');
    expect(refused.body.error.message).toMatch(/Self-intersection/i);
    const repaired = refused.body.error.details.repaired;
    expect(repaired.type).toBe('MultiPolygon');
    const accepted = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: repaired, geometryNote: '自相交，已按用户确认修复' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.parcel.geometry_note).toBe('自相交，已按用户确认修复');
    const [{ valid }] = await ctx.db.query<{ valid: boolean }>('SELECT ST_IsValid(geom) AS valid FROM parcels WHERE id = $1', [p.id]);
    expect(valid).toBe(true);
  });

  it('refuses a shape that leaves the zone, and flags overlaps unless they are accepted', async () => {
    const planner = await ctx.server.as('planner');
    // A parcel well inside its zone (100 m to spare all round) that touches a neighbour: grown by 20 % it stays
    // in the zone and overlaps the neighbour, so both refusals are reached.
    const p = await parcelWhere(`code LIKE 'HRJK-%' AND status = 'reserve'
      AND ST_Within(ST_Buffer(geography(geom), 100)::geometry, (SELECT z.geom FROM zones z WHERE z.id = parcels.zone_id))
      AND EXISTS (SELECT 1 FROM parcels n WHERE n.zone_id = parcels.zone_id AND n.id <> parcels.id AND ST_Touches(n.geom, parcels.geom))`);
    expect(p).toBeDefined();
    const ring: number[][] = p.g.coordinates[0][0];
    const far = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x + 0.2, y])] };
    const outside = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: far });
    expect(outside.status).toBe(422);
    expect(outside.body.error.code).toBe('outside_zone');

    // Grow the parcel by 20 %: it now overlaps its neighbours.
    const [cx, cy] = ringCentre(ring);
    const bigger = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [cx + (x - cx) * 1.2, cy + (y - cy) * 1.2])] };
    const check = await planner.send('POST', '/api/parcels/check-geometry', { zone_id: p.zone_id, geometry: bigger, parcel_id: p.id });
    expect(check.status).toBe(200);
    const flagged = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: bigger });
    expect(check.body.outside_zone_m2).toBeLessThan(1);
    expect(check.body.overlaps.length).toBeGreaterThan(0);
    expect(flagged.status).toBe(422);
    expect(flagged.body.error.code).toBe('overlaps');
    expect(flagged.body.error.message).toContain(check.body.overlaps[0].code);
    const accepted = await planner.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, geometry: bigger, acceptOverlaps: true });
    expect(accepted.status).toBe(200);
  });

  it('splits a parcel along a line: the pieces add up, the new one gets the next code, history says so', async () => {
    const planner = await ctx.server.as('planner');
    const p = await parcelWhere("code LIKE 'PDJK-%' AND status = 'producing'");
    const ring: number[][] = p.g.coordinates[0][0];
    // A line through the middle of two opposite edges, a little beyond them.
    const mid = (u: number[], v: number[]) => [(u[0] + v[0]) / 2, (u[1] + v[1]) / 2];
    const m1 = mid(ring[0], ring[1]);
    const m2 = mid(ring[2], ring[3]);
    const ext = (from: number[], to: number[]) => [to[0] + (to[0] - from[0]) * 0.2, to[1] + (to[1] - from[1]) * 0.2];
    const line = { type: 'LineString', coordinates: [ext(m2, m1), ext(m1, m2)] };
    const res = await planner.send('POST', `/api/parcels/${p.id}/split`, { version: p.version, line });
    expect(res.status).toBe(200);
    expect(res.body.parcels).toHaveLength(2);
    expect(res.body.parcels[0].code).toBe(p.code);
    expect(res.body.parcels[1].code).toBe(`${p.code}-2`);
    expect(res.body.parcels[1].status).toBe('producing');
    const total = res.body.parcels.reduce((s: number, x: any) => s + x.area_m2, 0);
    expect(Math.abs(total - p.area_m2)).toBeLessThan(0.01);
    const history = await planner.json(`/api/history/parcel/${p.id}`);
    expect(history.body.entries[0]).toMatchObject({ action: 'split', note: `split into ${p.code}, ${p.code}-2` });

    const miss = await planner.send('POST', `/api/parcels/${p.id}/split`, {
      version: p.version + 1,
      line: {
        type: 'LineString',
        coordinates: [
          [ring[0][0] + 1, ring[0][1]],
          [ring[0][0] + 1.01, ring[0][1]],
        ],
      },
    });
    expect(miss.status).toBe(422);
    expect(miss.body.error.message).toMatch(/does not cut the parcel/);
  });

  it('merges adjacent parcels, moving their enterprises, and refuses parcels that do not touch', async () => {
    const planner = await ctx.server.as('planner');
    const [pair] = await ctx.db.query<{ a: number; av: number; b: number; bv: number; area: number }>(
      `SELECT a.id AS a, a.version AS av, b.id AS b, b.version AS bv, a.area_m2 + b.area_m2 AS area
       FROM parcels a JOIN parcels b ON a.zone_id = b.zone_id AND a.id < b.id AND ST_Touches(a.geom, b.geom)
         AND ST_Length(geography(ST_Intersection(a.geom, b.geom))) > 20
       WHERE a.code LIKE 'LFJK-%' AND EXISTS (SELECT 1 FROM parcel_uses u WHERE u.parcel_id = b.id)
       ORDER BY a.id LIMIT 1`,
    );
    const users = await count('SELECT count(*) AS n FROM parcel_uses WHERE parcel_id IN ($1, $2)', [pair.a, pair.b]);
    const res = await planner.send('POST', '/api/parcels/merge', {
      parcels: [
        { id: pair.a, version: pair.av },
        { id: pair.b, version: pair.bv },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.removed).toEqual([pair.b]);
    expect(res.body.parcel.area_m2).toBeCloseTo(pair.area, 1);
    expect((await planner.get(`/api/parcels/${pair.b}`)).status).toBe(404);
    expect(await count('SELECT count(*) AS n FROM parcel_uses WHERE parcel_id = $1', [pair.a])).toBeGreaterThanOrEqual(Math.min(users, 1));

    const [far] = await ctx.db.query<{ a: number; av: number; b: number; bv: number }>(
      `SELECT a.id AS a, a.version AS av, b.id AS b, b.version AS bv FROM parcels a JOIN parcels b ON a.zone_id = b.zone_id AND a.id < b.id
       WHERE a.code LIKE 'LFJK-%' AND NOT ST_Intersects(a.geom, b.geom) LIMIT 1`,
    );
    const refused = await planner.send('POST', '/api/parcels/merge', {
      parcels: [
        { id: far.a, version: far.av },
        { id: far.b, version: far.bv },
      ],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('not_adjacent');
  });

  it('draws a new parcel on free land in the zone', async () => {
    const planner = await ctx.server.as('planner');
    const [free] = await ctx.db.query<{ zone_id: number; g: any }>(
      `WITH z AS (SELECT id, geom FROM zones WHERE code = 'SX-YSJK'),
            free AS (SELECT ST_Difference(z.geom, (SELECT ST_Union(geom) FROM parcels WHERE zone_id = z.id)) AS geom FROM z),
            pt AS (SELECT ST_PointOnSurface(geom) AS p, geom FROM free)
       SELECT (SELECT id FROM z) AS zone_id,
         ST_AsGeoJSON((SELECT d.geom FROM ST_Dump(ST_Intersection(ST_Expand(pt.p, 0.0001), pt.geom)) d ORDER BY ST_Area(d.geom) DESC LIMIT 1), 9)::json AS g
       FROM pt`,
    );
    const res = await planner.send('POST', '/api/parcels', { zone_id: free.zone_id, code: 'YSJK-NEW1', land_use_code: '100101', geometry: free.g });
    expect(res.status).toBe(201);
    expect(res.body.parcel).toMatchObject({ code: 'YSJK-NEW1', status: 'reserve', land_use_code: '100101' });
    const dup = await planner.send('POST', '/api/parcels', {
      zone_id: free.zone_id,
      code: 'YSJK-NEW1',
      land_use_code: '100101',
      geometry: free.g,
      acceptOverlaps: true,
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already exists/);
  });

  it('moves a project through its stages in order, and refuses dates out of order', async () => {
    const promoter = await ctx.server.as('promoter');
    const [pr] = await ctx.db.query<{ id: number; version: number; started_date: string }>(
      "SELECT id, version, started_date FROM projects WHERE stage = 'started' ORDER BY id LIMIT 1",
    );
    const bad = await promoter.send('PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { stage: 'producing', producing_date: '2000-01-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/producing_date: This date is before started_date/);
    const skipped = await promoter.send('PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { stage: 'producing' } });
    expect(skipped.body.error.message).toMatch(/date of the current stage/);
    const ok = await promoter.send('PATCH', `/api/projects/${pr.id}`, {
      version: pr.version,
      changes: { stage: 'producing', producing_date: '2026-11-01', name: '<script>alert("x")</script>项目' },
    });
    expect(ok.status).toBe(200);
    const { body } = await promoter.json(`/api/projects/${pr.id}`);
    expect(body.stage).toBe('producing');
    // Stored as typed; the pages show it as text.
    expect(body.name).toBe('<script>alert("x")</script>项目');
  });

  it('refuses hostile edit bodies (prototype keys, NUL bytes, 1e308) with a 400 naming the field, and writes nothing', async () => {
    const planner = await ctx.server.as('planner');
    const promoter = await ctx.server.as('promoter');
    const p = await parcelWhere("status = 'reserve'");
    const [pr] = await ctx.db.query<{ id: number; version: number }>('SELECT id, version FROM projects ORDER BY id LIMIT 1');
    const audits = await count('SELECT count(*) AS n FROM audit_log');
    const parcels = await count('SELECT count(*) AS n FROM parcels');
    const line = { type: 'LineString', coordinates: p.g.coordinates[0][0].slice(0, 2) };
    // JSON.parse makes "__proto__" an own key, as a hostile client's body arrives.
    const raw = (json: string) => JSON.parse(json);
    const cases: [string, string, unknown, string][] = [
      ['PATCH', `/api/projects/${pr.id}`, raw(`{"version":${pr.version},"changes":{"__proto__":{"stage":"producing"}}}`), 'changes'],
      ['PATCH', `/api/projects/${pr.id}`, raw(`{"version":${pr.version},"constructor":{"name":"x"}}`), 'body'],
      ['PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { description: 'a\u0000b' } }, 'changes.description'],
      ['PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { total_investment_wan: 1e308 } }, 'changes.total_investment_wan'],
      ['PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { extra_stage_dates: { valueOf: '2026-01-01' } } }, 'changes.extra_stage_dates'],
      ['PATCH', `/api/projects/${pr.id}`, { version: 1e308, changes: { description: 'x' } }, 'version'],
      ['PATCH', `/api/parcels/${p.id}`, raw(`{"version":${p.version},"changes":{"valueOf":"x"}}`), 'changes'],
      ['PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_price_wan: 1e308 } }, 'changes.land_price_wan'],
      ['POST', `/api/parcels/${p.id}/split`, { version: 1e308, line }, 'version'],
      [
        'POST',
        `/api/parcels/${p.id}/split`,
        {
          version: p.version,
          line: {
            type: 'LineString',
            coordinates: [
              [1e308, 37],
              [112, 37],
            ],
          },
        },
        'line.coordinates.0.0',
      ],
      ['POST', `/api/parcels/${p.id}/split`, raw(`{"version":${p.version},"line":${JSON.stringify(line)},"__proto__":{"x":1}}`), 'body'],
      [
        'POST',
        '/api/parcels/merge',
        {
          parcels: [
            { id: 1e308, version: 1 },
            { id: p.id, version: p.version },
          ],
        },
        'parcels.0.id',
      ],
      ['POST', '/api/parcels/merge', raw(`{"parcels":[{"id":${p.id},"version":${p.version},"constructor":1},{"id":${p.id + 1},"version":1}]}`), 'parcels.0'],
      ['POST', '/api/parcels/check-geometry', { zone_id: 1e308, geometry: p.g }, 'zone_id'],
      ['POST', '/api/parcels/check-geometry', { zone_id: p.zone_id, geometry: p.g, parcel_id: 1e308 }, 'parcel_id'],
      ['POST', '/api/parcels/check-geometry', raw(`{"zone_id":${p.zone_id},"geometry":${JSON.stringify(p.g)},"__proto__":{"x":1}}`), 'body'],
      ['POST', '/api/parcels', { zone_id: p.zone_id, code: 'X\u0000', land_use_code: '100101', geometry: p.g }, 'code'],
    ];
    for (const [method, path, body, field] of cases) {
      const client = path.startsWith('/api/projects') ? promoter : planner;
      const res = await client.send(method, path, body);
      const label = `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`;
      expect(res.status, label).toBe(400);
      expect(res.body.error.code, label).toBe('bad_request');
      expect(
        res.body.error.details.fields.map((f: { field: string }) => f.field),
        label,
      ).toContain(field);
      expect(res.body.error.details.message_zh, label).toMatch(/\S/);
    }
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(audits);
    expect(await count('SELECT count(*) AS n FROM parcels')).toBe(parcels);
    const [{ version }] = await ctx.db.query<{ version: number }>('SELECT version FROM projects WHERE id = $1', [pr.id]);
    expect(version).toBe(pr.version);
    expect((await parcelWhere('id = $1', [p.id])).version).toBe(p.version);
  });

  it('keeps parcels inside when a zone boundary changes', async () => {
    const planner = await ctx.server.as('planner');
    const [z] = await ctx.db.query<{ id: number; version: number; g: any }>(
      "SELECT id, version, ST_AsGeoJSON(geom, 9)::json AS g FROM zones WHERE code = 'SX-ZQST'",
    );
    const part = z.g.coordinates[0][0] as number[][];
    const [cx, cy] = ringCentre(part);
    const shrunk = { type: 'Polygon', coordinates: [part.map(([x, y]) => [cx + (x - cx) * 0.5, cy + (y - cy) * 0.5])] };
    const res = await planner.send('PATCH', `/api/zones/${z.id}`, { version: z.version, geometry: shrunk });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('parcels_outside');
    const renamed = await planner.send('PATCH', `/api/zones/${z.id}`, { version: z.version, changes: { leading_industry: '文旅康养' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.zone.leading_industry).toBe('文旅康养');
  });
});
