/**
 * The app as the browser tests use it: a copy of the demo database (the embedded PostGIS, or the real
 * PostgreSQL + PostGIS when the run has one), the real server serving the built client, and Debian's
 * Chromium; plus browser contexts signed in as a demo account.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Db } from '../../server/db/types.ts';
import { launchBrowser } from './browser.ts';
import { dbTargets, type DbTarget } from './databases.ts';
import { signIn, startTestServer, type TestServer } from './server.ts';

/** Screenshots for people to look at. */
export const SHOTS = path.resolve('test-output/e2e');

/**
 * The databases a browser test file runs on: a fresh writable copy of the embedded demo database, and of the
 * real PostgreSQL when the global setup has one (TEST_DATABASE_URL; with REQUIRE_POSTGRES=1 its absence fails
 * the run). The map's tiles come from different code on each (vt-pbf in Node / ST_AsMVT in PostGIS), hence both.
 */
export function browserTargets(): DbTarget[] {
  return dbTargets({ writable: true });
}

export interface BrowserApp {
  db: Db;
  server: TestServer;
  browser: Browser;
  /** Which database this app runs on. */
  target: DbTarget['name'];
}

/** Starts the app on a copy of the target database (the embedded one unless told). */
export async function startBrowserApp(target: DbTarget = browserTargets()[0]): Promise<BrowserApp> {
  const clientDir = path.resolve('dist/client');
  if (!readFileSync(path.join(clientDir, 'index.html'), 'utf8').includes('<div id="app">')) throw new Error('Build the client first: npx vite build');
  mkdirSync(SHOTS, { recursive: true });
  const db = await target.open();
  const server = await startTestServer(db, clientDir);
  const browser = await launchBrowser();
  return { db, server, browser, target: target.name };
}

export async function stopBrowserApp(app: Partial<BrowserApp>): Promise<void> {
  await app.browser?.close();
  await app.server?.close();
  await app.db?.close();
}

/** The app for one test file or describe block: started before its tests, stopped after them. */
export function useBrowserApp(target?: DbTarget): BrowserApp {
  const app = {} as BrowserApp;
  beforeAll(async () => {
    Object.assign(app, await startBrowserApp(target));
  });
  afterAll(async () => {
    await stopBrowserApp(app);
  });
  return app;
}

/** A screenshot's path: the embedded run keeps the plain name, the PostgreSQL run adds "-postgres". */
export function shotPath(app: Pick<BrowserApp, 'target'>, name: string): string {
  return path.join(SHOTS, app.target === 'embedded' ? `${name}.png` : `${name}-postgres.png`);
}

export async function contextAs(browser: Browser, server: TestServer, username: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const { cookie } = await signIn(server.url, username);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: server.url }]);
  return context;
}
