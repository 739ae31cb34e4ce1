/**
 * The app as the browser tests use it: a copy of the demo database, the real server serving the built
 * client, and Debian's Chromium; plus browser contexts signed in as a demo account.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import type { Db } from '../../server/db/types.ts';
import { launchBrowser } from './browser.ts';
import { signIn, startTestServer, type TestServer } from './server.ts';

/** Screenshots for people to look at. */
export const SHOTS = path.resolve('test-output/e2e');

export async function startBrowserApp(): Promise<{ db: Db; server: TestServer; browser: Browser }> {
  mkdirSync(SHOTS, { recursive: true });
  const db = await openEmbeddedDb({ loadDataDir: new Blob([readFileSync(inject('embeddedDumpPath'))]) });
  const server = await startTestServer(db, path.resolve('dist/client'));
  const browser = await launchBrowser();
  return { db, server, browser };
}

export async function stopBrowserApp(app: { db?: Db; server?: TestServer; browser?: Browser }): Promise<void> {
  await app.browser?.close();
  await app.server?.close();
  await app.db?.close();
}

/** The app for one test file: started before its tests, stopped after them. */
export function useBrowserApp(): { db: Db; server: TestServer; browser: Browser } {
  const app = {} as { db: Db; server: TestServer; browser: Browser };
  beforeAll(async () => {
    Object.assign(app, await startBrowserApp());
  });
  afterAll(async () => {
    await stopBrowserApp(app);
  });
  return app;
}

export async function contextAs(browser: Browser, server: TestServer, username: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const { cookie } = await signIn(server.url, username);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: server.url }]);
  return context;
}
