/**
 * The server's habits on both databases: sign-in throttling that cannot lock a user out, the password
 * policy, request ids in headers and errors, health split, security headers, cache headers, tile versions.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/accounts.ts';
import { createApp, type AppOptions } from '../../server/app.ts';
import { THROTTLE } from '../../server/auth/throttle.ts';
import { basemapsFromEnv } from '../../server/config.ts';
import type { Db } from '../../server/db/types.ts';
import { dbTargets } from '../helpers/databases.ts';
import { signIn } from '../helpers/server.ts';

const password = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.password;

async function listen(options: AppOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp(options);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe.each(dbTargets({ writable: true }))('server habits on $name', (target) => {
  let db: Db;
  let server: { url: string; close: () => Promise<void> };
  let clientDir: string;
  beforeAll(async () => {
    db = await target.open();
    // A built client of two files is enough to see the cache headers.
    clientDir = mkdtempSync(path.join(tmpdir(), 'pa-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>园区一张图</title>');
    writeFileSync(path.join(clientDir, 'invest.html'), '<!doctype html><title>招商</title>');
    writeFileSync(path.join(clientDir, 'assets/index-B3xk9_Qa.js'), 'console.log(1)');
    writeFileSync(path.join(clientDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    server = await listen({
      db,
      clientDir,
      config: { basemaps: basemapsFromEnv({ TIANDITU_KEY: 'k', BASEMAP_STYLE_URL: 'https://styles.example.cn/style.json' }), trustProxy: true },
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const login = (username: string, pw: string, address: string) =>
    fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
      body: JSON.stringify({ username, password: pw }),
    });

  it('slows down one address guessing one account, while the user signs in from elsewhere', async () => {
    for (let i = 0; i < THROTTLE.freePairFailures; i++) expect((await login('planner', `wrong-guess-${i}`, '203.0.113.50')).status).toBe(401);
    const refused = await login('planner', password('planner'), '203.0.113.50');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    // The account is not locked: the right password from another address signs in, and other names from the
    // guessing address are not slowed.
    expect((await login('planner', password('planner'), '198.51.100.50')).status).toBe(200);
    expect((await login('viewer', password('viewer'), '203.0.113.50')).status).toBe(200);
    // Refusals are not counted as tries: nothing was checked.
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM login_attempts WHERE ip = '203.0.113.50' AND username = 'planner'");
    expect(n).toBe(THROTTLE.freePairFailures);
  });

  it('refuses an address spraying many names, except for names that signed in from it before', async () => {
    const address = '203.0.113.77';
    expect((await login('promoter', password('promoter'), address)).status).toBe(200);
    // Failures already on record (as a spray over many names would leave them), then one more through the API.
    await db.query("INSERT INTO login_attempts (username, ip, succeeded) SELECT 'user' || g, $1, false FROM generate_series(1, $2) g", [
      address,
      THROTTLE.perAddress - 1,
    ]);
    expect((await login('someone-else', 'wrong-guess-x', address)).status).toBe(401);
    const refused = await login('landbureau', password('landbureau'), address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(THROTTLE.addressWindowMinutes * 60 - 120);
    expect((await login('promoter', password('promoter'), address)).status).toBe(200);
    expect((await login('landbureau', password('landbureau'), '198.51.100.77')).status).toBe(200);
  });

  it('refuses common and trivial passwords with a message in both languages, creating nobody', async () => {
    const admin = await signIn(server.url, 'admin');
    const create = (body: unknown) =>
      fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken },
        body: JSON.stringify(body),
      });
    for (const [pw, reason] of [
      ['qwertyuiop', /常见密码.*common password/],
      ['zzzzzzzzzzzz', /重复.*repeated/],
      ['new.planner2026', /用户名.*username/],
      ['parkatlas2026', /系统的名称.*application/],
    ] as const) {
      const res = await create({ username: 'new.planner', password: pw, role: 'planner' });
      expect(res.status, pw).toBe(400);
      expect((await res.json()).error.message, pw).toMatch(reason);
    }
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'new.planner'");
    expect(n).toBe(0);
    expect((await create({ username: 'new.planner', password: 'brick-lantern-orbit', role: 'planner' })).status).toBe(201);
  });

  it('gives every request an id, keeps a sane incoming one, and puts it in every JSON error', async () => {
    const own = await fetch(`${server.url}/api/health/live`, { headers: { 'X-Request-Id': 'lb-7f3a9c21' } });
    expect(own.headers.get('x-request-id')).toBe('lb-7f3a9c21');
    for (const insane of ['id with spaces <script>', 'short', 'x'.repeat(200)]) {
      const res = await fetch(`${server.url}/api/health/live`, { headers: { 'X-Request-Id': insane } });
      expect(res.headers.get('x-request-id'), insane).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const missing = await fetch(`${server.url}/api/zones`);
    expect(missing.status).toBe(401);
    const body = await missing.json();
    expect(body.error).toEqual({ code: 'unauthorized', message: expect.any(String), requestId: missing.headers.get('x-request-id') });
    const bad = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'trace-000123' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.requestId).toBe('trace-000123');
  });

  it('answers liveness and readiness, and keeps /api/health', async () => {
    expect(await (await fetch(`${server.url}/api/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // Not ready while a migration is missing.
    await db.query("DELETE FROM schema_migrations WHERE name = '011_shared_state.sql'");
    try {
      const notReady = await fetch(`${server.url}/api/health/ready`);
      expect(notReady.status).toBe(503);
      expect((await notReady.json()).problems).toEqual(['migrations not applied: 011_shared_state.sql']);
    } finally {
      await db.query("INSERT INTO schema_migrations (name) VALUES ('011_shared_state.sql')");
    }
  });

  it('sends security headers with a CSP that allows the map and the configured basemaps', async () => {
    for (const p of ['/', '/api/health/live']) {
      const res = await fetch(server.url + p);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, p).toContain("worker-src 'self' blob:");
      expect(csp).toContain("img-src 'self' data: blob: https://t0.tianditu.gov.cn");
      expect(csp).toMatch(/connect-src 'self' [^;]*https:\/\/t7\.tianditu\.gov\.cn[^;]*https:\/\/styles\.example\.cn/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('caches hashed assets for a year and revalidates pages and other files', async () => {
    expect((await fetch(`${server.url}/assets/index-B3xk9_Qa.js`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}/favicon.svg`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/map`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps signed-in tiles private and changes their ETag in the same transaction as an edit', async () => {
    const viewer = await signIn(server.url, 'viewer');
    const tileUrl = `${server.url}/api/tiles/zones/7/104/48.pbf`;
    const first = await fetch(tileUrl, { headers: { Cookie: viewer.cookie } });
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"zones-\d+-/);
    expect((await fetch(tileUrl, { headers: { Cookie: viewer.cookie, 'If-None-Match': etag } })).status).toBe(304);
    const [{ version }] = await db.query<{ version: number }>("SELECT version FROM tile_versions WHERE layer = 'zones'");
    // A write that fails changes nothing, the version included.
    await db
      .transaction(async (tx) => {
        await tx.query("UPDATE zones SET name = name || '（改）' WHERE code = 'SX-DTJK'");
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect((await fetch(tileUrl, { headers: { Cookie: viewer.cookie, 'If-None-Match': etag } })).status).toBe(304);
    await db.query("UPDATE zones SET name = name || '（改）' WHERE code = 'SX-DTJK'");
    const [after] = await db.query<{ version: number }>("SELECT version FROM tile_versions WHERE layer = 'zones'");
    expect(after.version).toBe(version + 1);
    const changed = await fetch(tileUrl, { headers: { Cookie: viewer.cookie, 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(etag.replace(`zones-${version}-`, `zones-${version + 1}-`));
  });

  it('counts the public rate limit in the database', async () => {
    await fetch(`${server.url}/api/public/zones`, { headers: { 'X-Forwarded-For': '192.0.2.31' } });
    await fetch(`${server.url}/api/public/zones`, { headers: { 'X-Forwarded-For': '192.0.2.31' } });
    const [row] = await db.query<{ hits: number }>("SELECT hits FROM rate_limit_counters WHERE key = 'public:192.0.2.31'");
    expect(row.hits).toBe(2);
  });
});
