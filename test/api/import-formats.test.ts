/**
 * GeoPackage and the ministry's coordinate TXT through the API: exports that GDAL reads and that import back
 * unchanged, GeoPackages written by GDAL, hand-written coordinate files landing where their numbers say.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { fromLonLat } from '../../server/import/crs.ts';
import { readDataset } from '../../server/import/readers.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dataChecksum, freeSpot, upload } from '../helpers/importFiles.ts';

const work = mkdtempSync(join(tmpdir(), 'park-atlas-formats-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const gdal = (tool: 'ogrinfo' | 'ogr2ogr', ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', timeout: 120_000 });

describe('GeoPackages written by GDAL', () => {
  it('takes the polygon layer of several (naming the others), its EPSG code, DATE as the day and DATETIME in Beijing time', async () => {
    const polygons = join(work, 'polygons.geojson');
    const points = join(work, 'points.geojson');
    writeFileSync(
      points,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { 名称: '门卫' }, geometry: { type: 'Point', coordinates: [113.58, 37.87] } }],
      }),
    );
    writeFileSync(
      polygons,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            // Midnight of 1 May in Beijing is 16:00 UTC on 30 April.
            properties: { 地块编号: 'G-1', 出让时间: '2023-04-30T16:00:00Z', 约定开工时间: '2024-01-02', 标准地: true, 登记面积: 1234.5 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [113.58, 37.87],
                  [113.581, 37.87],
                  [113.581, 37.871],
                  [113.58, 37.87],
                ],
              ],
            },
          },
        ],
      }),
    );
    const file = join(work, 'two-layers.gpkg');
    gdal('ogr2ogr', '-f', 'GPKG', file, points, '-nln', 'poi');
    gdal('ogr2ogr', '-update', '-t_srs', 'EPSG:4547', file, polygons, '-nln', '地块');
    const d = await readDataset('two-layers.gpkg', readFileSync(file));
    expect(d).toMatchObject({ format: 'geopackage', declaredEpsg: 4547, columns: ['地块编号', '出让时间', '约定开工时间', '标准地', '登记面积'] });
    expect(d.notes[0].en).toBe('The GeoPackage has 2 feature layers: "地块" (POLYGON) was read; not read: poi（POINT）. Import one layer per file.');
    expect(d.features[0].properties).toEqual({ 地块编号: 'G-1', 出让时间: '2023-05-01 00:00:00', 约定开工时间: '2024-01-02', 标准地: true, 登记面积: 1234.5 });
    // 113.58°E in the zone of central meridian 114°E: about 37 km west of the 500 000 m false easting.
    const [e, n] = (d.features[0].geometry as GeoJSON.Polygon).coordinates[0][0];
    expect(e).toBeGreaterThan(462_000);
    expect(e).toBeLessThan(464_000);
    expect(n).toBeGreaterThan(4_190_000);
    expect(n).toBeLessThan(4_196_000);
  });
});

describe.each(dbTargets({ writable: true }))('GeoPackage and the ministry coordinate TXT on $name', (target) => {
  const ctx = useApiServer(target);

  const snapshot = async (zoneId: number) =>
    ctx.db.query<{ rec: Record<string, unknown>; g: string }>(
      `SELECT to_jsonb(p) - 'geom' - 'version' - 'updated_at' - 'area_m2' AS rec, ST_AsGeoJSON(p.geom, 9) AS g FROM parcels p WHERE zone_id = $1 AND status = 'producing' AND land_use_code LIKE '1001%' ORDER BY id`,
      [zoneId],
    );
  const worstShift = async (before: { g: string }[], after: { g: string }[]) => {
    const [{ worst }] = await ctx.db.query<{ worst: number }>(
      `SELECT max(ST_HausdorffDistance(ST_Transform(a.g, 4547), ST_Transform(b.g, 4547))) AS worst
       FROM (SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM json_to_recordset($1::json) AS x(n int, g text)) a
       JOIN (SELECT n, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM json_to_recordset($2::json) AS x(n int, g text)) b USING (n)`,
      [JSON.stringify(before.map((r, n) => ({ n, g: r.g }))), JSON.stringify(after.map((r, n) => ({ n, g: r.g })))],
    );
    return worst;
  };
  const zoneId = async () => (await ctx.db.query<{ id: number }>(`SELECT id FROM zones WHERE code = 'SX-YQGX'`))[0].id;

  it('exports parcels as a GeoPackage GDAL reads (CRS, count, Chinese field names and types) that imports back unchanged', async () => {
    const admin = await ctx.server.as('admin');
    const zone = await zoneId();
    const before = await snapshot(zone);
    expect(before.length).toBeGreaterThan(3);
    expect((await ctx.server.anonymous.get(`/api/export/parcels?format=gpkg`)).status).toBe(401);
    for (const crs of [4547, 4526, 4326]) {
      const res = await admin.get(`/api/export/parcels?format=gpkg&crs=${crs}&zone=${zone}&status=producing&landUse=1001`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="parcels-${crs}.gpkg"`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const file = join(work, `parcels-${crs}.gpkg`);
      writeFileSync(file, bytes);
      const info = gdal('ogrinfo', '-so', '-al', file);
      expect(info).toContain('Layer name: parcels');
      expect(info).toContain(`Feature Count: ${before.length}`);
      expect(info).toMatch(new RegExp(`ID\\["EPSG",${crs}\\]\\]\\s*Data axis`));
      for (const field of ['地块编号: String', '用地性质: String', '登记面积（m²）: Real', '出让时间: Date', '标准地: Integer(Boolean)'])
        expect(info).toContain(field);

      const staged = await upload(ctx.server.url, admin, `parcels-${crs}.gpkg`, bytes);
      expect(staged.status, JSON.stringify(staged.body)).toBe(201);
      expect(staged.body).toMatchObject({ format: 'geopackage', crs: { epsg: crs, confidence: 'prj' } });
      const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
      expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
      expect(commit.body).toMatchObject({ created: 0, updated: before.length });
      const after = await snapshot(zone);
      expect(
        after.map((r) => r.rec),
        String(crs),
      ).toEqual(before.map((r) => r.rec));
      expect(await worstShift(before, after)).toBeLessThan(0.01);
    }
  }, 300_000);

  it('imports a GeoPackage that ogr2ogr made from our GeoJSON export (reprojected to a Gauss–Krüger zone) back unchanged', async () => {
    const admin = await ctx.server.as('admin');
    const zone = await zoneId();
    const before = await snapshot(zone);
    const res = await admin.get(`/api/export/parcels?format=geojson&crs=4326&zone=${zone}&status=producing&landUse=1001`);
    const geojson = join(work, 'export.geojson');
    writeFileSync(geojson, Buffer.from(await res.arrayBuffer()));
    const gpkg = join(work, 'by-gdal.gpkg');
    gdal('ogr2ogr', '-f', 'GPKG', '-t_srs', 'EPSG:4547', '-nln', '地块', gpkg, geojson);
    expect(gdal('ogrinfo', '-so', '-al', gpkg)).toContain('出让时间: Date');
    const staged = await upload(ctx.server.url, admin, 'by-gdal.gpkg', readFileSync(gpkg));
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body.crs).toMatchObject({ epsg: 4547, confidence: 'prj' });
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
    expect(commit.body).toMatchObject({ created: 0, updated: before.length });
    const after = await snapshot(zone);
    expect(after.map((r) => r.rec)).toEqual(before.map((r) => r.rec));
    expect(await worstShift(before, after)).toBeLessThan(0.01);
  }, 240_000);

  it('exports zones and projects as GeoPackage with their CRS and types; projects import back unchanged', async () => {
    const admin = await ctx.server.as('admin');
    const zones = await ctx.db.query<{ code: string }>('SELECT code FROM zones ORDER BY code');
    const zonesFile = join(work, 'zones.gpkg');
    writeFileSync(zonesFile, Buffer.from(await (await admin.get('/api/export/zones?format=gpkg&crs=4526')).arrayBuffer()));
    const zoneInfo = gdal('ogrinfo', '-so', '-al', zonesFile);
    expect(zoneInfo).toContain(`Feature Count: ${zones.length}`);
    expect(zoneInfo).toContain('Geometry: Multi Polygon');
    expect(zoneInfo).toMatch(/ID\["EPSG",4526\]\]\s*Data axis/);
    expect(zoneInfo).toContain('园区代码: String');
    const zoneData = await readDataset('zones.gpkg', readFileSync(zonesFile));
    expect(zoneData.features.map((f) => f.properties['园区代码'])).toEqual(zones.map((z) => z.code));

    const zone = await zoneId();
    const snap = () =>
      ctx.db.query(
        `SELECT id, name, stage, parcel_id, enterprise_id, is_industrial, total_investment_wan, signed_date, started_date, version, ST_AsText(geom) AS point FROM projects WHERE zone_id = $1 ORDER BY id`,
        [zone],
      );
    const before = await snap();
    expect(before.length).toBeGreaterThan(3);
    const res = await admin.get(`/api/export/projects?zone=${zone}&format=gpkg&crs=4547`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const file = join(work, 'projects.gpkg');
    writeFileSync(file, bytes);
    const info = gdal('ogrinfo', '-so', '-al', file);
    expect(info).toContain('Geometry: Point');
    expect(info).toContain(`Feature Count: ${before.length}`);
    expect(info).toContain('工业项目: Integer(Boolean)');
    expect(info).toContain('签约时间: Date');
    const staged = await upload(ctx.server.url, admin, 'projects.gpkg', bytes);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body.mapping.kind).toBe('projects');
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
    const after = await snap();
    const moved = await ctx.db.query<{ d: number }>(
      `SELECT max(ST_Distance(geography(ST_GeomFromText(a.p, 4326)), geography(ST_GeomFromText(b.p, 4326)))) AS d
       FROM json_to_recordset($1::json) AS a(id int, p text) JOIN json_to_recordset($2::json) AS b(id int, p text) USING (id)`,
      [JSON.stringify(before.map((r: any) => ({ id: r.id, p: r.point }))), JSON.stringify(after.map((r: any) => ({ id: r.id, p: r.point })))],
    );
    expect(moved[0].d).toBeLessThan(0.001);
    // Updated rows get a new version; everything else is as before.
    expect(after.map((r: any) => ({ ...r, point: null, version: null }))).toEqual(before.map((r: any) => ({ ...r, point: null, version: null })));
  }, 240_000);

  /** A coordinate file written by the rules: header, then per parcel "界址点数,面积(公顷),编号,名称,面,图幅号,用途,地类编码,@" and "点号,圈号,X(北),Y(东)". */
  async function handWrittenTxt(landUseOfB = '1101', prefix = 'TXT') {
    const spot = await freeSpot(ctx.db, 'SX-YQGX');
    expect(spot.radiusM).toBeGreaterThan(16);
    const [e0, n0] = fromLonLat(4526)(spot.centre).map((v) => Math.round(v * 1000) / 1000);
    const f = (v: number) => v.toFixed(3);
    // Parcel A: 8 × 8 m with a 2 × 2 m hole (60 m² = 0.006 ha); parcel B: 6 × 6 m, 10 m east (36 m² = 0.0036 ha).
    const text = [
      '[属性描述]',
      '格式版本号=1.01',
      '数据产生单位=测绘院',
      '数据产生日期=2024-05-20',
      '坐标系=2000国家大地坐标系',
      '几度分带=3',
      '投影类型=高斯克吕格',
      '计量单位=米',
      '带号=38',
      '精度=0.01',
      '转换参数=,,,,,,',
      '[地块坐标]',
      `10,0.006,${prefix}-A,甲地块,面,,工业用地,100101,@`,
      `J1,1,${f(n0 + 4)},${f(e0 - 4)}`,
      `J2,1,${f(n0 + 4)},${f(e0 + 4)}`,
      `J3,1,${f(n0 - 4)},${f(e0 + 4)}`,
      `J4,1,${f(n0 - 4)},${f(e0 - 4)}`,
      `J1,1,${f(n0 + 4)},${f(e0 - 4)}`,
      `J5,2,${f(n0 + 1)},${f(e0 - 1)}`,
      `J6,2,${f(n0 - 1)},${f(e0 - 1)}`,
      `J7,2,${f(n0 - 1)},${f(e0 + 1)}`,
      `J8,2,${f(n0 + 1)},${f(e0 + 1)}`,
      `J5,2,${f(n0 + 1)},${f(e0 - 1)}`,
      `5,0.0036,${prefix}-B,乙地块,面,,物流仓储用地,${landUseOfB},@`,
      `J1,1,${f(n0 + 3)},${f(e0 + 7)}`,
      `J2,1,${f(n0 + 3)},${f(e0 + 13)}`,
      `J3,1,${f(n0 - 3)},${f(e0 + 13)}`,
      `J4,1,${f(n0 - 3)},${f(e0 + 7)}`,
      `J1,1,${f(n0 + 3)},${f(e0 + 7)}`,
    ].join('\r\n');
    return { body: iconv.encode(text, 'gbk'), e0, n0 };
  }

  it('imports a hand-written coordinate TXT (GBK, CRLF, zone prefix, a hole) where its numbers say: X is the northing', async () => {
    const admin = await ctx.server.as('admin');
    const { body, e0, n0 } = await handWrittenTxt();
    const staged = await upload(ctx.server.url, admin, '勘测定界坐标.txt', body);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body).toMatchObject({ format: 'ministry-txt', encoding: 'gbk', features: 2, crs: { epsg: 4526, swapped: false, confidence: 'prj' } });
    expect(staged.body.mapping).toMatchObject({ fields: { code: '地块编号', registered_area: '地块面积(公顷)', land_use_code: '地类编码' }, areaUnit: 'ha' });
    const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.body).toMatchObject({ total: 2, toCreate: 2, errors: 0 });
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
    expect(commit.body).toMatchObject({ created: 2, updated: 0 });
    const rows = await ctx.db.query<any>(
      `SELECT code, land_use_code, registered_area_m2, status, ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes, area_m2,
         ST_XMin(g) AS min_e, ST_XMax(g) AS max_e, ST_YMin(g) AS min_n, ST_YMax(g) AS max_n
       FROM (SELECT *, ST_Transform(geom, 4526) AS g FROM parcels WHERE code IN ('TXT-A', 'TXT-B')) p ORDER BY code`,
    );
    expect(rows.map((r) => [r.code, r.land_use_code, r.status, r.holes])).toEqual([
      ['TXT-A', '100101', 'reserve', 1],
      ['TXT-B', '1101', 'reserve', 0],
    ]);
    expect(rows[0].registered_area_m2).toBeCloseTo(60, 6);
    expect(rows[1].registered_area_m2).toBeCloseTo(36, 6);
    expect(rows[0].area_m2).toBeGreaterThan(59.5);
    expect(rows[0].area_m2).toBeLessThan(60.5);
    // Back in zone 38 by PostGIS (PROJ), the box is where the file put it: eastings from Y, northings from X.
    const box = (r: any) => [r.min_e, r.max_e, r.min_n, r.max_n];
    const expected = [
      [e0 - 4, e0 + 4, n0 - 4, n0 + 4],
      [e0 + 7, e0 + 13, n0 - 3, n0 + 3],
    ];
    rows.forEach((r, i) => box(r).forEach((v: number, k: number) => expect(Math.abs(v - expected[i][k]), `${r.code} ${k}`).toBeLessThan(0.01)));
  }, 120_000);

  it('commits nothing from a coordinate TXT with one wrong parcel, naming it by its line', async () => {
    const admin = await ctx.server.as('admin');
    const before = await dataChecksum(ctx.db);
    const { body } = await handWrittenTxt('999999', 'BAD');
    const staged = await upload(ctx.server.url, admin, 'bad.txt', body);
    expect(staged.status).toBe(201);
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status).toBe(422);
    expect(commit.body.error.code).toBe('import_invalid');
    // The unknown code, about parcel 2 only (a refused land use is not reported a second time as missing).
    expect(commit.body.error.details.issues.map((i: any) => [i.where.en, i.code, i.kind])).toEqual([['parcel 2 (line 24)', 'BAD-B', 'unknown_land_use']]);
    expect(commit.body.error.details.message_zh).toContain('第 2 个地块（第 24 行）');
    await admin.send('POST', `/api/imports/${staged.body.id}/cancel`, {});
    expect(await dataChecksum(ctx.db)).toBe(before);
  });

  it('exports the coordinate TXT in Gauss–Krüger only (GBK), and it imports back with the same geometry, codes and land use', async () => {
    const admin = await ctx.server.as('admin');
    const zone = await zoneId();
    const lonLat = await admin.get(`/api/export/parcels?format=txt&crs=4326&zone=${zone}`);
    expect(lonLat.status).toBe(400);
    const refused = await lonLat.json();
    expect(refused.error.code).toBe('export_crs');
    expect(refused.error.message).toMatch(/choose a CGCS2000 Gauss–Krüger zone/);
    expect(refused.error.details.message_zh).toMatch(/请选择 CGCS2000 高斯-克吕格投影带/);
    const projects = await admin.get(`/api/export/projects?format=txt&crs=4547`);
    expect(projects.status).toBe(400);
    expect((await projects.json()).error.details.message_zh).toMatch(/项目为点/);

    const zonesTxt = iconv.decode(Buffer.from(await (await admin.get('/api/export/zones?format=txt&crs=4547')).arrayBuffer()), 'gbk');
    const zoneLines = zonesTxt.split('\r\n').filter((l) => l.endsWith(',@'));
    const zones = await ctx.db.query<{ code: string; name: string }>('SELECT code, name FROM zones ORDER BY code');
    expect(zoneLines.map((l) => l.split(',').slice(2, 4))).toEqual(zones.map((z) => [z.code, z.name]));

    const before = await snapshot(zone);
    const areas = () =>
      ctx.db.query<{ registered_area_m2: number | null; area_m2: number }>(
        `SELECT registered_area_m2, area_m2 FROM parcels p WHERE zone_id = $1 AND status = 'producing' AND land_use_code LIKE '1001%' ORDER BY id`,
        [zone],
      );
    const areasBefore = await areas();
    const res = await admin.get(`/api/export/parcels?format=txt&crs=4526&zone=${zone}&status=producing&landUse=1001`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=GBK');
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = iconv.decode(bytes, 'gbk');
    expect(text).toContain('\r\n带号=38\r\n');
    expect(text.split('\r\n').filter((l) => l.endsWith(',@'))).toHaveLength(before.length);
    const staged = await upload(ctx.server.url, admin, 'parcels-4526.txt', bytes);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body).toMatchObject({ format: 'ministry-txt', crs: { epsg: 4526, swapped: false } });
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body).slice(0, 800)).toBe(200);
    expect(commit.body).toMatchObject({ created: 0, updated: before.length });
    const after = await snapshot(zone);
    const without = (r: Record<string, unknown>) => ({ ...r, registered_area_m2: null });
    expect(after.map((r) => without(r.rec))).toEqual(before.map((r) => without(r.rec)));
    // 地块面积 is in hectares with 6 decimals: a registered area comes back to 0.01 m²; a parcel without one gets its drawn area.
    const areasAfter = await areas();
    areasBefore.forEach((a, i) => {
      if (a.registered_area_m2 !== null) expect(Math.abs(areasAfter[i].registered_area_m2! - a.registered_area_m2)).toBeLessThan(0.01);
      else expect(Math.abs(areasAfter[i].registered_area_m2! - a.area_m2)).toBeLessThan(0.5);
    });
    expect(await worstShift(before, after)).toBeLessThan(0.01);
  }, 240_000);
});
