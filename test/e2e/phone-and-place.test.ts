/**
 * What people see (issue 13): the offline context layer (province, cities, counties) on the internal map and
 * the public maps, and the pages at a phone's size (390×844): maps with a real size, nothing wider than the
 * screen, parcels that can be opened, filters in a drawer, tappable phone numbers, a shortlist's link and QR.
 * Screenshots land in test-output/e2e/ for people to look at.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { waitForMapIdle } from '../helpers/browser.ts';
import { ringCentre } from '../helpers/geo.ts';
import { contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

const app = useBrowserApp();
const pages: Page[] = [];
let signedIn: BrowserContext;
let phoneVisitor: BrowserContext;
const externalRequests: string[] = [];

beforeAll(async () => {
  signedIn = await contextAs(app.browser, app.server, 'viewer', DESKTOP);
  phoneVisitor = await app.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
});

async function newPage(context: BrowserContext, viewport?: { width: number; height: number }): Promise<Page> {
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
  return page;
}

/** The size of the visible map canvas in CSS pixels (the element, not its backing store). */
const canvasSize = (page: Page, testid: string) =>
  page
    .getByTestId(testid)
    .locator('canvas.maplibregl-canvas')
    .evaluate((c) => {
      const r = c.getBoundingClientRect();
      return { width: r.width, height: r.height };
    });
const overflow = (page: Page) => page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));

/** Waits until a public page's map has loaded and drawn the context layer's counties. */
async function waitForPublicMap(page: Page, global = '__catalogueMap') {
  await page.waitForFunction(
    (name) => {
      const m = (window as any)[name];
      return m && m.getLayer('context-county-fill') && m.loaded() && !m.isMoving() && m.queryRenderedFeatures({ layers: ['context-county-fill'] }).length > 0;
    },
    global,
    { timeout: 60_000, polling: 200 },
  );
}

async function zoneAt(code: string) {
  const [z] = await app.db.query<{ id: number; county: string; city: string; lon: number; lat: number }>(
    `SELECT id, county, city, ST_X(p) AS lon, ST_Y(p) AS lat
       FROM (SELECT id, county, city, ST_PointOnSurface((SELECT d.geom FROM ST_Dump(geom) d ORDER BY ST_Area(d.geom) DESC LIMIT 1)) AS p FROM zones WHERE code = $1) s`,
    [code],
  );
  return z;
}

