/**
 * The ministry's coordinate TXT and CAD files on the import page, and the TXT / GeoPackage choices of the
 * export dialog, in a real browser.
 */
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { fromLonLat } from '../../server/import/crs.ts';
import { SHOTS, contextAs, useBrowserApp } from '../helpers/browserApp.ts';
import { freeSpot } from '../helpers/importFiles.ts';

const app = useBrowserApp();

describe('other land formats on the page', () => {
  it('imports a surveyor’s coordinate TXT (GBK) where its numbers say, and answers a DXF with how to convert it', async () => {
    const spot = await freeSpot(app.db, 'SX-YQGX');
    expect(spot.radiusM).toBeGreaterThan(8);
    const [e0, n0] = fromLonLat(4526)(spot.centre);
    const f = (v: number) => v.toFixed(3);
    // 点号,圈号,X (northing),Y (easting with zone 38 in front): a 10 × 10 m parcel of 0.01 公顷.
    const text = [
      '[属性描述]',
      '坐标系=2000国家大地坐标系',
      '几度分带=3',
      '投影类型=高斯克吕格',
      '计量单位=米',
      '带号=38',
      '精度=0.01',
      '转换参数=,,,,,,',
      '[地块坐标]',
      '5,0.01,TXT-E2E,勘测地块,面,,工业用地,100101,@',
      `J1,1,${f(n0 + 5)},${f(e0 - 5)}`,
      `J2,1,${f(n0 + 5)},${f(e0 + 5)}`,
      `J3,1,${f(n0 - 5)},${f(e0 + 5)}`,
      `J4,1,${f(n0 - 5)},${f(e0 - 5)}`,
      `J1,1,${f(n0 + 5)},${f(e0 - 5)}`,
    ].join('\r\n');
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-page').waitFor();

    await page.getByTestId('import-file').setInputFiles({ name: '测绘.dxf', mimeType: 'application/dxf', buffer: Buffer.from('  0\nSECTION\n') });
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 60_000 }).toContain('ogr2ogr -f GPKG');
    expect(await page.getByTestId('import-error').textContent()).toContain('要素另存为');

    await page.getByTestId('import-file').setInputFiles({ name: '勘测定界坐标.txt', mimeType: 'text/plain', buffer: iconv.encode(text, 'gbk') });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/要素 1 · 新增 1 · 更新 0 ·\s*错误 0/);
    expect(await page.locator('h2 small').first().textContent()).toContain('自然资源部坐标 TXT');
    expect(await page.getByTestId('import-crs').inputValue()).toBe('4526');
    expect(await page.getByTestId('map-code').inputValue()).toBe('地块编号');
    // The preview lands where the file's X (northing) and Y (easting) put it.
    await page.waitForSelector('[data-testid="import-map"][data-preview-ready="1"]', { timeout: 60_000 });
    const codes = await page.evaluate(([lon, lat]) => {
      const map = (window as any).__parkAtlasImport.map;
      const pt = map.project([lon, lat]);
      return map.queryRenderedFeatures([pt.x, pt.y], { layers: ['preview-fill'] }).map((x: any) => x.properties.code);
    }, spot.centre);
    expect(codes).toContain('TXT-E2E');
    await page.getByTestId('import-work').screenshot({ path: path.join(SHOTS, '44-import-ministry-txt.png') });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    expect(await app.db.query(`SELECT code, registered_area_m2 FROM parcels WHERE code = 'TXT-E2E'`)).toEqual([{ code: 'TXT-E2E', registered_area_m2: 100 }]);
    await context.close();
  }, 180_000);

  it('offers GeoPackage and the coordinate TXT for export, the TXT only in a Gauss–Krüger zone and not for projects', async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1300, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('open-export').click();
    await page.getByTestId('export-format').selectOption('gpkg');
    await page.getByTestId('export-crs').selectOption('4547');
    expect(await page.getByTestId('export-download').getAttribute('href')).toBe('/api/export/parcels?format=gpkg&crs=4547');
    await page.getByTestId('export-format').selectOption('txt');
    await page.getByTestId('export-crs').selectOption('4326');
    expect(await page.getByTestId('export-download').isDisabled()).toBe(true);
    expect(await page.getByTestId('export-txt-note').textContent()).toContain('请选择投影带');
    await page.getByTestId('export-crs').selectOption('4526');
    const href = await page.getByTestId('export-download').getAttribute('href');
    expect(href).toBe('/api/export/parcels?format=txt&crs=4526');
    const res = await page.request.get(`${app.server.url}${href}&zone=1`);
    expect(res.status()).toBe(200);
    expect(iconv.decode(await res.body(), 'gbk')).toContain('[地块坐标]');
    await page.getByTestId('export-layer').selectOption('projects');
    expect(await page.getByTestId('export-download').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, '45-export-dialog-txt.png') });
    await context.close();
  }, 120_000);
});
