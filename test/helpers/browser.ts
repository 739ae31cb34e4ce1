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
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
}

/** Waits until the map has loaded its style, sources and tiles, and has stopped moving. */
export async function waitForMapIdle(page: Page, timeout = 45_000): Promise<void> {
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