describe('the context layer', () => {
  it('draws the province, its cities and counties under the zones, and names the county a zone lies in', async () => {
    const page = await newPage(signedIn);
    await page.goto(`${app.server.url}/`);
    await waitForMapIdle(page);
    const style = await page.evaluate(() => {
      const map = (window as any).__parkAtlas.map;
      const ids: string[] = map.getStyle().layers.map((l: any) => l.id);
      return {
        hasSource: !!map.getSource('context'),
        countyFill: ids.indexOf('context-county-fill'),
        zonesFill: ids.indexOf('zones-fill'),
        parcelsFill: ids.indexOf('parcels-fill'),
      };
    });
    expect(style.hasSource).toBe(true);
    // Under the zones and the parcels.
    expect(style.countyFill).toBeGreaterThanOrEqual(0);
    expect(style.countyFill).toBeLessThan(style.zonesFill);
    expect(style.countyFill).toBeLessThan(style.parcelsFill);
    // At province scale: the 11 cities' seats are drawn, and named where the zones' names leave room (labels
    // come a frame or two after the first idle; zone names win a collision).
    const seats: string[] = await page.evaluate(() =>
      [...new Set<string>((window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['context-city-seats'] }).map((f: any) => f.properties.name))].sort(),
    );
    expect(seats).toEqual(['临汾市', '吕梁市', '大同市', '太原市', '忻州市', '晋中市', '晋城市', '朔州市', '运城市', '长治市', '阳泉市'].sort());
    await expect
      .poll(
        () =>
          page.evaluate(
            () => new Set((window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['context-city-labels'] }).map((f: any) => f.properties.name)).size,
          ),
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(() => page.evaluate(() => (window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['zone-labels'] }).length), { timeout: 60_000 })
      .toBeGreaterThan(10);
    await page.screenshot({ path: shotPath(app, '40-province-context-1440') });

    // The county under each of three demo zones is the county the zone's record names (current divisions).
    for (const code of ['SX-DTJK', 'SX-JZNG', 'SX-YGKF']) {
      const z = await zoneAt(code);
      await page.evaluate(([lon, lat]) => (window as any).__parkAtlas.map.jumpTo({ center: [lon, lat], zoom: 11 }), [z.lon, z.lat]);
      await waitForMapIdle(page);
      const hit = await page.evaluate(
        ([lon, lat]) => {
          const map = (window as any).__parkAtlas.map;
          return map
            .queryRenderedFeatures(map.project([lon, lat]), { layers: ['context-county-fill'] })
            .map((f: any) => ({ name: f.properties.name, city: f.properties.city }));
        },
        [z.lon, z.lat],
      );
      expect(hit, code).toEqual([{ name: z.county, city: z.city }]);
    }
    await page.screenshot({ path: shotPath(app, '41-zone-with-counties-1440') });
    expect(externalRequests).toEqual([]);
  });

  it('names places in English in English mode, and can be switched off', async () => {
    const z = await zoneAt('SX-JZKF');
    const page = await newPage(signedIn);
    await page.goto(`${app.server.url}/?c=${z.lon},${z.lat}&z=9&lang=en`);
    await waitForMapIdle(page);
    await expect
      .poll(
        () => page.evaluate(() => (window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['context-city-labels', 'context-county-labels'] }).length),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    const textField = await page.evaluate(() => JSON.stringify((window as any).__parkAtlas.map.getLayoutProperty('context-county-labels', 'text-field')));
    expect(textField).toContain('name_en');
    await page.getByTestId('layer-context').uncheck();
    await expect.poll(() => page.evaluate(() => (window as any).__parkAtlas.map.getLayoutProperty('context-county-fill', 'visibility'))).toBe('none');
    expect(page.url()).toContain('ctx=0');
  });
});

