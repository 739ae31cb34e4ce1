/**
 * Importing through the page in a real browser: a land bureau's Gauss–Krüger shapefile (GBK, no .prj)
 * is dropped on the page, its coordinate system guessed and shown for confirmation, its preview lands on
 * the parcels it describes, the report is shown, and the import is committed and undone. And the
 * export dialog on the map.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { SHOTS, contextAs, useBrowserApp } from '../helpers/browserApp.ts';
import { freeSpot, shapefileZip, square } from '../helpers/importFiles.ts';

const app = useBrowserApp();

describe('the import page', () => {
  it('imports a Gauss–Krüger shapefile: guess to confirm, preview in place, report, commit, undo', async () => {
    // The bureau's own file for 阳泉高新区: its parcels in CGCS2000 3-degree CM 114°E, Chinese GBK fields, no .prj.
    const parcels = await app.db.query<{ id: number; code: string; land_use_code: string; g: MultiPolygon; lon: number; lat: number; version: number }>(
      `SELECT p.id, p.code, p.land_use_code, ST_AsGeoJSON(p.geom, 9)::json AS g, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat, p.version
       FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-YQGX' ORDER BY p.code`,
    );
    const file = await shapefileZip({
      epsg: 4547,
      fields: [
        { name: '地块编号', type: 'text' },
        { name: '用地性质', type: 'text' },
        { name: '环境标准', type: 'text' },
      ],
      records: parcels.map((p) => ({ 地块编号: p.code, 用地性质: p.land_use_code, 环境标准: '符合园区规划环评' })),
      geometries: parcels.map((p) => p.g),
      encoding: 'gbk',
      prj: null,
      cpg: null,
    });
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-page').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: '阳泉高新区地块.zip', mimeType: 'application/zip', buffer: file });

    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    // innerText: the summary as it reads on screen (the markup's line breaks are spaces there).
    await expect
      .poll(() => page.getByTestId('import-summary').innerText())
      .toMatch(new RegExp(`要素 ${parcels.length} · 新增 0 · 更新 ${parcels.length} ·\\s*错误 0`));
    // The guess is shown for the user to confirm: CM 114°E without a zone prefix.
    const reason = await page.getByTestId('import-crs-reason').textContent();
    expect(reason).toContain('请确认坐标系');
    expect(reason).toContain('EPSG:4547');
    expect(await page.getByTestId('import-crs').inputValue()).toBe('4547');
    expect(await page.getByTestId('map-code').inputValue()).toBe('地块编号');
    expect(await page.getByTestId('map-land_use_code').inputValue()).toBe('用地性质');

    // The preview lands on the parcels: at each parcel's inner point, the preview shows that parcel's code.
    await page.waitForSelector(`[data-testid="import-map"][data-preview-ready="${parcels.length}"]`, { timeout: 60_000 });
    const bounds = [
      Math.min(...parcels.map((p) => p.lon)),
      Math.min(...parcels.map((p) => p.lat)),
      Math.max(...parcels.map((p) => p.lon)),
      Math.max(...parcels.map((p) => p.lat)),
    ];
    const sample = [parcels[0], parcels[Math.floor(parcels.length / 2)], parcels[parcels.length - 1]];
    for (const p of sample) {
      const codes = await page.evaluate(
        ([lon, lat]) => {
          const map = (window as any).__parkAtlasImport.map;
          const pt = map.project([lon, lat]);
          return map.queryRenderedFeatures([pt.x, pt.y], { layers: ['preview-fill'] }).map((f: any) => f.properties.code);
        },
        [p.lon, p.lat],
      );
      expect(codes).toContain(p.code);
    }
    // Zoomed in on one parcel: the file's polygon (green) sits exactly on the app's outline.
    const moveAndSettle = (move: string, args: unknown) =>
      page.evaluate(
        ([m, a]) =>
          new Promise((r) => {
            const map = (window as any).__parkAtlasImport.map;
            map.once('idle', r);
            if (m === 'jump') map.jumpTo(a);
            else map.fitBounds(a, { padding: 60, duration: 0 });
            map.triggerRepaint();
          }),
        [move, args] as const,
      );
    await moveAndSettle('jump', { center: [sample[1].lon, sample[1].lat], zoom: 15.5 });
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '40b-import-gauss-kruger-preview-zoomed.png') });
    await moveAndSettle('fit', [
      [bounds[0], bounds[1]],
      [bounds[2], bounds[3]],
    ]);
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '40-import-gauss-kruger-preview.png') });

    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-done').textContent()).toBe(`阳泉高新区地块.zip: 导入完成，新增 0 个地块，更新 ${parcels.length} 个。`);
    const [after] = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE environment_standard = '符合园区规划环评'`);
    expect(after.n).toBe(parcels.length);
    const row = page.getByTestId('import-history').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('阳泉高新区地块.zip');
    await page.getByTestId('import-history').screenshot({ path: path.join(SHOTS, '41-import-history.png') });

    // Undo the whole import from the history.
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button').click();
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('已撤销');
    const [undone] = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE environment_standard = '符合园区规划环评'`);
    expect(undone.n).toBe(0);
    await context.close();
  }, 240_000);

  it('imports a project table: kind proposed from the columns and changeable, 亿元 understood, points on the map, commit, undo', async () => {
    const [parcel] = await app.db.query<{ code: string; id: number }>(
      `SELECT p.code, p.id FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-YQGX' AND p.id NOT IN (SELECT parcel_id FROM projects WHERE parcel_id IS NOT NULL) ORDER BY p.code LIMIT 1`,
    );
    const [known] = await app.db.query<{ id: number; name: string; total_investment_wan: number }>(
      `SELECT p.id, p.name, p.total_investment_wan FROM projects p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-YQGX' ORDER BY p.id LIMIT 1`,
    );
    const csv = [
      '项目名称,园区代码,地块编号,项目阶段,谋划时间,签约时间,总投资（亿元）',
      `阳泉氢能重卡整车项目,SX-YQGX,${parcel.code},签约,2025-02-01,2025-07-15,2.5`,
      `${known.name},SX-YQGX,,,,,${known.total_investment_wan / 10000}`,
    ].join('\n');
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/import`);
    await page.getByTestId('import-drop').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: '阳泉项目清单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-kind').inputValue()).toBe('projects');
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/要素 2 · 新增 1 · 更新 1 ·\s*错误 0/);
    expect(await page.getByTestId('map-name').inputValue()).toBe('项目名称');
    expect(await page.getByTestId('map-parcel_code').inputValue()).toBe('地块编号');
    expect(await page.getByTestId('import-money-unit').inputValue()).toBe('yi');
    // Read as parcel attributes instead, the same table does not fit; back to projects, it does.
    await page.getByTestId('import-kind').selectOption('parcels');
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/错误 [1-9]/);
    await page.getByTestId('import-kind').selectOption('projects');
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/要素 2 · 新增 1 · 更新 1 ·\s*错误 0/);
    await page.waitForSelector('[data-testid="import-map"][data-preview-ready="1"]', { timeout: 60_000 });
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '44-import-projects.png') });

    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('import-done').textContent()).toBe('阳泉项目清单.csv: 导入完成，新增 1 个项目，更新 1 个。');
    const [created] = await app.db.query(`SELECT stage, total_investment_wan, parcel_id FROM projects WHERE name = '阳泉氢能重卡整车项目'`);
    expect(created).toEqual({ stage: 'signed', total_investment_wan: 25000, parcel_id: parcel.id });
    const row = page.getByTestId('import-history').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('阳泉项目清单.csv');
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button').click();
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('已撤销');
    expect(await app.db.query(`SELECT 1 FROM projects WHERE name = '阳泉氢能重卡整车项目'`)).toEqual([]);
    await context.close();
  }, 240_000);

  it('a land bureau file without 状态: 已供应 given for the whole file, the land-use mapping listed, commit', async () => {
    const spot = await freeSpot(app.db, 'SX-YQGX');
    const dLon = 11 / (111_320 * Math.cos((spot.centre[1] * Math.PI) / 180));
    const file = await shapefileZip({
      epsg: 4547,
      fields: [
        { name: 'DKBH', type: 'text' },
        { name: 'YDYHFLDM', type: 'text' },
        { name: '出让时间', type: 'text' },
        { name: '约定动工', type: 'text' },
      ],
      records: [
        { DKBH: 'PAGE-1', YDYHFLDM: 'M1', 出让时间: '2024-04-01', 约定动工: '2024-10-01' },
        { DKBH: 'PAGE-2', YDYHFLDM: 'M1', 出让时间: '2024-05-01', 约定动工: '2024-11-01' },
      ],
      geometries: [square([spot.centre[0] - dLon / 2, spot.centre[1]], 8), square([spot.centre[0] + dLon / 2, spot.centre[1]], 8)],
    });
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/import`);
    await page.getByTestId('import-drop').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: '已出让地块.zip', mimeType: 'application/zip', buffer: file });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('map-land_use_code').inputValue()).toBe('YDYHFLDM');
    expect(await page.getByTestId('map-agreed_start_date').inputValue()).toBe('约定动工');
    // No status column: the supplied dates are refused until the status is given for the whole file.
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/错误 2/);
    await page.getByTestId('map-status').selectOption({ label: '整个文件的值…' });
    await page.getByTestId('whole-status').selectOption('supplied');
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/要素 2 · 新增 2 · 更新 0 ·\s*错误 0 · 警告 2/);
    // The GB 50137-2011 code is mapped, said once with its number of rows.
    expect(await page.getByTestId('import-landuse-mapped').textContent()).toContain(
      '用地分类已转换：GB 50137-2011 的 M1 一类工业用地 → 2023 分类 100101 一类工业用地。 (2 行)',
    );
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '45-import-whole-file-status.png') });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await app.db.query(`SELECT code, status, land_use_code, supplied_date FROM parcels WHERE code LIKE 'PAGE-%' ORDER BY code`)).toEqual([
      { code: 'PAGE-1', status: 'supplied', land_use_code: '100101', supplied_date: '2024-04-01' },
      { code: 'PAGE-2', status: 'supplied', land_use_code: '100101', supplied_date: '2024-05-01' },
    ]);
    await context.close();
  }, 240_000);

  it('shows the reason for a refused file, and exports from the map with format and coordinate system', async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/import`);
    await page.getByTestId('import-drop').waitFor();
    // Dropped, as a person would drag it from the desktop.
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'broken.geojson', { type: 'application/geo+json' }));
      return dt;
    }, '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,1]}}]}');
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer });
    await page.getByTestId('import-error').waitFor();
    expect(await page.getByTestId('import-error').textContent()).toMatch(/^broken\.geojson：文件不是有效的 JSON/);

    // A file with problems: the report lists them per feature, in red on the map, and import is disabled.
    const spot = await freeSpot(app.db, 'SX-YQGX');
    const [existing] = await app.db.query<{ code: string; g: MultiPolygon }>(
      `SELECT p.code, ST_AsGeoJSON(ST_Multi(ST_Translate(p.geom, 0.00005, 0)))::json AS g FROM parcels p JOIN zones z ON z.id = p.zone_id
       WHERE z.code = 'SX-YQGX' ORDER BY ST_Distance(p.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`,
      [spot.centre[0], spot.centre[1]],
    );
    const [x, y] = spot.centre;
    const d = 0.00004;
    const bowtie: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [x - d, y - d],
            [x + d, y + d],
            [x + d, y - d],
            [x - d, y + d],
            [x - d, y - d],
          ],
        ],
      ],
    };
    const problems = await shapefileZip({
      epsg: 4526,
      fields: [
        { name: '地块编号', type: 'text' },
        { name: '用地性质', type: 'text' },
        { name: '出让时间', type: 'text' },
        { name: '状态', type: 'text' },
      ],
      records: [
        { 地块编号: 'NEW-1', 用地性质: 'M2', 出让时间: '2024/13/01', 状态: '已供应' },
        { 地块编号: 'NEW-2', 用地性质: 'Q7', 出让时间: '', 状态: '储备' },
        { 地块编号: 'NEW-3', 用地性质: '100101', 出让时间: '', 状态: '储备' },
      ],
      geometries: [square([x - 0.0003, y], 20), bowtie, existing.g],
    });
    await page.getByTestId('import-file').setInputFiles({ name: '问题数据.zip', mimeType: 'application/zip', buffer: problems });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/错误 [1-9]/);
    const rows = await page.getByTestId('import-report').locator('tr.error').allTextContents();
    expect(rows.join('\n')).toContain('日期');
    expect(rows.join('\n')).toContain('未知的用地分类代码“Q7”');
    expect(rows.join('\n')).toContain('多边形无效');
    expect(rows.join('\n')).toContain(`与地块 ${existing.code} 重叠`);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.waitForSelector('[data-testid="import-map"][data-preview-ready]', { timeout: 60_000 });
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '43-import-report-problems.png') });
    await page.getByTestId('import-cancel').click();

    await page.goto(`${app.server.url}/`);
    await page.getByTestId('open-export').click();
    await page.getByTestId('export-format').selectOption('shp');
    await page.getByTestId('export-crs').selectOption('4526');
    const href = await page.getByTestId('export-download').getAttribute('href');
    expect(href).toBe('/api/export/parcels?format=shp&crs=4526');
    await page.screenshot({ path: path.join(SHOTS, '42-export-dialog.png') });
    const res = await page.request.get(`${app.server.url}${href}&zone=1`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain('parcels-4526.zip');
    await page.getByTestId('export-layer').selectOption('zones');
    expect(await page.getByTestId('export-download').getAttribute('href')).toBe('/api/export/zones?format=shp&crs=4526');
    await page.getByTestId('export-layer').selectOption('projects');
    expect(await page.getByTestId('export-download').getAttribute('href')).toBe('/api/export/projects?format=shp&crs=4526');
    await context.close();
  }, 120_000);
});
