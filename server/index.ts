/**
 * Starts Park Atlas: reads the configuration, opens (and if new, creates and fills) the database, and serves
 * the API and the built client. With --dev the client is served by Vite with hot reload instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { openAndPrepareDb } from './bootstrap.ts';
import { readConfig } from './config.ts';
import { setAppTimeZone } from '../domain/dates.ts';
import { startScheduledBackups } from './backup/schedule.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');

async function main() {
  // Settings from a .env file when there is one (see .env.example); the real environment wins.
  if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  const config = readConfig();
  setAppTimeZone(config.timeZone);
  console.log(config.databaseUrl ? 'Database: PostgreSQL from DATABASE_URL' : `Database: embedded PostGIS (PGlite) in ${config.dataDir}`);
  const db = await openAndPrepareDb(config);
  const backups = startScheduledBackups(db, config);
  const app = createApp({ db, config, clientDir: dev ? undefined : path.join(root, 'dist/client') });
  if (dev) {
    const { createServer } = await import('vite');
    // The client's root, given inline (inline settings win over the config file's).
    const vite = await createServer({ root: path.join(root, 'client'), server: { middlewareMode: true }, appType: 'spa' });
    // The public pages are their own HTML entry; every other page falls back to the app's index.html.
    app.use((req, _res, next) => {
      if (/^\/invest(\/[^.]*)?$/.test(req.path)) req.url = '/invest.html';
      next();
    });
    app.use(vite.middlewares);
  }
  const server = app.listen(config.port, config.host, () => {
    console.log(`Park Atlas 园区一张图 is running at http://localhost:${config.port}/`);
  });
  // Outlive a load balancer's idle timeout (often 60 s), so that it never reuses a connection we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const stop = async () => {
    server.close();
    backups?.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`Park Atlas could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
