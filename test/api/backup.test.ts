/**
 * Backups and restores of both databases: the command line (npm run backup / restore), the administrator's
 * download (GET /api/admin/backup) and the schedule (BACKUP_DIR …, driven by explicit ticks). A restored
 * backup must open in the app with the data as it was when the backup was taken.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBackupScheduler } from '../../server/backup/schedule.ts';
import { backupFileName } from '../../server/backup/backup.ts';
import { createApp } from '../../server/app.ts';
import { DataDirInUseError, openEmbeddedDb } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';
import { demoDumpBlob, withMaintenanceDb } from '../helpers/databases.ts';
import { signIn } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [script, ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', BACKUP_DIR: '', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The app on a database, with the server's configuration of DATABASE_URL (the backup endpoint needs it). */
async function serve(db: Db, databaseUrl?: string) {
  const app = createApp({ db, config: { basemaps: [], databaseUrl } });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function editParcel(db: Db, id: number, value: string) {
  await db.query('UPDATE parcels SET environment_standard = $1 WHERE id = $2', [value, id]);
}
async function parcelValue(db: Db, id: number): Promise<string | null> {
  const [row] = await db.query<{ v: string | null }>('SELECT environment_standard AS v FROM parcels WHERE id = $1', [id]);
  return row.v;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'pa-backup-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the embedded database', () => {
  it('is backed up from the command line, refuses to restore over a database, restores into an empty directory that the app opens', async () => {
    const source = path.join(work, 'cli-source');
    const db = await openEmbeddedDb({ dataDir: source, loadDataDir: demoDumpBlob() });
    await editParcel(db, 1, '备份之前');
    // While a process holds the directory, the command line may not open it.
    const refused = await run('server/cli/backup.ts', ['--dir', path.join(work, 'cli-backups')], { DATA_DIR: source });
    expect(refused.code).toBe(3);
    expect(refused.out).toContain(`is in use by process ${process.pid}`);
    await expect(openEmbeddedDb({ dataDir: source })).rejects.toThrow(DataDirInUseError);
    await db.close();

    const backup = await run('server/cli/backup.ts', ['--dir', path.join(work, 'cli-backups')], { DATA_DIR: source });
    expect(backup.code, backup.out).toBe(0);
    const [file] = readdirSync(path.join(work, 'cli-backups'));
    expect(file).toMatch(/^park-atlas-embedded-\d{4}-\d{2}-\d{2}T\d{6}Z\.tar\.gz$/);

    // Changed after the backup: the restore must not have it.
    const again = await openEmbeddedDb({ dataDir: source });
    await editParcel(again, 1, '备份之后');
    await again.close();

    const target = path.join(work, 'cli-target');
    const restore = await run('server/cli/restore.ts', [path.join(work, 'cli-backups', file)], { DATA_DIR: target });
    expect(restore.code, restore.out).toBe(0);
    expect(restore.out).toContain(`Restored ${file} into ${target}`);
    const notEmpty = await run('server/cli/restore.ts', [path.join(work, 'cli-backups', file)], { DATA_DIR: target });
    expect(notEmpty.code).toBe(3);
    expect(notEmpty.out).toContain('is not empty: restore into an empty directory, or add --force');
    // Into PostgreSQL it cannot go.
    const wrongKind = await run('server/cli/restore.ts', [path.join(work, 'cli-backups', file)], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.out).toContain('This is a backup of the embedded database');

    const restored = await openEmbeddedDb({ dataDir: target });
    try {
      expect(await migrate(restored)).toEqual([]);
      expect(await parcelValue(restored, 1)).toBe('备份之前');
      const app = await serve(restored);
      try {
        const { cookie } = await signIn(app.url, 'viewer');
        const parcel = await (await fetch(`${app.url}/api/parcels/1`, { headers: { Cookie: cookie } })).json();
        expect(parcel.environment_standard).toBe('备份之前');
      } finally {
        await app.close();
      }
    } finally {
      await restored.close();
    }
    const forced = await run('server/cli/restore.ts', [path.join(work, 'cli-backups', file), '--force'], { DATA_DIR: target });
    expect(forced.code, forced.out).toBe(0);
  }, 900_000);

  it('is downloaded from the running server by an administrator only, and the download restores', async () => {
    const db = await openEmbeddedDb({ loadDataDir: demoDumpBlob() });
    const app = await serve(db);
    try {
      await editParcel(db, 2, '在线备份');
      const viewer = await signIn(app.url, 'viewer');
      const denied = await fetch(`${app.url}/api/admin/backup`, { headers: { Cookie: viewer.cookie } });
      expect(denied.status).toBe(403);
      expect((await denied.json()).error.code).toBe('forbidden');
      const admin = await signIn(app.url, 'admin');
      const res = await fetch(`${app.url}/api/admin/backup`, { headers: { Cookie: admin.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="park-atlas-embedded-\d{4}-\d{2}-\d{2}T\d{6}Z\.tar\.gz"$/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      const file = path.join(work, 'download.tar.gz');
      writeFileSync(file, bytes);
      const target = path.join(work, 'download-target');
      const restore = await run('server/cli/restore.ts', [file], { DATA_DIR: target });
      expect(restore.code, restore.out).toBe(0);
      const restored = await openEmbeddedDb({ dataDir: target });
      expect(await parcelValue(restored, 2)).toBe('在线备份');
      await restored.close();
    } finally {
      await app.close();
      await db.close();
    }
  }, 900_000);

  it('writes dated backups on schedule and keeps only the newest BACKUP_KEEP', async () => {
    const db = await openEmbeddedDb({ loadDataDir: demoDumpBlob() });
    const dir = path.join(work, 'scheduled');
    mkdirSync(dir);
    // Someone else's file in the directory is never deleted.
    writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    try {
      const scheduler = createBackupScheduler({ kind: 'embedded', pglite: db.pglite }, { dir, everyHours: 6, keep: 2 }, () => undefined);
      const t0 = Date.parse('2026-11-28T08:00:00Z');
      const at = (hours: number) => new Date(t0 + hours * 3_600_000);
      expect(await scheduler.tick(at(0))).toBe(path.join(dir, 'park-atlas-embedded-2026-11-28T080000Z.tar.gz'));
      expect(await scheduler.tick(at(5.9))).toBeNull();
      expect(await scheduler.tick(at(6))).toBe(path.join(dir, 'park-atlas-embedded-2026-11-28T140000Z.tar.gz'));
      await editParcel(db, 3, '第三次备份');
      expect(await scheduler.tick(at(12.5))).toBe(path.join(dir, 'park-atlas-embedded-2026-11-28T203000Z.tar.gz'));
      expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'park-atlas-embedded-2026-11-28T140000Z.tar.gz', 'park-atlas-embedded-2026-11-28T203000Z.tar.gz']);
      // The newest backup has the edit made before it; the one before does not.
      const newest = await openEmbeddedDb({
        loadDataDir: new Blob([readFileSync(path.join(dir, 'park-atlas-embedded-2026-11-28T203000Z.tar.gz'))], { type: 'application/x-gzip' }),
      });
      const older = await openEmbeddedDb({
        loadDataDir: new Blob([readFileSync(path.join(dir, 'park-atlas-embedded-2026-11-28T140000Z.tar.gz'))], { type: 'application/x-gzip' }),
      });
      try {
        expect(await parcelValue(newest, 3)).toBe('第三次备份');
        expect(await parcelValue(older, 3)).not.toBe('第三次备份');
      } finally {
        await newest.close();
        await older.close();
      }
    } finally {
      await db.close();
    }
  }, 900_000);
});

const url = inject('postgresUrl');
describe.each(url ? [url] : [])('a real PostgreSQL', (baseUrl) => {
  const names: string[] = [];
  const urlOf = (name: string) => {
    const u = new URL(baseUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  /** A copy of the demo database, or an empty database (without even PostGIS). */
  const newDatabase = (template: 'demo' | 'empty') =>
    withMaintenanceDb(baseUrl, async (admin, name) => {
      const copy = `${name}_b${randomBytes(4).toString('hex')}`;
      await admin.exec(`CREATE DATABASE ${copy} TEMPLATE ${template === 'demo' ? `${name}_template` : 'template0'}`);
      names.push(copy);
      return urlOf(copy);
    });
  afterAll(async () => {
    await withMaintenanceDb(baseUrl, async (admin) => {
      for (const n of names) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    });
  });

  it('is backed up with pg_dump (custom format) and restored into an empty database that the app opens; a full one is refused', async () => {
    const sourceUrl = await newDatabase('demo');
    const source = await openPostgresDb(sourceUrl);
    await editParcel(source, 1, '备份之前');
    const dir = path.join(work, 'pg-backups');
    const backup = await run('server/cli/backup.ts', ['--dir', dir], { DATABASE_URL: sourceUrl });
    expect(backup.code, backup.out).toBe(0);
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^park-atlas-postgres-\d{4}-\d{2}-\d{2}T\d{6}Z\.dump$/);
    expect(readFileSync(path.join(dir, file)).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    await editParcel(source, 1, '备份之后');

    // The running server's download is the same kind of file.
    const app = await serve(source, sourceUrl);
    try {
      const admin = await signIn(app.url, 'admin');
      const res = await fetch(`${app.url}/api/admin/backup`, { headers: { Cookie: admin.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/filename="park-atlas-postgres-\d{4}-\d{2}-\d{2}T\d{6}Z\.dump"$/);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('PGDMP');
    } finally {
      await app.close();
      await source.close();
    }

    const targetUrl = await newDatabase('empty');
    const restore = await run('server/cli/restore.ts', [path.join(dir, file)], { DATABASE_URL: targetUrl });
    expect(restore.code, restore.out).toBe(0);
    const restored = await openPostgresDb(targetUrl);
    try {
      expect(await migrate(restored)).toEqual([]);
      expect(await parcelValue(restored, 1)).toBe('备份之前');
      const [{ n }] = await restored.query<{ n: number }>('SELECT count(*)::int AS n FROM zones');
      expect(n).toBeGreaterThan(0);
      const served = await serve(restored, targetUrl);
      try {
        const { cookie } = await signIn(served.url, 'viewer');
        expect((await (await fetch(`${served.url}/api/parcels/1`, { headers: { Cookie: cookie } })).json()).environment_standard).toBe('备份之前');
      } finally {
        await served.close();
      }
    } finally {
      await restored.close();
    }
    const refused = await run('server/cli/restore.ts', [path.join(dir, file)], { DATABASE_URL: targetUrl });
    expect(refused.code).toBe(3);
    expect(refused.out).toContain('is not empty: restore into an empty database, or add --force');
    const forced = await run('server/cli/restore.ts', [path.join(dir, file), '--force'], { DATABASE_URL: targetUrl });
    expect(forced.code, forced.out).toBe(0);
  }, 900_000);

  it('writes scheduled backups of PostgreSQL too', async () => {
    const sourceUrl = await newDatabase('demo');
    const dir = path.join(work, 'pg-scheduled');
    const scheduler = createBackupScheduler({ kind: 'postgres', url: sourceUrl }, { dir, everyHours: 24, keep: 1 }, () => undefined);
    expect(await scheduler.tick(new Date('2026-11-28T02:00:00Z'))).toBe(path.join(dir, 'park-atlas-postgres-2026-11-28T020000Z.dump'));
    expect(await scheduler.tick(new Date('2026-11-29T01:59:59Z'))).toBeNull();
    expect(await scheduler.tick(new Date('2026-11-29T02:00:00Z'))).toBe(path.join(dir, 'park-atlas-postgres-2026-11-29T020000Z.dump'));
    expect(readdirSync(dir)).toEqual(['park-atlas-postgres-2026-11-29T020000Z.dump']);
    expect(existsSync(path.join(dir, 'park-atlas-postgres-2026-11-29T020000Z.dump.partial'))).toBe(false);
  }, 900_000);
});

it('names backups by database and UTC time', () => {
  expect(backupFileName('embedded', new Date('2026-01-02T03:04:05.678Z'))).toBe('park-atlas-embedded-2026-01-02T030405Z.tar.gz');
  expect(backupFileName('postgres', new Date('2026-12-31T23:59:59Z'))).toBe('park-atlas-postgres-2026-12-31T235959Z.dump');
});
