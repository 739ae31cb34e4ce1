/**
 * The zone map in a real browser: the built client served by the real server, on the embedded PostGIS and
 * on the real PostgreSQL + PostGIS (their vector tiles come from different code). Screenshots land in
 * test-output/e2e/ for people to look at.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { formatAreaMu } from '../../domain/format.ts';
import { FIRST_LEVEL_LAND_USES } from '../../domain/landUse.ts';
import { PARCEL_STATUSES } from '../../domain/lifecycle.ts';
import { renderedIds, waitForMapIdle } from '../helpers/browser.ts';
import { ringCentre } from '../helpers/geo.ts';
import { SHOTS, browserTargets, contextAs as signedInContext, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

/** Share of the screenshot's pixels within `tolerance` of a colour (after the layer's opacity over the background). */
function colourShare(png: Buffer, hex: string, opacity = 0.85, tolerance = 18): number {
  const img = PNG.sync.read(png);
  const background = [0xf3, 0xf1, 0xec];
  const c = [1, 3, 5].map((i, k) => parseInt(hex.slice(i, i + 2), 16) * opacity + background[k] * (1 - opacity));
  let hits = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (Math.abs(img.data[i] - c[0]) < tolerance && Math.abs(img.data[i + 1] - c[1]) < tolerance && Math.abs(img.data[i + 2] - c[2]) < tolerance) hits++;
  }
  return hits / (img.data.length / 4);
}

