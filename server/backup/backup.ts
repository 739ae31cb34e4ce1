/**
 * Backups of either database, and restores into an empty one.
 *
 * - Embedded (PGlite): the data directory itself, as PGlite's own gzipped tar (`dumpDataDir`), taken inside a
 *   transaction of its own after a CHECKPOINT. PGlite has one session and a transaction mutex, so no other
 *   transaction is half-way through while the directory is read, and it is read in one synchronous pass: the
 *   copy is a consistent image that PGlite opens as it is. It is a PGlite-only format (a physical copy), made by
 *   the process that holds the database: the running server (scheduled backups, GET /api/admin/backup) or the
 *   command line when no server runs.
 * - PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (Debian's postgresql-client): one consistent snapshot
 *   of a running database, compressed, restored with `pg_restore --single-transaction` (all or nothing).
 *   pg_dump must be at least the server's major version (it refuses a newer server and says so).
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { dataDirOwner, DataDirInUseError, openEmbeddedDb } from '../db/embedded.ts';
import type { Db } from '../db/types.ts';

export type BackupKind = 'embedded' | 'postgres';
/** What to back up: the open embedded database, or a PostgreSQL connection string. */
export type BackupSource = { kind: 'embedded'; pglite: PGlite } | { kind: 'postgres'; url: string };

const EXTENSION: Record<BackupKind, string> = { embedded: '.tar.gz', postgres: '.dump' };
/** park-atlas-embedded-2026-11-28T083000Z.tar.gz: sorts by time, and says which database it restores into. */
const NAME_PATTERN = /^park-atlas-(embedded|postgres)-(\d{4}-\d{2}-\d{2}T\d{6}Z)\.(tar\.gz|dump)$/;

export function backupFileName(kind: BackupKind, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '');
  return `park-atlas-${kind}-${stamp}${EXTENSION[kind]}`;
}

/** The consistent image of the embedded database described above, as a gzipped tar. */
export async function dumpEmbedded(pglite: PGlite): Promise<Uint8Array> {
  return pglite.transaction(async (tx) => {
    // Writes every committed page out, so that the copy needs no WAL replay when opened.
    await tx.exec('CHECKPOINT');
    const blob = await pglite.dumpDataDir('gzip');
    return new Uint8Array(await blob.arrayBuffer());
  });
}

/** The connection string without its password, and the password for PGPASSWORD (not visible in `ps`). */
function splitPassword(url: string): { url: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function runTool(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) =>
      reject(new Error(`${command} could not be started (${err.message}). Install PostgreSQL's client tools (Debian: apt-get install postgresql-client).`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed: ${stderr.trim() || `exit code ${code}`}`))));
  });
}

/** Writes a file so that it is either whole or absent, even across a power cut: temporary name, fsync, rename, fsync the directory. */
async function writeDurably(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  const partial = `${file}.partial`;
  try {
    await write(partial);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
    syncDirectory(path.dirname(file));
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

function syncDirectory(dir: string) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes one backup to `file` (a path chosen by the caller). */
export async function writeBackupFile(source: BackupSource, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  if (source.kind === 'embedded') {
    const bytes = await dumpEmbedded(source.pglite);
    await writeDurably(file, async (partial) => writeFileSync(partial, bytes));
  } else {
    const { url, env } = splitPassword(source.url);
    // Custom format: compressed, and pg_restore can restore it in one transaction.
    await writeDurably(file, (partial) =>
      runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${url}`], env),
    );
  }
}

/** Writes a dated backup into dir; returns its path. */
export async function writeBackup(source: BackupSource, dir: string, at = new Date()): Promise<string> {
  const file = path.join(dir, backupFileName(source.kind, at));
  await writeBackupFile(source, file);
  return file;
}

/** A backup as a stream, for the download endpoint (written to a temporary file first: pg_dump's custom format seeks). */
export async function backupStream(source: BackupSource, tmpDir: string): Promise<{ name: string; stream: Readable; size: number }> {
  const name = backupFileName(source.kind, new Date());
  const file = path.join(tmpDir, `${process.pid}-${Date.now()}-${name}`);
  await writeBackupFile(source, file);
  const size = statSync(file).size;
  const stream = createReadStream(file);
  stream.on('close', () => rmSync(file, { force: true }));
  return { name, stream, size };
}

/** The backups in dir made by this app, newest first. */
export function listBackups(dir: string): { name: string; kind: BackupKind; at: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, m: NAME_PATTERN.exec(name) }))
    .filter((f) => f.m !== null)
    .map((f) => ({ name: f.name, kind: f.m![1] as BackupKind, at: f.m![2] }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** Deletes all but the newest `keep` backups of this kind; returns the names deleted. Other files are left alone. */
export function pruneBackups(dir: string, kind: BackupKind, keep: number): string[] {
  const old = listBackups(dir)
    .filter((b) => b.kind === kind)
    .slice(keep);
  for (const b of old) rmSync(path.join(dir, b.name), { force: true });
  return old.map((b) => b.name);
}

/** Which database a backup file restores into, from its first bytes. */
export function backupKindOf(file: string): BackupKind {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded';
  throw new Error(`${file} is not a Park Atlas backup (neither a pg_dump custom-format file nor an embedded database's .tar.gz).`);
}

export class NotEmptyError extends Error {}

function fsyncTree(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(p);
    else if (entry.isFile()) {
      const fd = openSync(p, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  syncDirectory(dir);
}

/**
 * Restores an embedded backup into dataDir, which must not exist or be empty (force: its contents are deleted
 * first). Returns the number of applied migrations found in it, as a check that the copy opens.
 */
export async function restoreEmbedded(file: string, dataDir: string, options: { force?: boolean } = {}): Promise<number> {
  const owner = dataDirOwner(dataDir);
  if (owner !== null) throw new DataDirInUseError(dataDir, owner);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!options.force) throw new NotEmptyError(`${dataDir} is not empty: restore into an empty directory, or add --force to replace its database.`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const dump = new Blob([readFileSync(file)], { type: 'application/x-gzip' });
  const db = await openEmbeddedDb({ dataDir, loadDataDir: dump });
  let migrations: number;
  try {
    [{ n: migrations }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  } finally {
    await db.close();
  }
  // PGlite wrote the files without syncing them; sync them before calling the restore done.
  fsyncTree(dataDir);
  return migrations;
}

/** The number of tables of ours in the database (PostGIS's spatial_ref_sys does not count). */
async function userTableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'`);
    return res.rows[0].n;
  } finally {
    await client.end();
  }
}

/**
 * Restores a pg_dump custom-format backup into the database at url, which must have no tables of ours (force:
 * its public schema is dropped and recreated first). pg_restore runs in one transaction: all or nothing.
 */
export async function restorePostgres(file: string, url: string, options: { force?: boolean } = {}): Promise<number> {
  if ((await userTableCount(url)) > 0) {
    if (!options.force)
      throw new NotEmptyError('The database at DATABASE_URL is not empty: restore into an empty database, or add --force to replace its contents.');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    } finally {
      await client.end();
    }
  }
  const { url: bare, env } = splitPassword(url);
  await runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${bare}`, file], env);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n;
  } finally {
    await client.end();
  }
}

/** What the running server backs up: its own embedded database, or DATABASE_URL. */
export function backupSourceOf(db: Db, databaseUrl: string | undefined): BackupSource | null {
  if (db.kind === 'embedded') return 'pglite' in db ? { kind: 'embedded', pglite: (db as Db & { pglite: PGlite }).pglite } : null;
  return databaseUrl ? { kind: 'postgres', url: databaseUrl } : null;
}
