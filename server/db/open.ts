/** The one place that chooses the database: DATABASE_URL → real PostgreSQL, otherwise embedded PGlite. */
import type { Db } from './types.ts';

export async function openDb(config: { databaseUrl?: string; databaseReadUrl?: string; dataDir: string; embeddedFsync?: boolean }): Promise<Db> {
  if (config.databaseUrl) {
    const { openPostgresDb } = await import('./postgres.ts');
    return openPostgresDb(config.databaseUrl, { readUrl: config.databaseReadUrl });
  }
  if (config.databaseReadUrl) throw new Error('DATABASE_READ_URL is a replica of DATABASE_URL: set DATABASE_URL too (the embedded database has no replicas).');
  const { openEmbeddedDb } = await import('./embedded.ts');
  return openEmbeddedDb({ dataDir: config.dataDir, durability: config.embeddedFsync === false ? 'off' : 'full' });
}
