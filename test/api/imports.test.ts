import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { crsByEpsg, fromLonLat, toLonLat } from '../../server/import/crs.ts';
import { readDataset } from '../../server/import/readers.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dataChecksum, freeSpot, shapefileZip, square, upload } from '../helpers/importFiles.ts';

const FIELDS = [
  { name: '地块编号', type: 'text' as const },
  { name: '用地性质', type: 'text' as const },
  { name: '面积(亩)', type: 'number' as const },
  { name: '出让时间', type: 'text' as const },
  { name: '状态', type: 'text' as const },
];

describe.each(dbTargets({ writable: true }))('importing on $name', (target) => {
  const ctx = useApiServer(target);

  async function spot() {
    const s = await freeSpot(ctx.db, 'SX-YQGX');
    // Three 8 m squares side by side, inside the free circle (the demo's roads are about 40 m wide).
    expect(s.radiusM).toBeGreaterThan(16);
    const dLon = 11 / (111_320 * Math.cos((s.centre[1] * Math.PI) / 180));
    const centres: [number, number][] = [-1, 0, 1].map((k) => [s.centre[0] + k * dLon, s.centre[1]]);
    return { ...s, centres, squares: centres.map((c) => square(c, 8)) };
  }

  it('points projected by proj4 agree with PostGIS ST_Transform to within 1 m, both ways', async () => {
    const pts: [number, number][] = [
      [113.58, 37.87],
      [112.55, 37.87],
      [111.0, 35.03],
      [113.3, 40.1],
      [110.9, 36.2],
    ];
    for (const epsg of [4525, 4526, 4546, 4547, 4498, 4509]) {
      const cm = crsByEpsg(epsg)!.centralMeridian!;
      for (const [lon, lat] of pts.filter(([lon]) => Math.abs(lon - cm) < 3.5)) {
        const [row] = await ctx.db.query<{ x: number; y: number }>(
          'SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4490), $3::int) AS g) s',
          [lon, lat, epsg],
        );
        const [x, y] = fromLonLat(epsg)([lon, lat]);
        expect(Math.hypot(x - row.x, y - row.y)).toBeLessThan(1);
        const [lon2, lat2] = toLonLat(epsg)([row.x, row.y]);
        expect(Math.abs(lon2 - lon) * 111_320 * Math.cos((lat * Math.PI) / 180)).toBeLessThan(1);
        expect(Math.abs(lat2 - lat) * 110_574).toBeLessThan(1);
      }
    }
  });

  it('imports a GBK Gauss–Krüger shapefile without .prj or .cpg: guessed CRS, proposed mapping, preview in place, commit, re-import updates, undo', async () => {
    const planner = await ctx.server.as('planner');
    const s = await spot();
    const records = [
      { 地块编号: 'IMP-001', 用地性质: 'M2', '面积(亩)': 0.15, 出让时间: '2023/5/1', 状态: '已供应' },
      { 地块编号: 'IMP-002', 用地性质: '0601', '面积(亩)': 0.15, 出让时间: '2024年3月9日', 状态: '已供应' },
      { 地块编号: 'IMP-003', 用地性质: '100101', '面积(亩)': 0.15, 出让时间: '', 状态: '储备' },
    ];
    const file = await shapefileZip({ epsg: 4547, fields: FIELDS, records, geometries: s.squares, encoding: 'gbk', prj: null, cpg: null });
    const before = await dataChecksum(ctx.db);
    const staged = await upload(ctx.server.url, planner, '阳泉地块.zip', file);
    expect(staged.status).toBe(201);
    expect(staged.body.crs).toMatchObject({ epsg: 4547, swapped: false, confidence: 'likely' });
    expect(staged.body.encoding).toBe('gbk');
    expect(staged.body.columns).toEqual(['地块编号', '用地性质', '面积(亩)', '出让时间', '状态']);
    expect(staged.body.mapping.fields).toMatchObject({
      code: '地块编号',
      land_use_code: '用地性质',
      registered_area: '面积(亩)',
      supplied_date: '出让时间',
      status: '状态',
    });
    expect(staged.body.mapping.areaUnit).toBe('mu');
    // Staging writes nothing to parcels or the audit log.
    expect(await dataChecksum(ctx.db)).toBe(before);

    const check = await planner.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.status).toBe(200);
    expect(check.body.errors).toBe(0);
    expect(check.body.toCreate).toBe(3);
    // The preview lands where the squares were drawn: every corner within 1 m (the shapefile runs each ring
    // clockwise, the reverse of the squares' GeoJSON order).
    check.body.preview.features.forEach((f: any, i: number) => {
      f.geometry.coordinates[0][0].slice(0, 4).forEach((p: number[], k: number) => {
        const q = [...s.squares[i].coordinates[0][0]].reverse()[k];
        expect(Math.hypot((p[0] - q[0]) * 111_320 * Math.cos((q[1] * Math.PI) / 180), (p[1] - q[1]) * 110_574)).toBeLessThan(1);
      });
    });
    // M2 (GB 50137-2011) is mapped, with a warning; 0601 is a 2023 code (农村道路) in a column that holds
    // 100101, so it is read as 2023 and never as GB/T 21010-2017's 工业用地.
    expect(check.body.issues.filter((i: any) => i.kind.startsWith('land_use')).map((i: any) => [i.severity, i.message.en])).toEqual([
      ['warning', 'Land use mapped: GB 50137-2011 M2 二类工业用地 → 2023 100102 二类工业用地.'],
    ]);

    const commit = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ created: 3, updated: 0 });
    const rows = await ctx.db.query<{
      code: string;
      land_use_code: string;
      supplied_date: string | null;
      status: string;
      registered_area_m2: number;
      zone_code: string;
      dist: number;
    }>(
      `SELECT p.code, p.land_use_code, p.supplied_date, p.status, p.registered_area_m2, z.code AS zone_code,
         ST_HausdorffDistance(ST_Transform(p.geom, 4547), ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 4547)) AS dist
       FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.code = 'IMP-001'`,
      [JSON.stringify(s.squares[0])],
    );
    expect(rows[0]).toMatchObject({ land_use_code: '100102', supplied_date: '2023-05-01', status: 'supplied', zone_code: 'SX-YQGX' });
    expect(rows[0].registered_area_m2).toBeCloseTo((0.15 * 10000) / 15, 6);
    expect(rows[0].dist).toBeLessThan(0.01);
    const audit = await ctx.db.query<{ action: string; note: string }>(`SELECT action, note FROM audit_log WHERE entity = 'import' AND entity_id = $1`, [
      staged.body.id,
    ]);
    expect(audit).toEqual([{ action: 'import', note: expect.stringContaining('阳泉地块.zip: 3 created, 0 updated') }]);

    // The same file again: the saved mapping is proposed, and the parcels are updated, not duplicated.
    const again = await upload(ctx.server.url, planner, '阳泉地块.zip', file);
    expect(again.body.mapping.fields.registered_area).toBe('面积(亩)');
    const count = async () => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE code LIKE 'IMP-%'`))[0].n;
    const second = await planner.send('POST', `/api/imports/${again.body.id}/commit`, {});
    expect(second.body).toMatchObject({ created: 0, updated: 3 });
    expect(await count()).toBe(3);

    const history = await planner.json('/api/imports');
    expect(history.body.imports.slice(0, 2).map((i: any) => [i.id, i.status, i.counts.created, i.counts.updated])).toEqual([
      [again.body.id, 'committed', 0, 3],
      [staged.body.id, 'committed', 3, 0],
    ]);
    // Undo: newest first restores, then the first removes the parcels; the first cannot be undone twice.
    expect((await planner.send('POST', `/api/imports/${again.body.id}/undo`, {})).body).toEqual({ removed: 0, restored: 3 });
    const undoFirst = await planner.send('POST', `/api/imports/${staged.body.id}/undo`, {});
    expect(undoFirst.body, JSON.stringify(undoFirst.body)).toEqual({ removed: 3, restored: 0 });
    expect(await count()).toBe(0);
    const twice = await planner.send('POST', `/api/imports/${staged.body.id}/undo`, {});
    expect(twice.status).toBe(409);
  });

  it('reports every kind of problem per feature before writing, and commits nothing while errors remain', async () => {
    const planner = await ctx.server.as('planner');
    const s = await spot();
    const [existing] = await ctx.db.query<{ code: string; g: any }>(
      `SELECT p.code, ST_AsGeoJSON(p.geom)::json AS g FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-YQGX' ORDER BY p.id LIMIT 1`,
    );
    const [c0, c1] = s.centres;
    const bowtie = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [c1[0] - 0.00004, c1[1] - 0.00004],
            [c1[0] + 0.00004, c1[1] + 0.00004],
            [c1[0] + 0.00004, c1[1] - 0.00004],
            [c1[0] - 0.00004, c1[1] + 0.00004],
            [c1[0] - 0.00004, c1[1] - 0.00004],
          ],
        ],
      ],
    };
    const overlapping = { type: 'MultiPolygon' as const, coordinates: existing.g.type === 'MultiPolygon' ? existing.g.coordinates : [existing.g.coordinates] };
    const farAway = square([113.0, 36.0], 30);
    const records = [
      { 地块编号: 'BAD-1', 用地性质: '100102', '面积(亩)': 5, 出让时间: '2023-13-40', 状态: '已供应' },
      { 地块编号: 'BAD-2', 用地性质: 'X9', '面积(亩)': 0.15, 出让时间: '', 状态: '储备' },
      { 地块编号: 'BAD-1', 用地性质: '100102', '面积(亩)': 0.15, 出让时间: '', 状态: '储备' },
      { 地块编号: 'BAD-4', 用地性质: '100102', '面积(亩)': null, 出让时间: '', 状态: '储备' },
      { 地块编号: 'BAD-5', 用地性质: '100102', '面积(亩)': null, 出让时间: '', 状态: '储备' },
    ];
    const file = await shapefileZip({
      epsg: 4526,
      fields: FIELDS,
      records,
      geometries: [square(c0, 8), bowtie, square(c0, 8), overlapping, farAway],
      encoding: 'gbk',
    });
    const staged = await upload(ctx.server.url, planner, 'problems.zip', file);
    expect(staged.status).toBe(201);
    expect(staged.body.crs).toMatchObject({ epsg: 4526, confidence: 'prj' });
    const before = await dataChecksum(ctx.db);
    const check = await planner.send('POST', `/api/imports/${staged.body.id}/check`, { zoneId: s.zoneId });
    const kinds = check.body.issues.filter((i: any) => i.severity !== 'info').map((i: any) => `${i.n}:${i.kind}:${i.severity}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        '1:bad_date:error',
        '1:area_mismatch:warning',
        '2:unknown_land_use:error',
        '2:invalid_geometry:error',
        '3:duplicate_code:error',
        '3:overlap_in_file:error',
        '4:overlap:error',
        '5:outside_zone:error',
      ]),
    );
    const overlap = check.body.issues.find((i: any) => i.kind === 'overlap');
    expect(overlap.message.en).toContain(existing.code);
    expect(overlap.overlap_m2).toBeGreaterThan(100);
    const commit = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, { zoneId: s.zoneId, repair: true, acceptOverlaps: true });
    expect(commit.status).toBe(422);
    expect(commit.body.error.message).toMatch(/^problems\.zip: \d+ problems must be fixed before importing; nothing was written\. feature 1 \(BAD-1\)/);
    expect(commit.body.error.details.message_zh).toContain('第 1 个要素');
    expect(await dataChecksum(ctx.db)).toBe(before);
    expect((await planner.send('POST', `/api/imports/${staged.body.id}/cancel`, {})).status).toBe(200);
    expect((await planner.send('POST', `/api/imports/${staged.body.id}/commit`, {})).status).toBe(409);
  });

  it('limits importing to roles that may and to the user’s zones', async () => {
    const s = await spot();
    const file = await shapefileZip({
      epsg: 4547,
      fields: FIELDS,
      records: [{ 地块编号: 'Z-1', 用地性质: '100102', '面积(亩)': 0.15, 出让时间: '', 状态: '储备' }],
      geometries: [s.squares[0]],
    });
    const viewer = await ctx.server.as('viewer');
    expect((await upload(ctx.server.url, viewer, 'a.zip', file)).status).toBe(403);
    const land = await ctx.server.as('landbureau');
    expect((await upload(ctx.server.url, land, 'a.zip', file)).status).toBe(403);
    const datong = await ctx.server.as('datong');
    const staged = await upload(ctx.server.url, datong, 'a.zip', file);
    const check = await datong.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.body.issues.map((i: any) => i.kind)).toContain('zone_not_allowed');
    expect((await datong.send('POST', `/api/imports/${staged.body.id}/commit`, {})).status).toBe(422);
    // Another user cannot touch someone's staged import.
    const planner = await ctx.server.as('planner');
    expect((await planner.send('POST', `/api/imports/${staged.body.id}/check`, {})).status).toBe(403);
  });

  it('refuses a 200 MB upload from its Content-Length, and a chunked one past the limit, naming the limit', async () => {
    const planner = await ctx.server.as('planner');
    const before = await dataChecksum(ctx.db);
    const url = new URL(`${ctx.server.url}/api/imports`);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            Cookie: planner.cookie!,
            'X-CSRF-Token': planner.csrfToken!,
            'Content-Type': 'application/octet-stream',
            'X-File-Name': 'huge.zip',
            'Content-Length': String(200 * 1024 * 1024),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode!, body });
          });
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024));
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe('huge.zip: The file is 200 MB; the limit is 100 MB. Split it, or import a zipped shapefile.');

    process.env.IMPORT_MAX_MB = '1';
    try {
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024));
          controller.close();
        },
      });
      const res = await fetch(url, {
        method: 'POST',
        headers: { Cookie: planner.cookie!, 'X-CSRF-Token': planner.csrfToken!, 'Content-Type': 'application/octet-stream', 'X-File-Name': 'stream.zip' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(/^stream\.zip: The file is over 1 MB; the limit is 1 MB/);
    } finally {
      delete process.env.IMPORT_MAX_MB;
    }
    expect(await dataChecksum(ctx.db)).toBe(before);
  });

  it('exports need sign-in, and every format re-imports unchanged (Gauss–Krüger and WGS84)', async () => {
    expect((await ctx.server.anonymous.get('/api/export/parcels?format=geojson')).status).toBe(401);
    const admin = await ctx.server.as('admin');
    const [zone] = await ctx.db.query<{ id: number }>(`SELECT id FROM zones WHERE code = 'SX-YQGX'`);
    const snapshot = async () =>
      ctx.db.query<Record<string, unknown>>(
        `SELECT to_jsonb(p) - 'geom' - 'version' - 'updated_at' - 'area_m2' AS rec, ST_AsGeoJSON(p.geom, 9) AS g FROM parcels p WHERE zone_id = $1 AND status = 'producing' AND land_use_code LIKE '1001%' ORDER BY id`,
        [zone.id],
      );
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(3);
    for (const [format, crs, name] of [
      ['shp', 4526, 'x.zip'],
      ['geojson', 4326, 'x.geojson'],
      ['csv', 4547, 'x.csv'],
      ['xlsx', 4547, 'x.xlsx'],
      ['kml', 4326, 'x.kml'],
    ] as const) {
      const res = await admin.get(`/api/export/parcels?format=${format}&crs=${crs}&zone=${zone.id}&status=producing&landUse=1001`);
      expect(res.status, format).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const staged = await upload(ctx.server.url, admin, name, bytes);
      expect(staged.status, `${format}: ${JSON.stringify(staged.body)}`).toBe(201);
      const body = format === 'csv' || format === 'xlsx' ? { epsg: crs } : {};
      const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, body);
      expect(commit.status, `${format}: ${JSON.stringify(commit.body).slice(0, 800)}`).toBe(200);
      expect(commit.body).toMatchObject({ created: 0, updated: before.length });
      const after = await snapshot();
      expect(
        after.map((r) => r.rec),
        format,
      ).toEqual(before.map((r) => r.rec));
      const [{ worst }] = await ctx.db.query<{ worst: number }>(
        `SELECT max(ST_HausdorffDistance(ST_Transform(a.g, 4547), ST_Transform(b.g, 4547))) AS worst
         FROM (SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM json_to_recordset($1::json) AS x(n int, g text)) a
         JOIN (SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM json_to_recordset($2::json) AS x(n int, g text)) b USING (n)`,
        [JSON.stringify(before.map((r, n) => ({ n, g: r.g }))), JSON.stringify(after.map((r, n) => ({ n, g: r.g })))],
      );
      expect(worst, format).toBeLessThan(0.01);
    }
  }, 240_000);

  it('exports zone boundaries as a Gauss–Krüger shapefile with .prj and .cpg that reads back in place', async () => {
    const res = await ctx.server.get('/api/export/zones?format=shp&crs=4547');
    expect(res.status).toBe(200);
    const data = await readDataset('zones.zip', Buffer.from(await res.arrayBuffer()));
    expect(data).toMatchObject({ declaredEpsg: 4547, encoding: 'utf-8', columns: ['YQDM', 'YQMC', 'JB', 'SZS', 'SZX', 'ZDCY', 'PZMJ', 'TXMJ'] });
    const zones = await ctx.db.query<{ code: string; name: string; x: number; y: number }>(
      `SELECT code, name, ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS x, ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS y FROM zones ORDER BY code`,
    );
    expect(data.features.map((f) => [f.properties.YQDM, f.properties.YQMC])).toEqual(zones.map((z) => [z.code, z.name]));
    // Every vertex of the first zone's outline, back in lon/lat, is a vertex of the stored outline to within 1 m.
    const g = data.features[0].geometry as any;
    const ring = (g.type === 'MultiPolygon' ? g.coordinates.flat(2) : g.coordinates.flat(1)) as [number, number][];
    expect(ring.length).toBeGreaterThan(3);
    const back = ring.map((p) => toLonLat(4547)(p));
    const nearest = Math.min(...back.map(([lon, lat]) => Math.hypot((lon - zones[0].x) * 88_000, (lat - zones[0].y) * 111_000)));
    expect(nearest).toBeLessThan(1);
    expect((await ctx.server.get('/api/export/zones?format=kml&crs=4547')).status).toBe(400);
    expect((await ctx.server.anonymous.get('/api/export/zones')).status).toBe(401);
  });
});
