/** The one place that chooses the database: DATABASE_URL → real PostgreSQL, otherwise embedded PGlite. */
import type { Db } from './types.ts';

export async function openDb(config: { databaseUrl?: string; dataDir: string; embeddedFsync?: boolean }): Promise<Db> {
  if (config.databaseUrl) {
    const { openPostgresDb } = await import('./postgres.ts');
    return openPostgresDb(config.databaseUrl);
  }
  const { openEmbeddedDb } = await import('./embedded.ts');
  return openEmbeddedDb({ dataDir: config.dataDir, durability: config.embeddedFsync === false ? 'off' : 'full' });
}