describe('at a phone’s size (390×844)', () => {
  it('the catalogue stacks its map over its list, keeps its filters in a drawer, and opens a parcel’s sheet', async () => {
    const page = await newPage(phoneVisitor);
    await page.goto(`${app.server.url}/invest`);
    await page.getByTestId('match-count').locator('strong').waitFor();
    await waitForPublicMap(page);
    const map = await canvasSize(page, 'catalogue-map');
    expect(map.width).toBeGreaterThan(300);
    expect(map.height).toBeGreaterThan(300);
    const o = await overflow(page);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.innerWidth);
    // The list is as wide as the screen, under the map.
    const list = (await page.getByTestId('parcel-list').boundingBox())!;
    const mapBox = (await page.getByTestId('catalogue-map').boundingBox())!;
    expect(list.width).toBeGreaterThan(PHONE.width - 20);
    expect(list.y).toBeGreaterThanOrEqual(mapBox.y + mapBox.height - 1);
    await page.screenshot({ path: shotPath(app, '42-catalogue-390') });

    // Filters: off screen until the drawer is opened.
    const filters = page.getByTestId('filters');
    expect((await filters.boundingBox())!.x + (await filters.boundingBox())!.width).toBeLessThanOrEqual(0);
    await page.getByTestId('filters-open').click();
    await expect.poll(async () => (await filters.boundingBox())!.x).toBe(0);
    await page.screenshot({ path: shotPath(app, '43-catalogue-filters-390') });
    await page.getByTestId('filters-close').click();
    await expect.poll(async () => (await filters.boundingBox())!.x + (await filters.boundingBox())!.width).toBeLessThanOrEqual(0);

    // Open the first parcel of the list by tapping it.
    const first = page.getByTestId('parcel-list').locator('li[data-id] a').first();
    const code = await first.textContent();
    await first.tap();
    await page.getByTestId('parcel-sheet').waitFor();
    await expect(page.getByTestId('sheet-code').textContent()).resolves.toContain(code!);
    await waitForPublicMap(page);
    const sheetMap = await canvasSize(page, 'sheet-map');
    expect(sheetMap.width).toBeGreaterThan(300);
    expect(sheetMap.height).toBeGreaterThan(250);
    const o2 = await overflow(page);
    expect(o2.scrollWidth).toBeLessThanOrEqual(o2.innerWidth);
    // A phone number to tap.
    const [zone] = await app.db.query<{ contact_phone: string }>('SELECT z.contact_phone FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.code = $1', [
      code,
    ]);
    expect(zone.contact_phone).toBeTruthy();
    await expect(page.getByTestId('sheet-tel').getAttribute('href')).resolves.toBe(`tel:${zone.contact_phone.replace(/[^\d+]/g, '')}`);
    // The overview inset: the zone within its city, with the zone's county named.
    await page.waitForFunction(
      () => {
        const m = (window as any).__overviewMap;
        return m && m.loaded() && m.queryRenderedFeatures({ layers: ['counties'] }).length > 0;
      },
      null,
      { timeout: 60_000 },
    );
    const [{ city, county }] = await app.db.query<{ city: string; county: string }>(
      'SELECT z.city, z.county FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.code = $1',
      [code],
    );
    await expect(page.getByTestId('sheet-overview').locator('figcaption').textContent()).resolves.toBe(`${city} · ${county}`);
    const shaded: string[] = await page.evaluate(() => {
      const m = (window as any).__overviewMap;
      return m.queryRenderedFeatures({ layers: ['counties'] }).map((f: any) => f.properties.city);
    });
    expect(new Set(shaded)).toEqual(new Set([city]));
    await page.waitForTimeout(500);
    await page.screenshot({ path: shotPath(app, '44-sheet-390'), fullPage: true });
  });

  it('a shared shortlist shows its map and list, a copy-link button, a QR code and phone numbers', async () => {
    const promoter = await app.server.as('promoter');
    const ids = (await app.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 3")).map((r) => r.id);
    const created = await promoter.send('POST', '/api/shortlists', { title: '新能源企业选址', note: null, parcel_ids: ids });
    expect(created.status).toBe(201);
    const page = await newPage(phoneVisitor);
    await page.goto(`${app.server.url}/invest/list/${created.body.token}`);
    await page.getByTestId('shortlist-page').waitFor();
    await waitForPublicMap(page);
    const map = await canvasSize(page, 'shortlist-map-pane');
    expect(map.width).toBeGreaterThan(300);
    expect(map.height).toBeGreaterThan(300);
    const o = await overflow(page);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.innerWidth);
    await expect(page.getByTestId('shortlist-list').locator('li[data-id]').count()).resolves.toBe(3);
    await expect(page.getByTestId('shortlist-qr').locator('svg').count()).resolves.toBe(1);
    await expect(page.getByTestId('shortlist-copy').isVisible()).resolves.toBe(true);
    const tels = await page.getByTestId('shortlist-tel').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tels).toHaveLength(3);
    for (const href of tels) expect(href).toMatch(/^tel:\+?\d{7,}$/);
    await page.screenshot({ path: shotPath(app, '45-shortlist-390'), fullPage: true });
    // A parcel opens from the list.
    await page.getByTestId('shortlist-list').locator('li[data-id] a').first().tap();
    await page.getByTestId('parcel-sheet').waitFor();
  });

  it('the comparison scrolls its table, not the page', async () => {
    const ids = (await app.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 4")).map((r) => r.id);
    const page = await newPage(phoneVisitor);
    await page.goto(`${app.server.url}/invest/compare?ids=${ids.join(',')}`);
    await page.getByTestId('compare-code').nth(3).waitFor();
    const o = await overflow(page);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.innerWidth);
  });

  it('the internal map keeps the screen for the map: tools and legend fold, a parcel opens in a bottom sheet', async () => {
    const phone = await contextAs(app.browser, app.server, 'viewer', PHONE);
    const [p] = await app.db.query<{ id: number; code: string; g: any }>(
      "SELECT id, code, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'DTJK-0042'",
    );
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    const page = await newPage(phone);
    await page.goto(`${app.server.url}/?c=${lon},${lat}&z=16`);
    await waitForMapIdle(page);
    const map = await canvasSize(page, 'map');
    expect(map.width).toBeGreaterThan(300);
    expect(map.height).toBeGreaterThan(600);
    const o = await overflow(page);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.innerWidth);
    // The header is one row; the tools and the legend are folded until asked for.
    expect((await page.locator('header.toolbar').boundingBox())!.height).toBeLessThan(70);
    await expect(page.getByTestId('tools').isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('legend').count()).resolves.toBe(0);
    await page.getByTestId('tools-toggle').click();
    await expect(page.getByTestId('layer-toggles').isVisible()).resolves.toBe(true);
    await page.getByTestId('tools-toggle').click();
    await page.getByTestId('legend-toggle').click();
    await expect(page.getByTestId('legend').isVisible()).resolves.toBe(true);
    await page.getByTestId('legend-toggle').click();

    // Tap the parcel: its record opens as a sheet over the lower part of the map.
    const point = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.project([x, y]), [lon, lat]);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const panel = page.getByTestId('side-panel');
    await expect(panel.getByTestId('parcel-code').textContent()).resolves.toBe(p.code);
    const sheet = (await panel.boundingBox())!;
    expect(sheet.width).toBeGreaterThan(PHONE.width - 2);
    expect(sheet.y).toBeGreaterThan(PHONE.height * 0.4);
    expect(page.url()).toContain(`sel=parcel:${p.id}`);
    // The map ends above the sheet, with the tapped parcel in it.
    await waitForMapIdle(page);
    const mapBox = (await page.getByTestId('map').boundingBox())!;
    expect(mapBox.y + mapBox.height).toBeLessThanOrEqual(sheet.y + 1);
    expect(mapBox.height).toBeGreaterThan(300);
    const after = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.project([x, y]), [lon, lat]);
    expect(mapBox.y + after.y).toBeLessThan(sheet.y - 20);
    await page.waitForTimeout(500);
    const shot = await page.screenshot({ path: shotPath(app, '46-map-parcel-390') });
    // What a person sees above the sheet is the map, not a blank (a screenshot once showed it white): where
    // MapLibre says a parcel is drawn, the screenshot's pixel has a parcel's colour, neither white nor the
    // map's background.
    const agreement = await page.evaluate(
      async ({ png, box }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${png}`;
        await img.decode();
        const c = document.createElement('canvas');
        [c.width, c.height] = [img.width, img.height];
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const map = (window as any).__parkAtlas.map;
        let parcelPoints = 0;
        let coloured = 0;
        let all = 0;
        for (let x = 10; x < box.width - 10; x += 12) {
          for (let y = 10; y < box.height - 10; y += 12) {
            all++;
            if (!map.queryRenderedFeatures([x, y], { layers: ['parcels-fill'] }).length) continue;
            parcelPoints++;
            const [r, gr, b] = g.getImageData(Math.round(box.x + x), Math.round(box.y + y), 1, 1).data;
            const white = r > 248 && gr > 248 && b > 248;
            const background = Math.abs(r - 0xf3) < 6 && Math.abs(gr - 0xf1) < 6 && Math.abs(b - 0xec) < 6;
            if (!white && !background) coloured++;
          }
        }
        return { all, parcelPoints, coloured };
      },
      { png: shot.toString('base64'), box: mapBox },
    );
    expect(agreement.parcelPoints / agreement.all).toBeGreaterThan(0.2);
    expect(agreement.coloured / agreement.parcelPoints).toBeGreaterThan(0.9);
    await phone.close();
  });
});
