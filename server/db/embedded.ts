/** The embedded database: PGlite (PostgreSQL in WebAssembly) with its PostGIS extension, in-process. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable } from './types.ts';
import { sharedParsers } from './types.ts';

export interface EmbeddedOptions {
  /** A directory to persist to; omitted = in memory. */
  dataDir?: string;
  /** Start from a dump made by dumpDataDir() (tests copy one migrated database this way). */
  loadDataDir?: Blob | File;
}

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T>(text: string, values: unknown[] = []) {
      const res = await q.query<T>(text, values);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

export async function openEmbeddedDb(options: EmbeddedOptions = {}): Promise<Db & { pglite: PGlite }> {
  // PGlite creates its own directory but not the ones above it.
  if (options.dataDir) mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { postgis },
    parsers: sharedParsers,
  });
  await pglite.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  const base = wrap(pglite);
  const db: Db & { pglite: PGlite } = {
    kind: 'embedded',
    pglite,
    ...base,
    // PGlite has one session: transactions serialise everything, which is what we want here.
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    withSession: (fn) => fn(db),
    close: () => pglite.close(),
  };
  return db;
}
