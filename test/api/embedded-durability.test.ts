/**
 * The embedded database's durability mode: with a data directory its commits reach the disk (host fsync calls
 * for the WAL at each commit), and /api/health says which mode runs. PGlite 0.5.8 alone makes none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hostFsyncs, openEmbeddedDb, startParamsFor } from '../../server/db/embedded.ts';
import { demoDumpBlob } from '../helpers/databases.ts';
import { startTestServer } from '../helpers/server.ts';

const work = mkdtempSync(path.join(tmpdir(), 'pa-durable-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('starts PostgreSQL with fsync on and the WAL synced by fsync(), unless told otherwise', () => {
  expect(startParamsFor('full')).not.toContain('-F');
  expect(startParamsFor('full').join(' ')).toContain('-c wal_sync_method=fsync');
  expect(startParamsFor('off')).toContain('-F');
});

it('syncs every commit to the host disk, and says so in /api/health', async () => {
  const db = await openEmbeddedDb({ dataDir: path.join(work, 'full'), loadDataDir: demoDumpBlob() });
  try {
    expect(db.durability).toBe('full');
    const [{ fsync, wal_sync_method }] = await db.query<{ fsync: string; wal_sync_method: string }>(
      `SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS wal_sync_method`,
    );
    expect([fsync, wal_sync_method]).toEqual(['on', 'fsync']);
    const before = hostFsyncs.files;
    for (let i = 1; i <= 5; i++) await db.query('UPDATE parcels SET environment_standard = $1 WHERE id = $2', [`第 ${i} 次`, i]);
    // One WAL flush per commit at least.
    expect(hostFsyncs.files - before).toBeGreaterThanOrEqual(5);
    const server = await startTestServer(db);
    try {
      expect((await server.json('/api/health')).body.durability).toBe('full');
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
}, 600_000);

it('makes no fsync with EMBEDDED_FSYNC=off, and says so', async () => {
  const db = await openEmbeddedDb({ dataDir: path.join(work, 'off'), loadDataDir: demoDumpBlob(), durability: 'off' });
  try {
    const before = hostFsyncs.files;
    for (let i = 1; i <= 5; i++) await db.query('UPDATE parcels SET environment_standard = $1 WHERE id = $2', [`第 ${i} 次`, i]);
    expect(hostFsyncs.files - before).toBe(0);
    const server = await startTestServer(db);
    try {
      expect((await server.json('/api/health')).body.durability).toBe('off');
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
}, 600_000);
