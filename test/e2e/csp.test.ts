/**
 * The app under its Content-Security-Policy in a real browser: the map (MapLibre's blob: workers, WebGL),
 * the land dashboard's ECharts and the public pages run without a single CSP violation, a configured
 * basemap host may be fetched, and anything else is refused (so the listener is known to work).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../server/app.ts';
import { basemapsFromEnv } from '../../server/config.ts';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import type { Db } from '../../server/db/types.ts';
import { launchBrowser, waitForMapIdle } from '../helpers/browser.ts';
import { demoDumpBlob } from '../helpers/databases.ts';
import { signIn } from '../helpers/server.ts';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

let db: Db;
let app: Server;
let tileHost: Server;
let appUrl: string;
let tileUrl: string;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  db = await openEmbeddedDb({ loadDataDir: demoDumpBlob() });
  // A basemap host on another origin (another port), as 天地图 or a tile server would be.
  tileHost = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' });
    res.end('tile');
  });
  tileUrl = await listen(tileHost);
  const basemaps = basemapsFromEnv({ BASEMAP_TILES_URL: `${tileUrl}/{z}/{x}/{y}.png` });
  app = createApp({ db, config: { basemaps }, clientDir: path.resolve('dist/client') }).listen(0, '127.0.0.1');
  await new Promise((r) => app.once('listening', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, value] = (await signIn(appUrl, 'admin')).cookie.split('=');
  await context.addCookies([{ name, value, url: appUrl }]);
  // Every violation the page sees, from the first script on.
  await context.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => app?.close(r));
  await new Promise((r) => tileHost?.close(r));
  await db?.close();
});

async function open(pathname: string): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  const res = await page.goto(appUrl + pathname);
  expect(res!.headers()['content-security-policy']).toContain("worker-src 'self' blob:");
  return { page, consoleErrors };
}

const violations = (page: Page) => page.evaluate(() => (window as any).__csp as string[]);

describe('the Content-Security-Policy in the browser', () => {
  it('lets the map draw zones and parcels with its blob: workers, without a violation', async () => {
    const { page, consoleErrors } = await open('/?c=113.36,40.04&z=13&layers=zones,parcels');
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => (window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['parcels-fill'] }).length);
    expect(drawn).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('lets the land dashboard draw its ECharts charts, without a violation', async () => {
    const { page, consoleErrors } = await open('/land');
    await page.getByTestId('chart-land-use').locator('canvas').first().waitFor();
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('lets the public investor pages run, without a violation', async () => {
    const { page, consoleErrors } = await open('/invest');
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('allows the configured basemap host and refuses any other', async () => {
    const { page } = await open('/admin');
    const allowed = await page.evaluate((u) => fetch(`${u}/1/1/1.png`).then((r) => r.text()), tileUrl);
    expect(allowed).toBe('tile');
    const other = tileUrl.replace('127.0.0.1', 'localhost');
    const refused = await page.evaluate(
      (u) =>
        fetch(`${u}/1/1/1.png`).then(
          () => 'fetched',
          () => 'refused',
        ),
      other,
    );
    expect(refused).toBe('refused');
    await expect.poll(() => violations(page)).toEqual([`connect-src ${other}/1/1/1.png`]);
    await page.close();
  });
});
