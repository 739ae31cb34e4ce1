/**
 * Once per test run: builds the demo database on the embedded PostGIS and saves it as a data directory that
 * every test file copies (instead of 20 s for a fresh create + seed) and as PGlite's dump, and, when
 * TEST_DATABASE_URL is set, resets that database and fills it the same way.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateDataset } from '../../data/generator.ts';
import { seedDataset } from '../../data/seed.ts';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import { seedDemoAccounts } from '../../server/accounts.ts';
import { withMaintenanceDb } from '../helpers/databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedDumpPath: string;
    embeddedDemoDir: string;
    postgresUrl: string | null;
  }
}

/**
 * The API and browser projects both name this setup; Vitest runs it once per project, in one process, so the
 * databases are built once (the first call) and both projects are given the same ones.
 */
const shared = globalThis as { parkAtlasDemoDatabases?: Promise<{ dumpPath: string; demoDir: string; url: string | null }> };

export default async function setup(project: TestProject) {
  shared.parkAtlasDemoDatabases ??= buildDemoDatabases();
  const { dumpPath, demoDir, url } = await shared.parkAtlasDemoDatabases;
  project.provide('embeddedDumpPath', dumpPath);
  project.provide('embeddedDemoDir', demoDir);
  project.provide('postgresUrl', url);
}

async function buildDemoDatabases(): Promise<{ dumpPath: string; demoDir: string; url: string | null }> {
  const outDir = path.resolve('test-output');
  mkdirSync(outDir, { recursive: true });
  const dumpPath = path.join(outDir, 'embedded-demo.tar');
  const demoDir = path.join(outDir, 'embedded-demo');
  const data = generateDataset();
  // Demo accounts hashed cheaply: bcrypt's cost is in each hash, so sign-ins in tests stay fast.
  process.env.BCRYPT_COST = '4';

  const url = process.env.TEST_DATABASE_URL || null;
  if (!url && process.env.REQUIRE_POSTGRES === '1') {
    throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the API tests must also run against a real PostgreSQL + PostGIS.');
  }
  // Both at once: the embedded database works in this process, PostgreSQL in its own (two cores, both busy).
  await Promise.all([buildEmbedded(data, dumpPath, demoDir), url ? buildPostgres(data, url) : null]);
  return { dumpPath, demoDir, url };
}

async function buildEmbedded(data: ReturnType<typeof generateDataset>, dumpPath: string, demoDir: string): Promise<void> {
  const embedded = await openEmbeddedDb();
  await migrate(embedded);
  await seedDataset(embedded, data);
  await seedDemoAccounts(embedded);
  // A plain tar (see demoDumpBlob in test/helpers/databases.ts).
  const dump = await embedded.pglite.dumpDataDir('none');
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await embedded.close();
  // The same database as a data directory, which test files copy with the file system and open in place
  // (see openEmbeddedCopy in test/helpers/databases.ts): no tar to read into memory at every open.
  rmSync(demoDir, { recursive: true, force: true });
  const onDisk = await openEmbeddedDb({ dataDir: demoDir, loadDataDir: dump, durability: 'off' });
  await onDisk.close();
}

async function buildPostgres(data: ReturnType<typeof generateDataset>, url: string): Promise<void> {
  const pg = await openPostgresDb(url);
  // The test database is ours to wipe: start from an empty schema every run.
  await pg.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS postgis;');
  await migrate(pg);
  await seedDataset(pg, data);
  await seedDemoAccounts(pg);
  await pg.close();
  // A template copy for tests that write: each of them gets a fresh database cloned from it.
  await withMaintenanceDb(url, async (admin, name) => {
    await admin.exec(`DROP DATABASE IF EXISTS ${name}_template`);
    await admin.exec(`CREATE DATABASE ${name}_template TEMPLATE ${name}`);
  });
}
