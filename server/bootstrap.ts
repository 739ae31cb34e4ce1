/** Opens the configured database, migrates it, and fills an empty one with the demo data when asked to. */
import { generateDataset } from '../data/generator.ts';
import { DEMO_ACCOUNTS, ensureAdminFromEnv, seedDemoAccounts, userCount } from './accounts.ts';
import { datasetSummary } from '../data/summary.ts';
import { DATASET_SETTING, isEmpty, markDemoData, seedDataset } from '../data/seed.ts';
import { DEMO_AS_OF } from '../data/generator.ts';
import { ZONE_SEEDS } from '../data/zoneCatalogue.ts';
import type { Config } from './config.ts';
import { applyMigrations, underStartupLock } from './db/migrate.ts';
import { openDb } from './db/open.ts';
import type { Db } from './db/types.ts';

export async function openAndPrepareDb(config: Config, log: (msg: string) => void = console.log): Promise<Db> {
  const db = await openDb(config);
  try {
    // Under the start-up lock: of several processes starting together, one migrates and seeds, the others
    // wait for it and then find nothing to do.
    await underStartupLock(db, (conn) => prepare(conn, config, log), log);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

async function prepare(db: Db, config: Config, log: (msg: string) => void): Promise<void> {
  const applied = await applyMigrations(db);
  log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Migrations: the database is up to date.');
  if (await isEmpty(db)) {
    const wanted = config.demoData === 'yes' || (config.demoData === 'auto' && db.kind === 'embedded');
    if (wanted) {
      log('The database is empty: loading the demo data (illustrative Shanxi zones) …');
      const data = generateDataset();
      let lastTable = '';
      await seedDataset(db, data, (table, done, total) => {
        if (table !== lastTable || done === total) log(`  ${table}: ${done}/${total}`);
        lastTable = table;
      });
      const s = datasetSummary(data);
      log(`Demo data loaded: ${s.zones} zones, ${s.parcels} parcels, ${s.projects} projects, ${s.enterprises} enterprises.`);
    } else {
      log('The database has no zones. Set DEMO_DATA=yes to load the demo data, or import your own.');
    }
  }
  await recogniseEarlierDemo(db);
  // The demo's accounts come with the demo (never on a real server unless DEMO_DATA=yes).
  const demo = config.demoData === 'yes' || (config.demoData === 'auto' && db.kind === 'embedded');
  if (demo && (await userCount(db)) === 0 && !process.env.ADMIN_USERNAME) {
    await seedDemoAccounts(db);
    log(`Demo accounts (see README): ${DEMO_ACCOUNTS.map((a) => `${a.username} / ${a.password}`).join(', ')}`);
  }
  await ensureAdminFromEnv(db, process.env, log);
}

/**
 * Databases seeded with the demo before the demo was recorded as such: recognised by holding exactly the demo
 * catalogue's zones, so that they keep their "示意" notice. Anything else is the operator's own data.
 */
async function recogniseEarlierDemo(db: Db): Promise<void> {
  const [fact] = await db.query('SELECT 1 FROM settings WHERE key = $1', [DATASET_SETTING]);
  if (fact) return;
  const zones = await db.query<{ code: string }>('SELECT code FROM zones');
  const demoCodes = new Set(ZONE_SEEDS.map((z) => z.code));
  if (zones.length === demoCodes.size && zones.every((z) => demoCodes.has(z.code))) await markDemoData(db, DEMO_AS_OF);
}
