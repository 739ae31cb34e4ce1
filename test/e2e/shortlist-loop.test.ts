/**
 * The promoter's and investor's loop (issue 13): a signed-in promoter ticks parcels in the public catalogue,
 * makes a shortlist with their contact, adds a parcel from its sheet; the investor opens the link on a phone and
 * sees each parcel's area, land use and price, the promoter's tappable phone number, a QR code, and a map with a
 * real size; an anonymous visitor never sees the promoter's controls. Desktop 1440×900 and phone 390×844.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

describe.each(browserTargets())('the shortlist loop on $name', (target) => {
  const app = useBrowserApp(target);
  const pages: Page[] = [];
  let promoter: BrowserContext;
  let phone: BrowserContext;
  let anonymous: BrowserContext;
  let link = '';
  const chosen: { id: number; code: string }[] = [];

  beforeAll(async () => {
    promoter = await contextAs(app.browser, app.server, 'promoter', DESKTOP);
    phone = await app.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    anonymous = await app.browser.newContext({ viewport: DESKTOP });
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });
  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(app.server.url + url);
    return page;
  }
  /** Waits until a public page's map has drawn the context layer's counties. */
  const mapDrawn = (page: Page) =>
    page.waitForFunction(
      () => {
        const m = (window as any).__catalogueMap;
        return m && m.getLayer('context-county-fill') && m.loaded() && !m.isMoving() && m.queryRenderedFeatures({ layers: ['context-county-fill'] }).length > 0;
      },
      null,
      { timeout: 60_000, polling: 200 },
    );
  const overflow = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);

  it('lets a signed-in promoter tick two parcels in the catalogue and make a new list with their contact', async () => {
    const page = await open(promoter, '/invest');
    const rows = page.getByTestId('parcel-list').locator('li[data-id]');
    await rows.nth(1).waitFor();
    for (const i of [0, 1]) {
      const row = rows.nth(i);
      chosen.push({ id: Number(await row.getAttribute('data-id')), code: (await row.locator('.row1 a').textContent())!.trim() });
      await row.getByTestId('pick-shortlist').check();
    }
    await expect.poll(() => page.getByTestId('picked-count').textContent()).toBe('已选 2 个地块');
    await page.getByTestId('picker-title').fill('新能源企业选址推荐');
    await expect(page.getByTestId('picker-contact-name').inputValue()).resolves.toBe('招商局');
    await page.getByTestId('picker-contact-name').fill('王经理');
    await page.getByTestId('picker-contact-phone').fill('0352-5101234');
    await page.screenshot({ path: shotPath(app, '50-catalogue-pick-1440') });
    await page.getByTestId('picker-submit').click();
    const created = page.getByTestId('picker-link');
    await created.waitFor();
    link = (await created.getAttribute('href'))!;
    expect(link).toMatch(/\/invest\/list\/[A-Za-z0-9_-]{20,}$/);
    await expect(page.getByTestId('picker-done').textContent()).resolves.toContain('已生成推介清单（2 个地块）');
    // The ticks are cleared once they are on a list.
    await expect(page.getByTestId('pick-shortlist').first().isChecked()).resolves.toBe(false);
    await page.screenshot({ path: shotPath(app, '51-catalogue-list-made-1440') });
    const [row] = await app.db.query<{ parcel_ids: number[]; contact_name: string; contact_phone: string }>(
      'SELECT parcel_ids, contact_name, contact_phone FROM shortlists WHERE token = $1',
      [link.split('/').pop()],
    );
    expect(row).toEqual({ parcel_ids: chosen.map((c) => c.id), contact_name: '王经理', contact_phone: '0352-5101234' });
  });

  it('opens the list on a phone: both parcels with their area, land use and price, the contact to tap, the map and a QR code', async () => {
    const page = await open(phone, new URL(link).pathname);
    await page.getByTestId('shortlist-page').waitFor();
    const items = page.getByTestId('shortlist-list').locator('li[data-id]');
    await expect.poll(() => items.evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-id'))))).toEqual(chosen.map((c) => c.id));
    const areas = await app.db.query<{ area_m2: number; land_price_wan: number | null; land_price_internal: boolean }>(
      'SELECT area_m2, land_price_wan, land_price_internal FROM parcels WHERE id = ANY($1::int[]) ORDER BY array_position($1::int[], id)',
      [chosen.map((c) => c.id)],
    );
    for (const [i, p] of areas.entries()) {
      // 1 亩 = 10000/15 m²: the area in 亩 is m² × 0.0015, in two decimals.
      const m2 = Math.round(p.area_m2 * 10) / 10; // the public API's area, to 0.1 m²
      const mu = m2 * 0.0015;
      const text = (await items.nth(i).getByTestId('parcel-area').textContent())!;
      expect(text).toBe(
        `${mu.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 亩（${Math.round(m2).toLocaleString('en-US')} m²）`,
      );
      await expect(items.nth(i).locator('[data-fact="land_use"]').textContent()).resolves.toMatch(/^\d{2,6} \S+/);
      const price = (await items.nth(i).locator('[data-fact="price"]').textContent())!;
      if (p.land_price_internal || p.land_price_wan === null) expect(price).toBe('面议');
      else expect(price).toMatch(/万元|亿元/);
    }
    const contact = page.getByTestId('shortlist-contact');
    await expect(contact.textContent()).resolves.toContain('王经理');
    await expect(page.getByTestId('shortlist-contact-tel').getAttribute('href')).resolves.toBe('tel:03525101234');
    await expect(page.getByTestId('shortlist-qr').locator('svg').count()).resolves.toBe(1);
    // The map has a real size and nothing is wider than the screen.
    await mapDrawn(page);
    const map = (await page.getByTestId('shortlist-map-pane').boundingBox())!;
    expect(map.width).toBeGreaterThan(300);
    expect(map.height).toBeGreaterThan(300);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '52-shortlist-390'), fullPage: true });
    // The page scrolls in its main pane: the list's cards as the investor scrolls to them.
    await items.nth(0).scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(app, '52b-shortlist-list-390') });
  });

  it('adds a parcel to the list from its sheet, and the same link shows three', async () => {
    const page = await open(promoter, '/invest');
    const rows = page.getByTestId('parcel-list').locator('li[data-id]');
    await rows.nth(2).waitFor();
    const third = Number(await rows.nth(2).getAttribute('data-id'));
    await rows.nth(2).locator('.row1 a').click();
    await page.getByTestId('parcel-sheet').waitFor();
    await page.getByTestId('sheet-pick-shortlist').check();
    await page.getByTestId('picker-extend').check();
    await expect.poll(() => page.getByTestId('picker-list').locator('option:checked').textContent()).toBe('新能源企业选址推荐（2）');
    await page.getByTestId('picker-submit').click();
    await expect.poll(() => page.getByTestId('picker-done').textContent()).toContain('已加入 1 个地块，清单现有 3 个');
    await expect(page.getByTestId('picker-link').getAttribute('href')).resolves.toBe(link);
    await page.screenshot({ path: shotPath(app, '53-sheet-extend-1440') });

    const investor = await open(phone, new URL(link).pathname);
    await expect
      .poll(() =>
        investor
          .getByTestId('shortlist-list')
          .locator('li[data-id]')
          .evaluateAll((li) => li.map((l) => Number(l.getAttribute('data-id')))),
      )
      .toEqual([...chosen.map((c) => c.id), third]);
    // On a desktop screen, and on paper.
    const desk = await open(anonymous, new URL(link).pathname);
    await desk.getByTestId('shortlist-page').waitFor();
    await mapDrawn(desk);
    expect(await overflow(desk)).toBeLessThanOrEqual(0);
    await desk.screenshot({ path: shotPath(app, '54-shortlist-1440') });
    await desk.emulateMedia({ media: 'print' });
    await expect(desk.getByTestId('shortlist-copy').isVisible()).resolves.toBe(false);
    await desk.screenshot({ path: shotPath(app, '55-shortlist-print'), fullPage: true });
  });

  it('never shows the promoter’s controls to an anonymous visitor, who asks only the public API', async () => {
    const asked: string[] = [];
    const page = await anonymous.newPage();
    pages.push(page);
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) asked.push(u.pathname);
    });
    await page.goto(`${app.server.url}/invest`);
    await page.getByTestId('parcel-list').locator('li[data-id]').first().waitFor();
    await expect(page.getByTestId('pick-shortlist').count()).resolves.toBe(0);
    await expect(page.getByTestId('shortlist-picker').count()).resolves.toBe(0);
    await expect(page.locator('meta[name="park-atlas-promoter"]').count()).resolves.toBe(0);
    await page.getByTestId('parcel-list').locator('li[data-id] .row1 a').first().click();
    await page.getByTestId('parcel-sheet').waitFor();
    await expect(page.getByTestId('sheet-pick-shortlist').count()).resolves.toBe(0);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((p) => !p.startsWith('/api/public/'))).toEqual([]);
  });
});
