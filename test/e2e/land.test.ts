import { todayIso } from '../../domain/dates.ts';
/** The land dashboard in a real browser: the page shows the numbers the API returns. */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from '../../domain/format.ts';
import { SHOTS, contextAs as signedInContext, useBrowserApp } from '../helpers/browserApp.ts';

const shots = SHOTS;
const app = useBrowserApp();

async function adminPage(path: string) {
  const context = await signedInContext(app.browser, app.server, 'admin', { width: 1400, height: 900 });
  const page = await context.newPage();
  await page.goto(`${app.server.url}${path}`);
  return { context, page };
}

describe('亩均论英雄 on the map', () => {
  it('colours parcels by class, outlines an enterprise’s parcels, and previews a changed scheme before saving it', async () => {
    const admin = await app.server.as('admin');
    const api = (await admin.json('/api/land/mujun')).body;
    const top = api.rated[0];
    const [p] = await app.db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels WHERE id = $1',
      [top.parcel_ids[0]],
    );
    const { context, page } = await adminPage(`/?c=${p.lon},${p.lat}&z=15&color=mujun&layers=zones,parcels`);
    await page.getByTestId('mujun-row').first().waitFor();
    // What a score above 100 and the ⚠ mean is said under the ranking.
    const note = await page.getByTestId('mujun-score-note').textContent();
    expect(note).toContain('高于 100 分表示高于平均');
    expect(note).toContain('⚠ 安全、环保或能耗检查未通过');
    const chips = await page
      .getByTestId('mujun-classes')
      .locator('[data-class]')
      .evaluateAll((els) => els.map((e) => e.textContent!.trim()));
    expect(chips).toEqual(['A', 'B', 'C', 'D'].map((c) => `${c} ${api.classes[c]}`));
    await page.waitForFunction(
      (id) => (window as any).__parkAtlas.map.getFeatureState({ source: 'parcels', sourceLayer: 'parcels', id }).mujun === 'A',
      top.parcel_ids[0],
    );

    await page.getByTestId('mujun-row').first().click();
    const filter = await page.evaluate(() => JSON.stringify((window as any).__parkAtlas.map.getFilter('parcels-selected')));
    for (const id of top.parcel_ids) expect(filter).toContain(String(id));
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(shots, '31-mujun-map.png') });

    // Choropleth of one 亩均 value: quintiles over the rated enterprises, each parcel in its class, a legend of ranges.
    const mapped = (await admin.json('/api/land/mujun?measure=tax_per_mu')).body.map.values;
    expect(mapped.breaks).toHaveLength(4);
    const q = mapped.parcels.findIndex((ids: number[]) => ids.includes(top.parcel_ids[0]));
    expect(q).toBeGreaterThanOrEqual(0);
    await page.getByTestId('mujun-measure').selectOption('tax_per_mu');
    await page.waitForFunction(
      ([id, cls]) => (window as any).__parkAtlas.map.getFeatureState({ source: 'parcels', sourceLayer: 'parcels', id }).mujunq === cls,
      [top.parcel_ids[0], q],
    );
    const legend = await page.getByTestId('legend-parcels').locator('li').allTextContents();
    expect(legend).toHaveLength(6);
    expect(legend[0]).toContain(`< ${formatNumber(mapped.breaks[0], 1, 'zh')} 万元/亩`);
    expect(legend[4]).toContain(`≥ ${formatNumber(mapped.breaks[3], 1, 'zh')}`);
    const fill = await page.evaluate(() => JSON.stringify((window as any).__parkAtlas.map.getPaintProperty('parcels-fill', 'fill-color')));
    expect(fill).toContain('mujunq');
    await page.waitForTimeout(600);
    await page.screenshot({ path: path.join(shots, '33-mujun-choropleth.png') });
    await page.getByTestId('mujun-measure').selectOption('class');
    await expect.poll(() => page.getByTestId('legend-parcels').locator('li').first().textContent()).toContain('A 类');

    // What-if: a higher land threshold leaves more small firms unrated; nothing is saved yet.
    await page.getByTestId('mujun-edit-scheme').click();
    await page.getByTestId('mujun-threshold').fill('20');
    await page.getByTestId('mujun-preview').click();
    await expect.poll(() => page.getByTestId('mujun-list').locator('h2').textContent()).toContain('预览');
    const previewCount = await page.getByTestId('mujun-row').count();
    expect((await admin.json('/api/land/mujun/scheme')).body.version).toBe(0);
    await page.getByTestId('mujun-save').click();
    await expect.poll(async () => (await admin.json('/api/land/mujun/scheme')).body).toMatchObject({ version: 1, scheme: { sizeThresholdMu: 20 } });
    const after = (await admin.json('/api/land/mujun')).body;
    expect(after.not_rated_total).toBeGreaterThan(api.not_rated_total);
    expect(previewCount).toBe(Math.min(200, after.rated_total));
    await context.close();
  });
});

