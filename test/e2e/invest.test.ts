/**
 * The public investor pages in a real browser, as an anonymous visitor: filters and counts, map and list in
 * step, the parcel sheet and its PDF, comparison, shortlists — and no request to an internal route.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../server/db/types.ts';
import type { TestServer } from '../helpers/server.ts';
import { SHOTS, contextAs as signedInContext, startBrowserApp, stopBrowserApp } from '../helpers/browserApp.ts';

const shots = SHOTS;
let db: Db;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
const apiRequests: string[] = [];

beforeAll(async () => {
  ({ db, server, browser } = await startBrowserApp());
  context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) apiRequests.push(u.pathname);
  });
});
afterAll(async () => {
  await stopBrowserApp({ db, server, browser });
});

async function waitForCatalogue(page: Page) {
  await page.waitForFunction(
    () => {
      const m = (window as any).__catalogueMap;
      return m && m.getLayer('parcel-dots') && m.loaded() && m.areTilesLoaded() && !m.isMoving();
    },
    null,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(300);
}
const countOf = async (page: Page) => Number(await page.getByTestId('match-count').locator('strong').getAttribute('data-count'));
const renderedIds = (page: Page) =>
  page.evaluate(() =>
    [...new Set((window as any).__catalogueMap.queryRenderedFeatures({ layers: ['parcel-dots', 'parcels-fill'] }).map((f: any) => Number(f.id)))].sort(
      (a: any, b: any) => a - b,
    ),
  );

describe('the investor catalogue', () => {
  it('filters change the count, the list and the map together', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/invest`);
    await page.getByTestId('match-count').locator('strong').waitFor();
    await waitForCatalogue(page);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM parcels WHERE status = 'available'");
    expect(await countOf(page)).toBe(n);

    const [datong] = await db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await page.getByTestId('filter-zone').selectOption(String(datong.id));
    await page.waitForFunction((before) => Number(document.querySelector('[data-testid="match-count"] strong')?.getAttribute('data-count')) !== before, n);
    await waitForCatalogue(page);
    const [{ n: inDatong }] = await db.query<{ n: number }>(
      "SELECT count(*) AS n FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.status = 'available' AND z.code = 'SX-DTJK'",
    );
    expect(await countOf(page)).toBe(inDatong);
    const listIds = (
      await page
        .getByTestId('parcel-list')
        .locator('li[data-id]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))
    ).sort((a, b) => a - b);
    expect(listIds).toHaveLength(inDatong);
    expect(await renderedIds(page)).toEqual(listIds);

    await page.getByTestId('filter-standard').check();
    await page.waitForFunction((before) => Number(document.querySelector('[data-testid="match-count"] strong')?.getAttribute('data-count')) < before, inDatong);
    await waitForCatalogue(page);
    const standardIds = (
      await page
        .getByTestId('parcel-list')
        .locator('li[data-id]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))
    ).sort((a, b) => a - b);
    expect(await renderedIds(page)).toEqual(standardIds);
    expect(page.url()).toContain('standard=1');

    // Hover a row: its parcel lights up on the map.
    const row = page.getByTestId('parcel-list').locator('li[data-id]').first();
    const id = Number(await row.getAttribute('data-id'));
    await row.hover();
    const state = await page.evaluate((pid) => (window as any).__catalogueMap.getFeatureState({ source: 'centres', id: pid }), id);
    expect(state.hover).toBe(true);
    // A single checklist item narrows the list the same way on the server.
    const before = await countOf(page);
    await page.locator('details.items summary').click();
    await page.getByTestId('filter-infra-sewage').check();
    await page.waitForFunction(() => location.search.includes('infra=sewage'));
    await page.waitForTimeout(500);
    const [{ n: withSewage }] = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM parcels p JOIN zones z ON z.id = p.zone_id
       WHERE p.status = 'available' AND z.code = 'SX-DTJK' AND p.is_standard_land AND (p.infrastructure->>'sewage')::boolean`,
    );
    expect(await countOf(page)).toBe(withSewage);
    expect(withSewage).toBeLessThan(before);
    await page.getByTestId('filter-factories').check();
    await page.getByTestId('factory-row').first().waitFor();
    await page.screenshot({ path: path.join(shots, '20-catalogue.png') });
    await page.close();
  });

  it('shows every indicator on the parcel sheet, with a QR code, and prints it to a PDF with the code', async () => {
    const [p] = await db.query<{ id: number; code: string; min_investment_intensity_wan_per_mu: number; environment_standard: string }>(
      "SELECT id, code, min_investment_intensity_wan_per_mu, environment_standard FROM parcels WHERE status = 'available' AND is_standard_land ORDER BY id LIMIT 1",
    );
    const page = await context.newPage();
    await page.goto(`${server.url}/invest/parcel/${p.id}`);
    await page.getByTestId('parcel-sheet').waitFor();
    await page.waitForFunction(() => (window as any).__catalogueMap?.loaded() && (window as any).__catalogueMap.areTilesLoaded());
    await expect(page.getByTestId('sheet-code').textContent()).resolves.toContain(p.code);
    const facts = await page
      .getByTestId('sheet-facts')
      .locator('tr')
      .evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-fact'), r.querySelector('td')!.textContent!.trim()])));
    for (const key of [
      'code',
      'location',
      'area',
      'land_use',
      'intensity',
      'far',
      'tax',
      'energy',
      'environment',
      'coverage',
      'green',
      'admin',
      'infrastructure',
      'price',
      'industry',
    ]) {
      expect(facts[key], key).toBeTruthy();
      expect(facts[key], key).not.toBe('—');
    }
    expect(facts.intensity).toBe(`≥ ${p.min_investment_intensity_wan_per_mu} 万元/亩`);
    expect(facts.environment).toBe(p.environment_standard);
    expect(await page.getByTestId('sheet-qr').locator('svg').count()).toBe(1);
    await expect(page.getByTestId('sheet-contact').textContent()).resolves.toMatch(/^0\d{2,3}-\d{7}$/);
    await page.screenshot({ path: path.join(shots, '21-parcel-sheet.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pdfPath = path.join(shots, '22-parcel-sheet.pdf');
    writeFileSync(pdfPath, pdf);
    // poppler's pdftotext reads the PDF as a person's PDF reader would (CI installs poppler-utils).
    if (!existsSync('/usr/bin/pdftotext')) throw new Error('pdftotext is missing: apt-get install poppler-utils');
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(1);
    expect(text).toContain(p.code);
    expect(text).toContain('地块说明书');
    // For people to look at: the PDF as a picture.
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '70', '-singlefile', pdfPath, path.join(shots, '22-parcel-sheet-pdf')]);
    await page.close();
  });

  it('compares parcels side by side', async () => {
    const rows = await db.query<{ id: number; code: string }>("SELECT id, code FROM parcels WHERE status = 'available' ORDER BY id LIMIT 3");
    const page = await context.newPage();
    await page.goto(`${server.url}/invest/compare?ids=${rows.map((r) => r.id).join(',')}`);
    await page.getByTestId('compare-page').waitFor();
    await page.getByTestId('compare-code').nth(2).waitFor();
    expect(await page.getByTestId('compare-code').allTextContents()).toEqual(rows.map((r) => r.code));
    await page.screenshot({ path: path.join(shots, '23-compare.png') });
    await page.close();
  });

  it("opens a promoter's shortlist by its link, and says so once it is withdrawn", async () => {
    const promoter = await server.as('promoter');
    const ids = (await db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id DESC LIMIT 2")).map((r) => r.id);
    const created = await promoter.send('POST', '/api/shortlists', { title: '储能企业选址推荐', note: '欢迎实地考察', parcel_ids: ids });
    const page = await context.newPage();
    await page.goto(`${server.url}/invest/list/${created.body.token}`);
    await page.getByTestId('shortlist-page').waitFor();
    await expect(page.getByTestId('shortlist-page').textContent()).resolves.toContain('储能企业选址推荐');
    await promoter.send('POST', `/api/shortlists/${created.body.id}/withdraw`);
    await page.reload();
    const gone = page.getByTestId('shortlist-gone');
    await gone.waitFor();
    expect(await gone.getAttribute('data-status')).toBe('410');
    await expect(gone.textContent()).resolves.toContain('该推介清单已撤回');
    await page.close();
  });

  it('lets a promoter build a shortlist on the internal page and share its link', async () => {
    const promoterContext = await signedInContext(browser, server, 'promoter');
    const page = await promoterContext.newPage();
    await page.goto(`${server.url}/shortlists`);
    await page.getByTestId('shortlists-page').waitFor();
    await page.getByTestId('shortlist-title').fill('给某光伏企业');
    const boxes = page.locator('ul.offers input[type="checkbox"]');
    await boxes.first().waitFor();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('shortlist-create').click();
    const link = await page.getByTestId('shortlist-created').locator('a').getAttribute('href');
    expect(link).toMatch(/\/invest\/list\/[A-Za-z0-9_-]{20,}$/);
    await page.screenshot({ path: path.join(shots, '24-promoter-shortlists.png') });
    await promoterContext.close();
    const open = await context.newPage();
    await open.goto(link!);
    await expect(open.getByTestId('shortlist-page').textContent()).resolves.toContain('给某光伏企业');
    await open.close();
  });

  it('made requests to the public API only', () => {
    expect(apiRequests.length).toBeGreaterThan(5);
    expect(apiRequests.filter((p) => !p.startsWith('/api/public/'))).toEqual([]);
  });
});
