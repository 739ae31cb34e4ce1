/**
 * Two real server processes (tsx server/index.ts) started at the same moment on one new, empty PostgreSQL
 * database, as behind a load balancer: they must migrate and seed once, and agree on sessions, tiles, the
 * public rate limit and sign-in throttling. Reads go to a read-only connection (DATABASE_READ_URL with
 * default_transaction_read_only), so a write sent there would fail. Runs when TEST_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/accounts.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';
import { withMaintenanceDb } from '../helpers/databases.ts';
import { ringCentre, tileFor } from '../helpers/geo.ts';
import { signIn } from '../helpers/server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const url = inject('postgresUrl');
const password = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.password;

interface Proc {
  url: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, seconds: number): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  // node with tsx's loader (what `tsx server/index.ts` does) and no wrapper process, so signals reach the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  exited.then((code) => code !== 0 && code !== null && console.error(`server on ${port} exited ${code}: ${stderr}`));
  return { url: `http://127.0.0.1:${port}`, child, lines, exited };
}

const messages = (p: Proc) => p.lines.map((l) => String(l.msg));

function login(p: Proc, username: string, pw: string, address: string) {
  return fetch(`${p.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
    body: JSON.stringify({ username, password: pw }),
  });
}

describe.runIf(url)('two server processes on one PostgreSQL', () => {
  let dbName: string;
  let db: Db;
  let a: Proc;
  let b: Proc;

  beforeAll(async () => {
    dbName = await withMaintenanceDb(url!, async (admin, name) => {
      const fresh = `${name}_2p${randomBytes(4).toString('hex')}`;
      await admin.exec(`CREATE DATABASE ${fresh} TEMPLATE template0`);
      return fresh;
    });
    const dbUrl = new URL(url!);
    dbUrl.pathname = `/${dbName}`;
    const readUrl = new URL(dbUrl);
    readUrl.searchParams.set('options', '-c default_transaction_read_only=on');
    const env = {
      DATABASE_URL: dbUrl.toString(),
      DATABASE_READ_URL: readUrl.toString(),
      DEMO_DATA: 'yes',
      TRUST_PROXY: '1',
      PUBLIC_REQUESTS_PER_MINUTE: '6',
      BCRYPT_COST: '4',
      // Reads right after one's own write stay on the primary; this test checks the replica side with reads by others.
      READ_YOUR_WRITES_SECONDS: '5',
    };
    // At the same moment: both find an empty database.
    [a, b] = await Promise.all([start(env), start(env)]);
    for (const p of [a, b]) {
      await waitFor('readiness', async () => ((await fetch(`${p.url}/api/health/ready`)).status === 200 ? true : undefined), 580);
    }
    db = await openPostgresDb(dbUrl.toString());
  }, 600_000);

  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
    await db?.close();
    if (dbName) await withMaintenanceDb(url!, (admin) => admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  });

  it('migrates and seeds once: one process does it, the other waits and finds nothing to do', async () => {
    const files = readdirSync(path.join(root, 'data/migrations')).filter((f) => /^\d+_.*\.sql$/.test(f));
    const applied = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(applied.map((r) => r.name)).toEqual([...files].sort());
    const all = [...messages(a), ...messages(b)];
    expect(all.filter((m) => m.startsWith('Applied migrations: 001_schema.sql'))).toHaveLength(1);
    expect(all.filter((m) => m === 'Migrations: the database is up to date.')).toHaveLength(1);
    expect(all.filter((m) => m.startsWith('Demo data loaded'))).toHaveLength(1);
    expect(all.filter((m) => m === 'Another process is preparing the database: waiting for it …')).toHaveLength(1);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'admin'");
    expect(n).toBe(1);
  });

  it('accepts a session made on one process on the other', async () => {
    const session = await signIn(a.url, 'viewer');
    const me = await fetch(`${b.url}/api/auth/me`, { headers: { Cookie: session.cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe('viewer');
  });

  it('serves new tiles and ETags on one process after an edit on the other', async () => {
    const [p] = await db.query<{ id: number; version: number; land_use_code: string; g: { coordinates: number[][][][] } }>(
      "SELECT id, version, land_use_code, ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE code = 'DTJK-0042'",
    );
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    const { z, x, y } = tileFor(lon, lat, 14);
    const viewer = await signIn(b.url, 'viewer');
    const tileUrl = `${b.url}/api/tiles/parcels/${z}/${x}/${y}.pbf`;
    const before = await fetch(tileUrl, { headers: { Cookie: viewer.cookie } });
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('private, no-cache');
    const etag = before.headers.get('etag')!;
    expect((await fetch(tileUrl, { headers: { Cookie: viewer.cookie, 'If-None-Match': etag } })).status).toBe(304);

    const newUse = p.land_use_code === '100102' ? '100103' : '100102';
    const planner = await signIn(a.url, 'planner');
    const edit = await fetch(`${a.url}/api/parcels/${p.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Cookie: planner.cookie, 'X-CSRF-Token': planner.csrfToken },
      body: JSON.stringify({ version: p.version, changes: { land_use_code: newUse } }),
    });
    expect(edit.status).toBe(200);

    const after = await fetch(tileUrl, { headers: { Cookie: viewer.cookie, 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const layer = new VectorTile(new PbfReader(new Uint8Array(await after.arrayBuffer()))).layers.parcels;
    const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
    expect(features.find((f) => f.id === p.id)?.properties.land_use).toBe(newUse);
  });

  it('counts the public rate limit across both processes', async () => {
    const address = '198.51.100.20';
    const get = (p: Proc) => fetch(`${p.url}/api/public/zones`, { headers: { 'X-Forwarded-For': address } });
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (const p of [a, b, a, b, a, b]) {
      const res = await get(p);
      statuses.push(res.status);
      remaining.push(/remaining=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1] ?? '?');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    const refusedA = await get(a);
    const refusedB = await get(b);
    expect([refusedA.status, refusedB.status]).toEqual([429, 429]);
    const body = await refusedB.json();
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.requestId).toBe(refusedB.headers.get('x-request-id'));
    // Another address is not affected.
    expect((await fetch(`${a.url}/api/public/zones`, { headers: { 'X-Forwarded-For': '198.51.100.21' } })).status).toBe(200);
  });

  it('throttles sign-in across both processes, without locking the user out from elsewhere', async () => {
    const attacker = '203.0.113.9';
    const statuses: number[] = [];
    for (const p of [a, b, a, b, a]) statuses.push((await login(p, 'promoter', 'not-the-password-x', attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The sixth try, on the other process, even with the right password: refused, with a wait.
    const refused = await login(b, 'promoter', password('promoter'), attacker);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect((await refused.json()).error.message).toMatch(/登录失败次数过多.*Too many failed sign-ins/);
    expect((await login(a, 'promoter', password('promoter'), attacker)).status).toBe(429);
    // The real user, from their own address, signs in on either process meanwhile.
    expect((await login(a, 'promoter', password('promoter'), '198.51.100.7')).status).toBe(200);
    expect((await login(b, 'promoter', password('promoter'), '198.51.100.7')).status).toBe(200);
  });

  it('stops gracefully on SIGTERM: readiness fails, then the process exits cleanly', async () => {
    for (const p of [a, b]) p.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    for (const p of [a, b]) expect(messages(p)).toContain('Stopped.');
    // Every request was logged once, as JSON with its id, status and time.
    const requestLines = a.lines.filter((l) => l.msg === 'request');
    expect(requestLines.length).toBeGreaterThan(5);
    for (const l of requestLines.slice(0, 3))
      expect(l).toMatchObject({ reqId: expect.any(String), method: expect.any(String), status: expect.any(Number), ms: expect.any(Number) });
  }, 240_000);
});