describe('draw an area, get its figures', () => {
  it('computes a drawn polygon in the browser, and a whole zone as the server does', async () => {
    const [zone] = await app.db.query<{ id: number; lon: number; lat: number }>(
      "SELECT id, ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM zones WHERE code = 'SX-QXJK'",
    );
    const [inner] = await app.db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE z.code = 'SX-QXJK' ORDER BY p.id LIMIT 1 OFFSET 40",
    );
    const { context, page } = await adminPage(`/?c=${inner.lon},${inner.lat}&z=13.5&layers=zones,parcels`);
    await page.getByTestId('map').waitFor();
    await page.waitForFunction(() => (window as any).__parkAtlas?.map?.getLayer('parcels-fill'));
    await page.getByTestId('start-analyse').click();
    await page.getByTestId('area-analysis').waitFor();
    // Draw a square round the centre: four clicks and a click on the first point.
    const box = (await page.getByTestId('map').boundingBox())!;
    const cx = box.x + (box.width - 400) / 2;
    const cy = box.y + box.height / 2;
    const corners = [
      [-150, -120],
      [150, -120],
      [150, 120],
      [-150, 120],
      [-150, -120],
    ];
    for (const [dx, dy] of corners) {
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(200);
    }
    const figures = page.getByTestId('area-figures');
    await figures.waitFor();
    const count = await figures.locator('[data-key="parcel-area"]').textContent();
    expect(Number(count!.match(/（(\d+)/)![1])).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(shots, '32-area-analysis.png') });

    // A buffer round a clicked point: the circle is centred where the user clicked.
    await page.getByTestId('analyse-pick-centre').click();
    await page.getByTestId('analyse-picking').waitFor();
    const clicked = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.unproject([x, y]).toArray(), [cx - box.x + 60, cy - box.y - 40]);
    await page.mouse.click(cx + 60, cy - 40);
    await page.waitForSelector('[data-testid="area-analysis"][data-centre]');
    const centre = (await page.getByTestId('area-analysis').getAttribute('data-centre'))!.split(',').map(Number);
    // Within a pixel of the click (about 10 m at this zoom).
    expect(Math.abs(centre[0] - clicked[0])).toBeLessThan(1e-4);
    expect(Math.abs(centre[1] - clicked[1])).toBeLessThan(1e-4);
    await expect.poll(async () => Number((await figures.locator('[data-key="parcel-area"]').textContent())?.match(/（(\d+)/)?.[1] ?? 0)).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, '34-area-circle.png') });

    // A whole zone: the idle ratio equals the server's for the zone (the same rule, the same land).
    await page.getByTestId('analyse-zone').selectOption(String(zone.id));
    const dash = (await (await app.server.as('admin')).json(`/api/land/dashboard?zone=${zone.id}`)).body.zones[0];
    const expected = formatPercent(dash.indicators.find((i: any) => i.key === 'idle_ratio').value);
    await expect.poll(() => figures.locator('[data-key="idle"]').textContent()).toBe(expected);
    await context.close();
  });
});