describe.each(browserTargets())('the zone map on $name', (target) => {
  const app = useBrowserApp(target);
  let context: BrowserContext;
  const externalRequests: string[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    // The map is for signed-in users: these tests look at it as the demo viewer.
    context = await signedInContext(app.browser, app.server, 'viewer');
  });
  // A test that fails half-way leaves its pages open: each is a live WebGL map that would slow the next tests.
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });

  async function openPage(search: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await context.newPage();
    pages.push(page);
    if (viewport) await page.setViewportSize(viewport);
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(app.server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) externalRequests.push(url);
    });
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(`${app.server.url}/${search}`);
    await waitForMapIdle(page);
    return page;
  }

  async function zoneView(code: string) {
    const [z] = await app.db.query<{ id: number; lon: number; lat: number }>(
      `SELECT id, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT id, ST_PointOnSurface((SELECT d.geom FROM ST_Dump(geom) d ORDER BY ST_Area(d.geom) DESC LIMIT 1)) AS p FROM zones WHERE code = $1) s`,
      [code],
    );
    return z;
  }

  it('opens on Shanxi with every zone drawn and labelled, and says the geometry is illustrative', async () => {
    const page = await openPage('');
    const zones = await renderedIds(page, ['zones-fill', 'zone-points']);
    const [{ n }] = await app.db.query<{ n: number }>('SELECT count(*) AS n FROM zones');
    expect(zones.length).toBe(n);
    // Labels are placed after their glyphs arrive, which can be a frame or two after the map's first idle.
    await expect
      .poll(() => page.evaluate(() => (window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['zone-labels'] }).length), { timeout: 60_000 })
      .toBeGreaterThan(10);
    await expect(page.getByTestId('demo-notice').textContent()).resolves.toContain('示意');
    await page.screenshot({ path: shotPath(app, '01-province') });
    await page.close();
  });

  it('draws parcels coloured by land use, and by status at the flip of a switch, with a matching legend', async () => {
    const z = await zoneView('SX-JZKF');
    const page = await openPage(`?c=${z.lon},${z.lat}&z=13.2`);
    const parcels = await renderedIds(page, ['parcels-fill']);
    expect(parcels.length).toBeGreaterThan(50);
    const [{ n }] = await app.db.query<{ n: number }>('SELECT count(*) AS n FROM parcels WHERE id = ANY($1::int[]) AND zone_id = $2', [parcels, z.id]);
    expect(n).toBeGreaterThan(50);

    const industrial = FIRST_LEVEL_LAND_USES.find((c) => c.code === '10')!.color;
    const producing = PARCEL_STATUSES.find((s) => s.key === 'producing')!.color;
    const byLandUse = await page.screenshot({ path: shotPath(app, '02-parcels-by-land-use') });
    expect(colourShare(byLandUse, industrial)).toBeGreaterThan(0.03);
    const legendLandUse = await page.getByTestId('legend-parcels').locator('li').allTextContents();
    expect(legendLandUse).toContain('10 工矿用地');

    await page.getByTestId('color-status').check();
    await waitForMapIdle(page);
    const byStatus = await page.screenshot({ path: shotPath(app, '03-parcels-by-status') });
    expect(colourShare(byStatus, producing)).toBeGreaterThan(0.03);
    expect(colourShare(byStatus, industrial)).toBeLessThan(colourShare(byLandUse, industrial) / 5);
    const legendStatus = await page.getByTestId('legend-parcels').locator('li').allTextContents();
    expect(legendStatus).toEqual(PARCEL_STATUSES.map((s) => s.zh));
    expect(page.url()).toContain('color=status');
    await page.close();
  });

  it('opens a parcel’s record when it is clicked, with its code and area, and outlines it', async () => {
    const [p] = await app.db.query<{ id: number; code: string; area_m2: number; g: any }>(
      "SELECT id, code, area_m2, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'DTJK-0042'",
    );
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    const desktop = { width: 1440, height: 900 };
    const page = await openPage(`?c=${lon},${lat}&z=16&layers=zones,parcels`, desktop);
    // Nothing outlined before the click.
    expect(await renderedIds(page, ['parcels-selected'])).toEqual([]);
    const point = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.project([x, y]), [lon, lat]);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const panel = page.getByTestId('side-panel');
    await expect(panel.getByTestId('parcel-code').textContent()).resolves.toBe(p.code);
    await expect(panel.getByTestId('parcel-area').textContent()).resolves.toContain(formatAreaMu(p.area_m2));
    expect(page.url()).toContain(`sel=parcel:${p.id}`);
    await waitForMapIdle(page);
    expect(await renderedIds(page, ['parcels-selected'])).toEqual([p.id]);
    await page.screenshot({ path: app.target === 'postgres' ? path.join(SHOTS, '40-postgis-parcel-clicked.png') : shotPath(app, '04-parcel-panel') });

    // A copied link reopens the same view: same place, same colouring, same record.
    const url = new URL(page.url());
    const again = await openPage(url.search, desktop);
    await expect(again.getByTestId('parcel-code').textContent()).resolves.toBe(p.code);
    const [c1, c2] = await Promise.all(
      [page, again].map((pg) =>
        pg.evaluate(() => {
          const m = (window as any).__parkAtlas.map;
          return [m.getCenter().lng, m.getCenter().lat, m.getZoom()];
        }),
      ),
    );
    expect(c2[0]).toBeCloseTo(c1[0], 4);
    expect(c2[1]).toBeCloseTo(c1[1], 4);
    expect(c2[2]).toBeCloseTo(c1[2], 1);
    expect(await again.getByTestId('layer-projects').isChecked()).toBe(false);
    await page.close();
    await again.close();
  });

  it('finds a project by name, flies to it and shows its timeline', async () => {
    const page = await openPage('');
    await page.getByTestId('search-input').fill('亚新科');
    await page.getByTestId('search-results').getByText('亚新科汽车零部件制造基地一期').click();
    const panel = page.getByTestId('side-panel');
    await expect(panel.getByTestId('panel-title').textContent()).resolves.toBe('亚新科汽车零部件制造基地一期');
    await expect(panel.getByTestId('project-investment').textContent()).resolves.toBe('6.80 亿元');
    await waitForMapIdle(page);
    const zoom = await page.evaluate(() => (window as any).__parkAtlas.map.getZoom());
    expect(zoom).toBeGreaterThan(12);
    const steps = await panel.getByTestId('project-timeline').locator('li').count();
    expect(steps).toBe(6);
    // The planned and actual dates under the timeline have their column headings.
    expect(await panel.getByTestId('project-plans').locator('thead th').allTextContents()).toEqual(['节点', '计划日期', '实际日期']);
    await page.screenshot({ path: shotPath(app, '05-project-search') });
    await page.close();
  });

  it('opens a zone’s record with its counts when its outline is clicked', async () => {
    const z = await zoneView('SX-YQGX');
    const page = await openPage(`?c=${z.lon},${z.lat}&z=9&layers=zones`);
    const point = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.project([x, y]), [z.lon, z.lat]);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const panel = page.getByTestId('side-panel');
    await expect(panel.getByTestId('panel-title').textContent()).resolves.toBe('阳泉高新技术产业开发区');
    const [{ n }] = await app.db.query<{ n: number }>('SELECT count(*) AS n FROM parcels WHERE zone_id = $1', [z.id]);
    await expect(panel.getByTestId('zone-parcel-count').textContent()).resolves.toBe(n.toLocaleString('zh-CN'));
    await page.screenshot({ path: shotPath(app, '06-zone-panel') });
    await page.close();
  });

  it('colours parcels by idle status as of a date, with countdown badges and the urgent list', async () => {
    const { DEMO_AS_OF } = await import('../../data/generator.ts');
    const { assessIdleLand } = await import('../../domain/idleLand.ts');
    // A view with both an idle and an at-risk parcel: centre on an at-risk one in a zone with idle land.
    const rows = await app.db.query<any>(
      "SELECT p.*, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat FROM parcels p WHERE p.status = 'supplied' ORDER BY p.id",
    );
    const atRisk = rows.find((r) => assessIdleLand(r, DEMO_AS_OF).state === 'at_risk')!;
    const page = await openPage(`?c=${atRisk.lon},${atRisk.lat}&z=14&color=idle&asOf=${DEMO_AS_OF}&layers=zones,parcels`);
    await page.getByTestId('idle-list').getByTestId('idle-row').first().waitFor();
    await page.waitForFunction(() => (window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['idle-badges'] }).length > 0, null, { timeout: 120_000 });
    await waitForMapIdle(page);
    const state = await page.evaluate((id) => (window as any).__parkAtlas.map.getFeatureState({ source: 'parcels', sourceLayer: 'parcels', id }), atRisk.id);
    expect(state.idle).toBe('at_risk');
    const shot = await page.screenshot({ path: shotPath(app, '07-idle-land') });
    expect(colourShare(shot, '#ed8936')).toBeGreaterThan(0.002);
    expect(colourShare(shot, '#48bb78')).toBeGreaterThan(0.02);
    // The first row is the parcel idle longest; opening it shows the same judgement in its panel.
    const first = page.getByTestId('idle-row').first();
    expect(await first.getAttribute('data-state')).toBe('idle');
    await first.click();
    await expect(page.getByTestId('parcel-idle').getAttribute('data-state')).resolves.toBe('idle');
    await page.close();
  });

  it('switches to English', async () => {
    const page = await openPage('');
    await page.getByTestId('lang-switch').click();
    await expect(page.getByTestId('demo-notice').textContent()).resolves.toMatch(/illustrative/);
    expect(page.url()).toContain('lang=en');
    await expect(page.getByTestId('legend').textContent()).resolves.toContain('Industrial');
    await page.close();
  });

  it('made no request outside this server', () => {
    expect(externalRequests).toEqual([]);
  });
});
