/**
 * The import's all-or-nothing promise under the worst case: the server process killed (SIGKILL) in the
 * middle of a commit, on a real PostgreSQL. And the command line import, which runs the same pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';
import { withMaintenanceDb } from '../helpers/databases.ts';
import { dataChecksum, freeSpot, shapefileZip, square } from '../helpers/importFiles.ts';
import { signIn } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, args, { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('command line import', () => {
  it('explains its usage when no file is given', async () => {
    const r = await run(['server/cli/import.ts'], {});
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Usage: npm run import -- <file> \[--kind parcels\|zones\|projects\|enterprises\] \[--zone CODE\] \[--crs EPSG:4547\]/);
  });
});

const url = inject('postgresUrl');
describe.each(url ? [url] : [])('on a real PostgreSQL', (baseUrl) => {
  let db: Db;
  let copyUrl: string;
  let copyName: string;
  beforeAll(async () => {
    copyName = await withMaintenanceDb(baseUrl, async (admin, name) => {
      const copy = `${name}_k${randomBytes(4).toString('hex')}`;
      await admin.exec(`CREATE DATABASE ${copy} TEMPLATE ${name}_template`);
      return copy;
    });
    const u = new URL(baseUrl);
    u.pathname = `/${copyName}`;
    copyUrl = u.toString();
    db = await openPostgresDb(copyUrl);
  });
  afterAll(async () => {
    await db?.close();
    await withMaintenanceDb(baseUrl, (admin) => admin.exec(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`));
  });

  it('leaves the database as it was when the server is killed in the middle of a commit', async () => {
    const port = await freePort();
    // node itself (with tsx as a loader), not the tsx wrapper: SIGKILL must hit the process that serves.
    const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: copyUrl, PORT: String(port), HOST: '127.0.0.1', BCRYPT_COST: '4' },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    // Waits are bounded by time, generously (a loaded machine is slow), never by a count of tries.
    const within = (seconds: number) => {
      const until = Date.now() + seconds * 1000;
      return () => Date.now() < until;
    };
    try {
      for (const waiting = within(300); ;) {
        const ok = await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (server.exitCode !== null || !waiting()) throw new Error('server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      const { cookie, csrfToken } = await signIn(base, 'admin');
      // Every industrial parcel, exported and changed in one field: thousands of updates to commit.
      const exported = await (await fetch(`${base}/api/export/parcels?format=geojson&landUse=1001`, { headers: { Cookie: cookie } })).json();
      expect(exported.features.length).toBeGreaterThan(1000);
      for (const f of exported.features) f.properties['环境标准'] = 'written by the killed import';
      const staged = await fetch(`${base}/api/imports`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/octet-stream', 'X-File-Name': 'all.geojson' },
        body: JSON.stringify(exported),
      }).then((r) => r.json());
      expect(staged.id).toBeGreaterThan(0);
      const before = await dataChecksum(db);
      const [{ v: beforeVersions }] = await db.query<{ v: number }>('SELECT sum(version)::int AS v FROM parcels');

      void fetch(`${base}/api/imports/${staged.id}/commit`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
        body: '{}',
      }).catch(() => null);
      // Wait until the commit is writing parcels, then kill the server outright.
      let seen = false;
      for (const waiting = within(300); waiting() && !seen;) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND query LIKE 'UPDATE parcels SET%'`,
          [copyName],
        );
        seen = row.n > 0;
        if (!seen) await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen).toBe(true);
      server.kill('SIGKILL');
      // PostgreSQL rolls the transaction back when the connection dies.
      for (const waiting = within(120); waiting();) {
        const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
          copyName,
        ]);
        if (row.n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [diag] = await db.query<{ status: string; audits: number; ver: number }>(
        `SELECT (SELECT status FROM imports WHERE id = $1) AS status, (SELECT count(*)::int FROM audit_log) AS audits, (SELECT sum(version)::int FROM parcels) AS ver`,
        [staged.id],
      );
      expect(`${diag.status} ${diag.audits} ${diag.ver}`).toBe(`staged ${before.split(':')[2]} ${beforeVersions}`);
      expect(await dataChecksum(db)).toBe(before);
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE environment_standard = 'written by the killed import'`);
      expect(n).toBe(0);
      const [imp] = await db.query<{ status: string }>('SELECT status FROM imports WHERE id = $1', [staged.id]);
      expect(imp.status).toBe('staged');
    } finally {
      server.kill('SIGKILL');
    }
  }, 900_000);

  it('checks, then commits, a Gauss–Krüger shapefile from the command line', async () => {
    const spot = await freeSpot(db, 'SX-YQGX');
    const zip = await shapefileZip({
      epsg: 4526,
      fields: [
        { name: 'DKBH', type: 'text' },
        { name: 'YDXZ', type: 'text' },
        { name: 'MJ', type: 'number' },
      ],
      records: [{ DKBH: 'CLI-1', YDXZ: 'M1', MJ: 64 }],
      geometries: [square(spot.centre, 8)],
      prj: null,
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'pa-cli-'));
    const file = path.join(dir, '命令行.zip');
    writeFileSync(file, zip);
    const env = { DATABASE_URL: copyUrl };
    const check = await run(['server/cli/import.ts', file, '--zone', 'SX-YQGX'], env);
    expect(check.out).toContain('coordinates: EPSG:4526');
    expect(check.out).toContain('code←DKBH, land_use_code←YDXZ, registered_area←MJ');
    expect(check.out).toContain('report: 1 features, 1 new, 0 updated, 0 errors');
    // No .prj, but the eastings carry the zone prefix 38: certain, so nothing to confirm; a check writes nothing.
    expect(check.out).toContain('(certain)');
    expect(check.out).toContain('Land use mapped: GB 50137-2011 M1 一类工业用地 → 2023 100101 一类工业用地.');
    expect(check.out).toContain('Checked; nothing written.');
    expect(check.code).toBe(0);
    const [{ n: none }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parcels WHERE code = 'CLI-1'`);
    expect(none).toBe(0);
    const commit = await run(['server/cli/import.ts', file, '--zone', 'SX-YQGX', '--crs', 'EPSG:4526', '--user', 'planner', '--commit'], env);
    expect(commit.out).toMatch(/Imported as import \d+: 1 created, 0 updated\./);
    const [row] = await db.query<{ land_use_code: string; username: string }>(
      `SELECT p.land_use_code, (SELECT username FROM audit_log WHERE entity = 'import' ORDER BY id DESC LIMIT 1) AS username FROM parcels p WHERE code = 'CLI-1'`,
    );
    expect(row).toEqual({ land_use_code: '100101', username: 'planner' });

    // A project list in 亿元, read as projects and committed from the command line.
    const list = path.join(dir, '项目清单.csv');
    writeFileSync(list, '项目名称,园区代码,项目阶段,谋划时间,总投资\n命令行项目,SX-YQGX,谋划,2025-03-01,1.2\n');
    const projects = await run(['server/cli/import.ts', list, '--kind', 'projects', '--money-unit', 'yi', '--user', 'planner', '--commit'], env);
    expect(projects.out).toContain('kind: projects');
    expect(projects.out).toMatch(/Imported as import \d+: 1 created, 0 updated\./);
    expect(await db.query(`SELECT stage, total_investment_wan FROM projects WHERE name = '命令行项目'`)).toEqual([
      { stage: 'planned', total_investment_wan: 12000 },
    ]);
  }, 600_000);
});
