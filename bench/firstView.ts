/**
 * The first view in headless Chromium: bytes transferred and time until the map has drawn, for the app as it
 * is served (assets precompressed with Brotli, pages split so the map does not wait for charts or import code)
 * against the same build served without the compressed copies (what the server sent before), measured
 * interleaved in the same run, each from an empty cache.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../server/db/types.ts';
import { launchBrowser, waitForMapIdle } from '../test/helpers/browser.ts';
import { contextAs } from '../test/helpers/browserApp.ts';
import { startTestServer } from '../test/helpers/server.ts';

/** Before this work: dist/client's first view was main (1,066 kB) + the shared chunk (1,178 kB), sent uncompressed. */
export const FIRST_VIEW_JS_BEFORE_KB = 1066 + 1178;

function withoutCompressedCopies(clientDir: string): string {
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'park-atlas-plain-')), 'client');
  cpSync(clientDir, copy, { recursive: true });
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else if (/\.(br|gz)$/.test(name.name)) unlinkSync(full);
    }
  };
  walk(copy);
  return copy;
}

export async function firstViewFigures(db: Db, rounds = 3): Promise<void> {
  const clientDir = path.resolve('dist/client');
  if (!existsSync(path.join(clientDir, 'index.html'))) {
    console.log('  first view: skipped (build the client first: npx vite build)');
    return;
  }
  const plainDir = withoutCompressedCopies(clientDir);
  const served = await startTestServer(db, clientDir);
  const plain = await startTestServer(db, plainDir);
  const browser = await launchBrowser();
  try {
    const measure = async (server: typeof served) => {
      const context = await contextAs(browser, server, 'viewer', { width: 1440, height: 900 });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
      const started = performance.now();
      await page.goto(server.url);
      await waitForMapIdle(page);
      const ms = performance.now() - started;
      await context.close();
      return { bytes, ms };
    };
    const now: { bytes: number; ms: number }[] = [];
    const before: { bytes: number; ms: number }[] = [];
    await measure(served);
    for (let i = 0; i < rounds; i++) {
      before.push(await measure(plain));
      now.push(await measure(served));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const nowBytes = median(now.map((r) => r.bytes));
    const beforeBytes = median(before.map((r) => r.bytes));
    const nowMs = median(now.map((r) => r.ms));
    const beforeMs = median(before.map((r) => r.ms));
    console.log(
      `  first view (1440×900, empty cache, median of ${rounds}): ${(nowBytes / 1024).toFixed(0)} KB transferred vs ${(beforeBytes / 1024).toFixed(0)} KB uncompressed ` +
        `(${(nowBytes / beforeBytes).toFixed(2)}×); map drawn in ${(nowMs / 1000).toFixed(2)} s vs ${(beforeMs / 1000).toFixed(2)} s (${(nowMs / beforeMs).toFixed(2)}×). ` +
        `JavaScript before the page split: ${FIRST_VIEW_JS_BEFORE_KB} kB uncompressed.`,
    );
  } finally {
    await browser.close();
    await served.close();
    await plain.close();
    rmSync(path.dirname(plainDir), { recursive: true, force: true });
  }
}
