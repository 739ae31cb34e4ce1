/**
 * The databases every API test runs against: the embedded PostGIS always, a real PostgreSQL + PostGIS when
 * TEST_DATABASE_URL is set (CI sets it, and REQUIRE_POSTGRES=1 makes its absence a failure).
 * Read-only suites share the seeded database; suites that write get their own copy (`writable: true`).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';

export interface DbTarget {
  name: 'embedded' | 'postgres';
  open: () => Promise<Db>;
}

/** The database name of a URL, checked to be a plain identifier (it is pasted into CREATE DATABASE). */
function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(name)) throw new Error(`TEST_DATABASE_URL's database name must be a plain lower-case identifier, got "${name}".`);
  return name;
}

/** Runs fn connected to the server's "postgres" database, to create or drop test databases. */
export async function withMaintenanceDb<T>(url: string, fn: (db: Db, name: string) => Promise<T>): Promise<T> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const db = await openPostgresDb(maintenance.toString());
  try {
    return await fn(db, databaseName(url));
  } finally {
    await db.close();
  }
}

/** A fresh copy of the seeded PostgreSQL test database (another process may open it by its URL), and how to drop it. */
export async function postgresCopy(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const copy = await withMaintenanceDb(url, async (admin, name) => {
    const copyName = `${name}_w${randomBytes(4).toString('hex')}`;
    await admin.exec(`CREATE DATABASE ${copyName} TEMPLATE ${name}_template`);
    return copyName;
  });
  const copyUrl = new URL(url);
  copyUrl.pathname = `/${copy}`;
  return { url: copyUrl.toString(), drop: () => withMaintenanceDb(url, (admin) => admin.exec(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)) };
}

async function openPostgresCopy(url: string): Promise<Db> {
  const copy = await postgresCopy(url);
  return closingAlso(await openPostgresDb(copy.url), copy.drop);
}

/** The database, whose close() also removes the copy it was opened on (after closing, even if closing failed). */
function closingAlso(db: Db, removeCopy: () => unknown): Db {
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await removeCopy();
      }
    },
  };
}

/**
 * The seeded embedded database as PGlite's data-directory dump, for the tests that load a dump themselves (into
 * a data directory of their own, or to restore it); the others open a copy of the directory (openEmbeddedCopy).
 * A plain tar, not gzipped: nothing to inflate at each load.
 */
export function demoDumpBlob(): Blob {
  return new Blob([readFileSync(inject('embeddedDumpPath'))], { type: 'application/x-tar' });
}

/** Where test copies of the embedded database go: memory-backed /dev/shm where the system has it. */
const copiesRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/**
 * A fresh writable copy of the seeded embedded database: its data directory copied by the file system and
 * opened in place (PGlite's file layer, fsync off: a test copy need not survive a power cut), removed on close.
 * Copying 91 MB of files and opening them costs less than reading the dump into PGlite's memory (about 1 s of
 * CPU less per open, measured), and the copy is the same database.
 */
export async function openEmbeddedCopy(): Promise<Db> {
  const parent = mkdtempSync(path.join(copiesRoot, 'park-atlas-test-'));
  const dataDir = path.join(parent, 'pglite');
  const removeCopy = () => rmSync(parent, { recursive: true, force: true });
  try {
    cpSync(inject('embeddedDemoDir'), dataDir, { recursive: true });
    return closingAlso(await openEmbeddedDb({ dataDir, durability: 'off' }), removeCopy);
  } catch (err) {
    removeCopy();
    throw err;
  }
}

export function dbTargets(options: { writable?: boolean } = {}): DbTarget[] {
  const targets: DbTarget[] = [
    {
      name: 'embedded',
      open: openEmbeddedCopy,
    },
  ];
  const url = inject('postgresUrl');
  if (url) targets.push({ name: 'postgres', open: () => (options.writable ? openPostgresCopy(url) : openPostgresDb(url)) });
  return targets;
}