describe('land dashboard', () => {
  it('shows the indicators the API computes, for all zones and for one, with a chart', async () => {
    const context = await signedInContext(app.browser, app.server, 'landbureau', { width: 1400, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/land`);
    await page.getByTestId('indicators').locator('tr').first().waitFor();
    const today = todayIso(); // China's date, as the page's
    const api = (await app.server.as('landbureau').then((c) => c.json(`/api/land/dashboard?asOf=${today}`))).body;
    const shown = async () =>
      Object.fromEntries(
        await page
          .getByTestId('indicators')
          .locator('tr')
          .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), r.querySelectorAll('td')[1].textContent!.trim()])),
      );
    const expected = (block: any) =>
      Object.fromEntries(
        block.indicators.map((i: any) => [
          i.key,
          // Money per area per 亩 as on the map panels: the API's 万元/公顷 ÷ 15 (1 公顷 = 15 亩).
          i.value === null
            ? '—'
            : i.unit === '%'
              ? formatPercent(i.value)
              : i.unit === '万元/公顷'
                ? `${formatNumber(i.value / 15, 2)} 万元/亩`
                : formatNumber(i.value, 2),
        ]),
      );
    expect(await shown()).toEqual(expected(api.all));
    // No 万元/公顷 on the page's face; it is the hover text of the per-亩 figure.
    expect(await page.getByTestId('indicators').textContent()).not.toContain('公顷');
    const tax = api.all.indicators.find((i: any) => i.key === 'tax_per_area');
    expect(await page.getByTestId('indicators').locator('tr[data-key="tax_per_area"] td').nth(1).getAttribute('title')).toContain(
      `${formatNumber(tax.value, 2)} 万元/公顷`,
    );
    expect(await page.getByTestId('chart-land-use').locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, '30-land-dashboard.png') });

    const zone = api.zones.find((z: any) => z.zone_name === '大同经济技术开发区');
    await page.getByTestId('dashboard-zone').selectOption(String(zone.zone_id));
    await expect.poll(shown).toEqual(expected(zone));
    // Ranked by idle ratio: highest first.
    const values = await page.getByTestId('ranking').locator('tbody tr td:nth-child(3)').allTextContents();
    const numbers = values.filter((v) => v !== '—').map((v) => Number(v.replace(/[%,]/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    // Two zones side by side: every indicator as the API gives it.
    const [first, second] = api.zones.slice(0, 2);
    await page
      .getByTestId('compare-zone')
      .and(page.getByLabel(first.zone_name, { exact: true }))
      .check();
    await page
      .getByTestId('compare-zone')
      .and(page.getByLabel(second.zone_name, { exact: true }))
      .check();
    const compare = page.getByTestId('zone-compare');
    await compare.waitFor();
    expect(await compare.locator('thead th[data-zone]').allTextContents()).toEqual([first.zone_name, second.zone_name]);
    const cells = Object.fromEntries(
      await compare
        .locator('tbody tr[data-key]')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim())])),
    );
    const one = expected(first);
    const two = expected(second);
    for (const key of Object.keys(one)) expect(cells[key], key).toEqual([one[key], two[key]]);
    await compare.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, '35-zones-compared.png') });
    await context.close();
  });

  it('fits a phone: its sections stack in one column and nothing runs off the side', async () => {
    const context = await signedInContext(app.browser, app.server, 'landbureau', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/land`);
    await page.getByTestId('indicators').locator('tr').first().waitFor();
    const dash = page.getByTestId('land-dashboard');
    // The page scrolls inside .dash: nothing may be wider than it (the zone picker, a table, a chart).
    expect(await dash.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const [landUse, supply] = await dash
      .locator('.grid > section')
      .evaluateAll((sections) => sections.slice(0, 2).map((s) => s.getBoundingClientRect().toJSON() as DOMRect));
    expect(supply.left).toBe(landUse.left);
    expect(supply.top).toBeGreaterThanOrEqual(landUse.bottom);
    expect(landUse.right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, '36-land-dashboard-phone.png') });
    await context.close();
  });
});
