/**
 * Starts Park Atlas: reads the configuration, opens (and if new, creates and fills) the database, and serves
 * the API and the built client. With --dev the client is served by Vite with hot reload instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.ts';
import { openAndPrepareDb } from './bootstrap.ts';
import { readConfig } from './config.ts';
import { setAppTimeZone } from '../domain/dates.ts';
import { startScheduledBackups } from './backup/schedule.ts';
import { startReminderSchedule } from './services/reminders.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');

async function main() {
  // Settings from a .env file when there is one (see .env.example); the real environment wins.
  if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  const config = readConfig();
  setAppTimeZone(config.timeZone);
  // Structured JSON logs on stdout, one object a line (pipe through pino-pretty to read them in a terminal).
  const logger = pino({ level: config.logLevel, base: { pid: process.pid } });
  const log = (msg: string) => logger.info(msg);
  log(
    config.databaseUrl
      ? `Database: PostgreSQL from DATABASE_URL${config.databaseReadUrl ? ', reads from DATABASE_READ_URL' : ''}`
      : `Database: embedded PostGIS (PGlite) in ${config.dataDir}`,
  );
  const db = await openAndPrepareDb(config, log);
  const backups = startScheduledBackups(db, config);
  // REMINDER_SEND_AT=HH:MM: the daily overdue reminders through the webhook (see the README).
  const reminders = startReminderSchedule(db, process.env.REMINDER_SEND_AT, log);
  const app = createApp({ db, config, logger, dev, clientDir: dev ? undefined : path.join(root, 'dist/client') });
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
    log(`Park Atlas 园区一张图 is running at http://localhost:${config.port}/`);
  });
  // Outlive a load balancer's idle timeout (often 60 s), so that it never reuses a connection we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Graceful stop: readiness turns 503, no new connections, requests in flight finish (up to a time limit),
  // idle keep-alive connections close, then the database.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.locals.shuttingDown = true;
    backups?.stop();
    reminders?.stop();
    log(`${signal}: finishing requests in flight (at most ${config.shutdownTimeoutSeconds} s), then stopping.`);
    const deadline = setTimeout(() => {
      logger.warn('Requests still running at the time limit: closing their connections.');
      server.closeAllConnections();
    }, config.shutdownTimeoutSeconds * 1000);
    deadline.unref();
    server.close(async () => {
      clearTimeout(deadline);
      await db.close().catch((err) => logger.error({ err }, 'closing the database failed'));
      log('Stopped.');
      process.exit(0);
    });
    // Connections left idle by finished requests close at once (keep-alive would hold them for a minute).
    setInterval(() => server.closeIdleConnections(), 200).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`Park Atlas could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
