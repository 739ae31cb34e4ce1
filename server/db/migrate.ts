/**
 * Applies data/migrations/*.sql in order, each once and in its own transaction, recorded in schema_migrations.
 * Under a PostgreSQL advisory lock: when several app processes start together on one database, one migrates
 * and the others wait, then find nothing left to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from './types.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/migrations');

/** The advisory lock's key: any fixed bigint that no other application on the same database uses ("PAmigr"). */
export const STARTUP_LOCK_KEY = 0x50_41_6d_69_67_72;

/**
 * Runs fn on one connection that holds the start-up lock (migrations, demo data, the first administrator).
 * The lock belongs to the connection: if the process dies, PostgreSQL lets it go.
 */
export async function underStartupLock<T>(db: Db, fn: (conn: Db) => Promise<T>, log: (msg: string) => void = () => undefined): Promise<T> {
  return db.withSession(async (conn) => {
    const [{ got }] = await conn.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [STARTUP_LOCK_KEY]);
    if (!got) {
      log('Another process is preparing the database: waiting for it …');
      await conn.query('SELECT pg_advisory_lock($1::bigint)', [STARTUP_LOCK_KEY]);
    }
    try {
      return await fn(conn);
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1::bigint)', [STARTUP_LOCK_KEY]);
    }
  });
}

export function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  return underStartupLock(db, (conn) => applyMigrations(conn, dir));
}

/** The migration files not yet applied (readiness fails while there are any). */
export async function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = migrationFiles(dir);
  const [{ exists }] = await db.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!exists) return files;
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  return files.filter((f) => !applied.has(f));
}

function migrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort();
}

/** Applies what is missing; the caller holds the start-up lock. */
export async function applyMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  const done: string[] = [];
  for (const file of migrationFiles(dir)) {
    if (applied.has(file)) continue;
    const sql = readFileSync(path.join(dir, file), 'utf8');
    try {
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      });
    } catch (err) {
      throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
    }
    done.push(file);
  }
  return done;
}
