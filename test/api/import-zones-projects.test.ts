/** Zone boundaries and project lists: imported, re-imported as updates, undone, checked per feature or row, refused by role; projects exported and imported back unchanged. */
import { describe, expect, it } from 'vitest';
import { PROJECT_FIELDS } from '../../domain/projectFields.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dataChecksum, shapefileZip, square, upload } from '../helpers/importFiles.ts';

const csv = (rows: (string | number)[][]) =>
  Buffer.from(rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\n'));
const PROJECT_COLUMNS = `id, zone_id, parcel_id, name, stage, total_investment_wan, completed_investment_wan, planned_date, signed_date, landed_date, started_date, industry_chain, version, ST_AsText(geom) AS point`;
const ZONE_HASH = `md5((to_jsonb(z) - 'geom' - 'version' - 'updated_at')::text || ST_AsBinary(z.geom)::text)`;
const ZONE_FIELDS = [
  { name: '园区代码', type: 'text' as const },
  { name: '园区名称', type: 'text' as const },
  { name: '级别', type: 'text' as const },
  { name: '所在市', type: 'text' as const },
  { name: '主导产业', type: 'text' as const },
];

describe.each(dbTargets({ writable: true }))('zone and project imports on $name', (target) => {
  const ctx = useApiServer(target);

  it('imports a project table (CSV, 亿元), updates by name within the zone on re-import, and undoes each import', async () => {
    const planner = await ctx.server.as('planner');
    const [known] = await ctx.db.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM projects p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-YQGX' AND p.stage = 'started' ORDER BY p.id LIMIT 1`,
    );
    const [knownBefore] = await ctx.db.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [known.id]);
    const [parcel] = await ctx.db.query<{ id: number; code: string; lon: number; lat: number }>(
      `SELECT id, code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels WHERE zone_id = (SELECT id FROM zones WHERE code = 'SX-YQGX') AND id NOT IN (SELECT parcel_id FROM projects WHERE parcel_id IS NOT NULL) ORDER BY code LIMIT 1`,
    );
    const [{ count: projectsBefore }] = await ctx.db.query<{ count: number }>('SELECT count(*)::int AS count FROM projects');
    const file = csv([
      ['项目名称', '园区代码', '地块编号', '项目阶段', '谋划时间', '签约时间', '开工时间', '总投资（亿元）', '已完成投资（亿元）', '产业链'],
      ['阳泉氢能装备产业园', 'SX-YQGX', parcel.code, '签约', '2025/3/1', '2025-06-18', '', '12.5', '0', '氢能'],
      [known.name, 'SX-YQGX', '', 'started', '', '', '', '', '3.25', ''],
      ['阳泉数据中心二期', '阳泉高新技术产业开发区', '', '开工', '2024-01-05', '2024年5月6日', '20250301', '8', '2', '数字经济'],
    ]);
    const staged = await upload(ctx.server.url, planner, '阳泉项目清单.csv', file);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body.mapping).toMatchObject({
      kind: 'projects',
      moneyUnit: 'yi',
      fields: {
        name: '项目名称',
        zone: '园区代码',
        parcel_code: '地块编号',
        stage: '项目阶段',
        planned_date: '谋划时间',
        signed_date: '签约时间',
        started_date: '开工时间',
        total_investment_wan: '总投资（亿元）',
        completed_investment_wan: '已完成投资（亿元）',
        industry_chain: '产业链',
      },
    });
    const check = await planner.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body).toMatchObject({ total: 3, toCreate: 2, toUpdate: 1, errors: 0 });
    expect(check.body.issues).toEqual([expect.objectContaining({ n: 4, kind: 'placed_in_zone', severity: 'info' })]);
    // The known project keeps its point (no point or parcel in the row): two points to preview.
    expect(check.body.preview.features).toHaveLength(2);
    const commit = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body)).toBe(200);
    expect(commit.body).toMatchObject({ created: 2, updated: 0 + 1 });

    const [hydrogen] = await ctx.db.query<any>(
      `SELECT ${PROJECT_COLUMNS}, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM projects WHERE name = '阳泉氢能装备产业园'`,
    );
    expect(hydrogen).toMatchObject({
      parcel_id: parcel.id,
      stage: 'signed',
      total_investment_wan: 125000,
      completed_investment_wan: 0,
      industry_chain: '氢能',
    });
    expect(hydrogen.lon).toBeCloseTo(parcel.lon, 9);
    expect(hydrogen.lat).toBeCloseTo(parcel.lat, 9);
    const [data] = await ctx.db.query<any>(
      `SELECT ${PROJECT_COLUMNS}, ST_Intersects(geom, (SELECT geom FROM zones WHERE code = 'SX-YQGX')) AS inside FROM projects WHERE name = '阳泉数据中心二期'`,
    );
    expect(data).toMatchObject({ stage: 'started', total_investment_wan: 80000, completed_investment_wan: 20000, inside: true });
    const [knownAfter] = await ctx.db.query<any>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [known.id]);
    expect(knownAfter).toEqual({ ...knownBefore, completed_investment_wan: 32500, version: (knownBefore as any).version + 1 });
    const audit = await ctx.db.query("SELECT action, note FROM audit_log WHERE entity = 'import' AND entity_id = $1", [staged.body.id]);
    expect(audit).toEqual([{ action: 'import', note: expect.stringContaining('阳泉项目清单.csv: projects 2 created, 1 updated') }]);

    // The same file again: every row updates, nothing is duplicated.
    const again = await upload(ctx.server.url, planner, '阳泉项目清单.csv', file);
    expect(again.body.mapping.kind).toBe('projects');
    const check2 = await planner.send('POST', `/api/imports/${again.body.id}/check`, {});
    expect(check2.body).toMatchObject({ toCreate: 0, toUpdate: 3, errors: 0 });
    const commit2 = await planner.send('POST', `/api/imports/${again.body.id}/commit`, {});
    expect(commit2.body).toMatchObject({ created: 0, updated: 3 });
    const [{ count: projectsAfter }] = await ctx.db.query<{ count: number }>('SELECT count(*)::int AS count FROM projects');
    expect(projectsAfter).toBe(projectsBefore + 2);

    // The first import cannot be undone under the second; undone in turn, everything is as before.
    const blocked = await planner.send('POST', `/api/imports/${staged.body.id}/undo`, {});
    expect(blocked.status).toBe(409);
    expect((await planner.send('POST', `/api/imports/${again.body.id}/undo`, {})).body).toEqual({ removed: 0, restored: 3 });
    expect((await planner.send('POST', `/api/imports/${staged.body.id}/undo`, {})).body).toEqual({ removed: 2, restored: 1 });
    const [{ count: projectsUndone }] = await ctx.db.query<{ count: number }>('SELECT count(*)::int AS count FROM projects');
    expect(projectsUndone).toBe(projectsBefore);
    const [knownUndone] = await ctx.db.query<any>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`, [known.id]);
    expect({ ...knownUndone, version: 0 }).toEqual({ ...knownBefore, version: 0 });
  });

  it('reports unknown zones, parcels and stages, dates out of order, bad numbers and duplicates per row, and writes nothing', async () => {
    const admin = await ctx.server.as('admin');
    const before = await dataChecksum(ctx.db);
    const file = csv([
      ['项目名称', '园区代码', '地块编号', '项目阶段', '签约时间', '开工时间', '总投资（万元）'],
      ['甲项目', 'SX-NOPE', '', '签约', '2025-01-01', '', '100'],
      ['乙项目', 'SX-YQGX', 'NO-SUCH-PARCEL', '签约', '2025-01-01', '', '100'],
      ['丙项目', 'SX-YQGX', '', '开工', '2025-05-01', '2025-02-01', '100'],
      ['丁项目', 'SX-YQGX', '', '签约', '2025-01-01', '', '一百万'],
      ['丁项目', 'SX-YQGX', '', '签约', '2025-01-01', '', '100'],
      ['戊项目', 'SX-YQGX', '', '招商', '2025-01-01', '', '100'],
      ['', 'SX-YQGX', '', '签约', '2025-01-01', '', '100'],
      ['己项目', 'SX-YQGX', '', '', '', '', '100'],
    ]);
    const staged = await upload(ctx.server.url, admin, 'bad-projects.csv', file);
    expect(staged.body.mapping.kind).toBe('projects');
    const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
    const kinds = check.body.issues.filter((i: any) => i.severity === 'error').map((i: any) => `${i.where.en}:${i.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'row 2:unknown_zone',
        'row 3:unknown_parcel',
        'row 4:bad_date',
        'row 5:bad_number',
        'row 6:duplicate_code',
        'row 7:unknown_stage',
        'row 8:missing_code',
        'row 9:missing_stage',
      ]),
    );
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status).toBe(422);
    expect(commit.body.error.message).toMatch(
      /^bad-projects\.csv: \d+ problems must be fixed before importing; nothing was written\. row 2 \(甲项目\): Unknown zone "SX-NOPE"/,
    );
    expect(commit.body.error.details.message_zh).toContain('第 4 行（丙项目）');
    expect(await dataChecksum(ctx.db)).toBe(before);
  });

  it('imports Gauss–Krüger zone boundaries, updates by code, refuses boundaries that leave parcels outside, and undoes', async () => {
    const admin = await ctx.server.as('admin');
    const [yq] = await ctx.db.query<{ id: number; geom: any; before: string }>(
      `SELECT id, ST_AsGeoJSON(ST_Multi(ST_Buffer(geom::geography, 50)::geometry), 9)::json AS geom, ${ZONE_HASH} AS before FROM zones z WHERE code = 'SX-YQGX'`,
    );
    const fresh = square([113.05, 36.45], 1500);
    const records = [
      { 园区代码: 'SX-YQNEW', 园区名称: '阳泉新材料产业园', 级别: '省级', 所在市: '阳泉市', 主导产业: '新材料' },
      { 园区代码: 'SX-YQGX', 园区名称: '阳泉高新技术产业开发区', 级别: '省级', 所在市: '阳泉市', 主导产业: '数字经济、新材料' },
    ];
    const file = await shapefileZip({ base: '园区边界', epsg: 4547, fields: ZONE_FIELDS, records, geometries: [fresh, yq.geom], encoding: 'gbk' });
    const staged = await upload(ctx.server.url, admin, '园区边界.zip', file);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    expect(staged.body.crs).toMatchObject({ epsg: 4547 });
    expect(staged.body.mapping).toMatchObject({
      kind: 'zones',
      fields: { code: '园区代码', name: '园区名称', level: '级别', city: '所在市', leading_industry: '主导产业' },
    });
    const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(check.body).toMatchObject({ total: 2, toCreate: 1, toUpdate: 1, errors: 0 });
    // The preview lands where the square was drawn (within a metre: 1e-5° ≈ 1 m).
    const [minX, minY, maxX, maxY] = fresh.coordinates[0][0].reduce(
      (b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)],
      [180, 90, -180, -90],
    );
    const previewed = check.body.preview.features[0].geometry.coordinates[0][0] as number[][];
    expect(Math.min(...previewed.map((p) => p[0]))).toBeCloseTo(minX, 5);
    expect(Math.max(...previewed.map((p) => p[1]))).toBeCloseTo(maxY, 5);
    expect(maxX).toBeGreaterThan(minX);
    expect(minY).toBeLessThan(maxY);
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
    expect(commit.status, JSON.stringify(commit.body)).toBe(200);
    expect(commit.body).toMatchObject({ created: 1, updated: 1 });
    const [created] = await ctx.db.query<any>(`SELECT name, level, city, leading_industry, round(area_m2) AS area FROM zones WHERE code = 'SX-YQNEW'`);
    expect(created).toMatchObject({ name: '阳泉新材料产业园', level: 'provincial', city: '阳泉市', leading_industry: '新材料' });
    expect(Math.abs(Number(created.area) - 1500 * 1500)).toBeLessThan(1500 * 1500 * 0.01);
    expect((await ctx.db.query(`SELECT leading_industry FROM zones WHERE code = 'SX-YQGX'`))[0]).toEqual({ leading_industry: '数字经济、新材料' });

    const again = await upload(ctx.server.url, admin, '园区边界.zip', file);
    const commit2 = await admin.send('POST', `/api/imports/${again.body.id}/commit`, {});
    expect(commit2.body).toMatchObject({ created: 0, updated: 2 });
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM zones WHERE code LIKE 'SX-YQ%'`))[0]).toEqual({ n: 2 });

    expect((await admin.send('POST', `/api/imports/${again.body.id}/undo`, {})).body).toEqual({ removed: 0, restored: 2 });
    expect((await admin.send('POST', `/api/imports/${staged.body.id}/undo`, {})).body).toEqual({ removed: 1, restored: 1 });
    expect(await ctx.db.query(`SELECT 1 FROM zones WHERE code = 'SX-YQNEW'`)).toEqual([]);
    const [restored] = await ctx.db.query<{ h: string }>(`SELECT ${ZONE_HASH} AS h FROM zones z WHERE code = 'SX-YQGX'`);
    expect(restored.h).toBe(yq.before);
  });

  it('reports zone problems per feature (parcels left outside, unknown level, duplicate code, invalid boundary) and refuses zone-limited users and other roles', async () => {
    const admin = await ctx.server.as('admin');
    // Signed in first: sign-ins are in the audit log, which the checksum counts.
    const others = Object.fromEntries(await Promise.all(['viewer', 'promoter', 'landbureau', 'datong'].map(async (u) => [u, await ctx.server.as(u)] as const)));
    const [yq] = await ctx.db.query<{ centre: [number, number] }>(
      `SELECT json_build_array(ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))) AS centre FROM zones WHERE code = 'SX-YQGX'`,
    );
    const bowtie = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [113.2, 36.2],
            [113.21, 36.21],
            [113.21, 36.2],
            [113.2, 36.21],
            [113.2, 36.2],
          ],
        ],
      ],
    };
    const records = [
      { 园区代码: 'SX-YQGX', 园区名称: '阳泉高新技术产业开发区', 级别: '省级', 所在市: '阳泉市', 主导产业: '' },
      { 园区代码: 'SX-A1', 园区名称: '甲园区', 级别: '市级', 所在市: '阳泉市', 主导产业: '' },
      { 园区代码: 'SX-A2', 园区名称: '乙园区', 级别: '省级', 所在市: '阳泉市', 主导产业: '' },
      { 园区代码: 'SX-A2', 园区名称: '乙园区', 级别: '省级', 所在市: '阳泉市', 主导产业: '' },
      { 园区代码: 'SX-A3', 园区名称: '丙园区', 级别: '国家级', 所在市: '阳泉市', 主导产业: '' },
    ];
    const geometries = [square(yq.centre, 100), square([113.1, 36.1], 500), square([113.15, 36.15], 500), square([113.16, 36.16], 500), bowtie];
    const file = await shapefileZip({ base: 'zones', epsg: 4547, fields: ZONE_FIELDS, records, geometries, encoding: 'gbk' });
    const before = await dataChecksum(ctx.db);
    const staged = await upload(ctx.server.url, admin, 'bad-zones.zip', file);
    expect(staged.body.mapping.kind).toBe('zones');
    const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
    const kinds = check.body.issues.filter((i: any) => i.severity === 'error').map((i: any) => `${i.where.en}:${i.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['feature 1:parcels_outside', 'feature 2:unknown_level', 'feature 4:duplicate_code', 'feature 5:invalid_geometry']),
    );
    const outside = check.body.issues.find((i: any) => i.kind === 'parcels_outside');
    expect(outside.message.en).toMatch(/leaves parcels of the zone outside: YQGX-\d{4}/);
    // Accepting the repair turns the bow-tie into a warning.
    const repaired = await admin.send('POST', `/api/imports/${staged.body.id}/check`, { repair: true });
    expect(repaired.body.issues.find((i: any) => i.n === 5 && i.kind === 'invalid_geometry').severity).toBe('warning');
    const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, { repair: true });
    expect(commit.status).toBe(422);
    expect(commit.body.error.message).toContain('feature 1 (SX-YQGX): The new boundary leaves parcels of the zone outside');
    expect(await dataChecksum(ctx.db)).toBe(before);

    // Roles: a viewer or promoter cannot upload; a planner limited to one zone cannot import zones or projects elsewhere.
    const ok = await shapefileZip({ base: 'zones', epsg: 4547, fields: ZONE_FIELDS, records: [records[2]], geometries: [geometries[2]], encoding: 'gbk' });
    for (const who of ['viewer', 'promoter', 'landbureau']) expect((await upload(ctx.server.url, others[who], 'zones.zip', ok)).status).toBe(403);
    const datong = others.datong;
    const s2 = await upload(ctx.server.url, datong, 'zones.zip', ok);
    const c2 = await datong.send('POST', `/api/imports/${s2.body.id}/commit`, {});
    expect(c2.status).toBe(422);
    expect(c2.body.error.message).toContain('only administrators and planners not limited to some zones may import them');
    const s3 = await upload(
      ctx.server.url,
      datong,
      'p.csv',
      csv([
        ['项目名称', '园区代码', '项目阶段', '谋划时间'],
        ['某项目', 'SX-YQGX', '谋划', '2025-01-01'],
      ]),
    );
    const c3 = await datong.send('POST', `/api/imports/${s3.body.id}/commit`, {});
    expect(c3.status).toBe(422);
    expect(c3.body.error.details.issues[0].kind).toBe('zone_not_allowed');
    expect(await dataChecksum(ctx.db)).toBe(before);
  });

  it('exports projects (CSV, GeoJSON, shapefile) that import back unchanged', async () => {
    const admin = await ctx.server.as('admin');
    const fields = Object.keys(PROJECT_FIELDS)
      .filter((f) => f !== 'extra_stage_dates')
      .join(', ');
    const snap = () =>
      ctx.db.query(
        `SELECT id, ${fields}, parcel_id, enterprise_id, is_industrial, ST_AsText(geom) AS point FROM projects WHERE zone_id = (SELECT id FROM zones WHERE code = 'SX-YQGX') ORDER BY id`,
      );
    const before = await snap();
    expect(before.length).toBeGreaterThan(3);
    const [{ id: zoneId }] = await ctx.db.query<{ id: number }>(`SELECT id FROM zones WHERE code = 'SX-YQGX'`);
    for (const [format, crs, name] of [
      ['csv', 4326, 'projects.csv'],
      ['geojson', 4547, 'projects.geojson'],
      ['shp', 4547, 'projects.zip'],
    ] as const) {
      const res = await admin.get(`/api/export/projects?zone=${zoneId}&format=${format}&crs=${crs}`);
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      const staged = await upload(ctx.server.url, admin, name, body);
      expect(staged.status, JSON.stringify(staged.body)).toBe(201);
      expect(staged.body.mapping.kind).toBe('projects');
      const check = await admin.send('POST', `/api/imports/${staged.body.id}/check`, {});
      expect(check.body, format).toMatchObject({ total: before.length, toCreate: 0, toUpdate: before.length, errors: 0 });
      const commit = await admin.send('POST', `/api/imports/${staged.body.id}/commit`, {});
      expect(commit.status, JSON.stringify(commit.body)).toBe(200);
      const after = await snap();
      if (format === 'csv') expect(after, format).toEqual(before);
      else {
        // Through Gauss–Krüger and back, points move by far less than a millimetre.
        const moved = await ctx.db.query<{ d: number }>(
          `SELECT max(ST_Distance(geography(ST_GeomFromText(a.p, 4326)), geography(ST_GeomFromText(b.p, 4326)))) AS d
           FROM json_to_recordset($1::json) AS a(id int, p text) JOIN json_to_recordset($2::json) AS b(id int, p text) USING (id)`,
          [JSON.stringify(before.map((r: any) => ({ id: r.id, p: r.point }))), JSON.stringify(after.map((r: any) => ({ id: r.id, p: r.point })))],
        );
        expect(moved[0].d).toBeLessThan(0.001);
        expect(
          after.map((r: any) => ({ ...r, point: null })),
          format,
        ).toEqual(before.map((r: any) => ({ ...r, point: null })));
      }
    }
  });
});
