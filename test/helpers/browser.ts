/**
 * Headless Chromium for the browser tests: Debian's chromium driven by playwright-core, WebGL through
 * SwiftShader. A missing browser is a failure with instructions, never a silent skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      // Chinese UI where the build has it. This Chromium ships en-US only, so its <input type="date"> would
      // still write 10/01/2026: the app's date fields are text fields of YYYY-MM-DD (views/DateInput.svelte).
      '--lang=zh-CN',
    ],
  });
  // Playwright's 30 s for a click, a wait or a page load is short for software WebGL on a loaded 2-core machine:
  // every context (browser.newPage makes one too) gets generous defaults, so that slowness alone fails nothing.
  // Reduced motion as well: MapLibre then jumps instead of flying (easeTo/flyTo with no duration), which spares
  // software WebGL a second of frames per move (a search-and-select went from 18-24 frames to 9); the end
  // state the tests look at is the same. A test that wants the animation passes reducedMotion: 'no-preference'.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext({ reducedMotion: 'reduce', ...options });
    context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
    return context;
  };
  return browser;
}

/** The longest a browser action or wait may take by default (the test's own timeout still bounds the test). */
export const BROWSER_TIMEOUT_MS = 120_000;

/** Waits until the map has loaded its style, sources and tiles, and has stopped moving. */
export async function waitForMapIdle(page: Page, timeout = BROWSER_TIMEOUT_MS): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = (window as any).__parkAtlas?.map;
      // The layers are added once the data has arrived: wait for them as well as for the tiles.
      const layersAdded = !!map && ['zone-labels', 'parcels-fill', 'project-points'].every((id) => map.getLayer(id));
      return layersAdded && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    null,
    { timeout, polling: 200 },
  );
  // One more frame so that what is loaded is also drawn.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Unique ids of the features rendered in the given layers (MapLibre returns one per tile). */
export async function renderedIds(page: Page, layers: string[]): Promise<number[]> {
  return page.evaluate((layerIds) => {
    const map = (window as any).__parkAtlas.map;
    const ids = new Set<number>();
    for (const f of map.queryRenderedFeatures({ layers: layerIds })) ids.add(Number(f.properties.id));
    return [...ids].sort((a, b) => a - b);
  }, layers);
}
