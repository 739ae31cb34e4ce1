/**
 * The databases every API test runs against: the embedded PostGIS always, a real PostgreSQL + PostGIS when
 * TEST_DATABASE_URL is set (CI sets it, and REQUIRE_POSTGRES=1 makes its absence a failure).
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';

export interface DbTarget {
  name: 'embedded' | 'postgres';
  open: () => Promise<Db>;
}

export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [
    {
      name: 'embedded',
      open: () => openEmbeddedDb({ loadDataDir: new Blob([readFileSync(inject('embeddedDumpPath'))]) }),
    },
  ];
  const url = inject('postgresUrl');
  if (url) targets.push({ name: 'postgres', open: () => openPostgresDb(url) });
  return targets;
}
