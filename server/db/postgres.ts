/** A real PostgreSQL + PostGIS server through node-postgres, optionally with a read replica. */
import pg from 'pg';
import type { Db, Queryable } from './types.ts';
import { sharedParsers } from './types.ts';
import { wantsReplica } from './replica.ts';

for (const [oid, parse] of Object.entries(sharedParsers)) pg.types.setTypeParser(Number(oid), parse);

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(text: string, values: unknown[] = []) {
      const res = await client.query(text, values);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

async function inTransaction<T>(client: pg.PoolClient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(wrap(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** One held connection as a Db (for withSession): its transactions run on that same connection. */
function sessionDb(client: pg.PoolClient): Db {
  const db: Db = {
    kind: 'postgres',
    ...wrap(client),
    transaction: (fn) => inTransaction(client, fn),
    withSession: (fn) => fn(db),
    close: async () => undefined,
  };
  return db;
}

function makePool(connectionString: string, what: string): pg.Pool {
  // JIT added ~0.6 s to the first aggregate and nothing after: off. Options given in the URL (?options=…) are kept.
  const fromUrl = new URL(connectionString).searchParams.get('options');
  const pool = new pg.Pool({ connectionString, options: [fromUrl, '-c jit=off'].filter(Boolean).join(' '), max: 10 });
  pool.on('error', (err) => console.error(`PostgreSQL pool error (${what}):`, err.message));
  return pool;
}

async function checkConnection(pool: pg.Pool, what: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new Error(`Cannot connect to ${what}: ${(err as Error).message}`, { cause: err });
  }
}

export async function openPostgresDb(connectionString: string, options: { readUrl?: string } = {}): Promise<Db> {
  const pool = makePool(connectionString, 'DATABASE_URL');
  await checkConnection(pool, 'DATABASE_URL');
  try {
    // Under a transaction-level advisory lock: two processes starting on a new database would otherwise
    // race to create the extension, and one would fail.
    const client = await pool.connect();
    try {
      await inTransaction(client, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['park-atlas create extension']);
        await tx.query('CREATE EXTENSION IF NOT EXISTS postgis');
      });
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    throw new Error(
      `PostGIS is missing on this PostgreSQL server and could not be created (${(err as Error).message}). ` +
        'Install it (Debian: apt-get install postgresql-15-postgis-3) or ask the database administrator to run CREATE EXTENSION postgis.',
      { cause: err },
    );
  }
  let readPool: pg.Pool | null = null;
  if (options.readUrl) {
    readPool = makePool(options.readUrl, 'DATABASE_READ_URL');
    try {
      await checkConnection(readPool, 'DATABASE_READ_URL');
    } catch (err) {
      await pool.end();
      throw err;
    }
  }
  const primary = wrap(pool);
  const replica = readPool ? wrap(readPool) : null;
  const db: Db = {
    kind: 'postgres',
    // Plain queries inside readFromReplica() go to the replica when there is one; everything else to the primary.
    query: (text, values) => (replica && wantsReplica() ? replica : primary).query(text, values),
    exec: (sql) => primary.exec(sql),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        client.release();
      }
    },
    async withSession(fn) {
      const client = await pool.connect();
      let failed = false;
      try {
        return await fn(sessionDb(client));
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        // A connection whose work failed may still hold session state (a lock): closed, not reused.
        client.release(failed);
      }
    },
    close: async () => {
      await Promise.all([pool.end(), readPool?.end()]);
    },
  };
  return db;
}
