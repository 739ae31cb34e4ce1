/** Builds the Express app without listening, so that tests can use it as it is. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import compression from 'compression';
import express, { type Express } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { pino, type Logger } from 'pino';
import { authenticate, csrfProtection, requireSignIn } from './auth/middleware.ts';
import { PROMOTER_META, can } from '../domain/permissions.ts';
import { auditRouter } from './routes/audit.ts';
import { authRouter } from './routes/auth.ts';
import { usersRouter } from './routes/users.ts';
import { publicRouter } from './routes/public.ts';
import { shortlistsRouter } from './routes/shortlists.ts';
import { landRouter } from './routes/land.ts';
import { mujunRouter } from './routes/mujun.ts';
import { supervisionRouter } from './routes/supervision.ts';
import { indicatorsRouter } from './routes/indicators.ts';
import { PMTILES_PATH, type Config } from './config.ts';
import type { Db } from './db/types.ts';
import { errorHandler, notFoundHandler } from './lib/http.ts';
import { route } from './lib/route.ts';
import * as metaContract from './contract/meta.ts';
import { metaRouter } from './routes/meta.ts';
import { parcelsRouter } from './routes/parcels.ts';
import { extensionsRouter } from './routes/extensions.ts';
import { projectsRouter } from './routes/projects.ts';
import { searchRouter } from './routes/search.ts';
import { tilesRouter } from './routes/tiles.ts';
import { zonesRouter } from './routes/zones.ts';
import { importsRouter } from './routes/imports.ts';
import { exportsRouter } from './routes/exports.ts';
import { leadsRouter } from './routes/leads.ts';
import { toursRouter } from './routes/tours.ts';
import { evaluationRouter } from './routes/evaluation.ts';
import { serviceRouter, todoRouter } from './routes/service.ts';
import { chainsRouter } from './routes/chains.ts';
import { eventsRouter } from './routes/events.ts';
import { acceptancesRouter, parcelTransfersRouter, transfersRouter } from './routes/transfers.ts';
import { factoriesRouter, factoryLeasesRouter } from './routes/factories.ts';
import { statisticsRouter } from './routes/statistics.ts';
import { createTileSource, type TileSource } from './tiles.ts';
import { backupRouter } from './backup/routes.ts';
import { pendingMigrations } from './db/migrate.ts';
import { readFromReplica } from './db/replica.ts';
import { pmtilesHandler } from './basemapFile.ts';
import { replicaRouting, requestIdInErrors, requestLog, securityHeaders } from './lib/habits.ts';

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'basemaps'> &
    Partial<
      Pick<Config, 'pmtilesFile' | 'databaseUrl' | 'secureCookies' | 'trustProxy' | 'publicRequestsPerMinute' | 'databaseReadUrl' | 'readYourWritesSeconds'>
    >;
  /** The built client (dist/client) to serve; omitted = API only. */
  clientDir?: string;
  /** Structured logs (one line per request); omitted = silent (tests). */
  logger?: Logger;
  /** Dev mode serves the client through Vite (inline scripts, a websocket): no CSP then, the other headers still. */
  dev?: boolean;
}

export interface AppLocals {
  tiles: TileSource;
  /** Set on SIGTERM: readiness answers 503 so the load balancer stops sending requests. */
  shuttingDown: boolean;
}

export function createApp({ db, config, clientDir, logger = pino({ level: 'silent' }), dev = false }: AppOptions): Express & { locals: AppLocals } {
  const app = express() as Express & { locals: AppLocals };
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy, req.secure and req.ip come from X-Forwarded-* (TRUST_PROXY=1).
  if (config.trustProxy) app.set('trust proxy', 1);
  const tiles = createTileSource(db);
  app.locals.tiles = tiles;
  app.locals.shuttingDown = false;

  app.use(requestLog(logger));
  app.use(securityHeaders(config.basemaps, { csp: !dev }));
  // JSON answers (zones, 亩均 tables, GeoJSON) compress five- to tenfold; static files come precompressed.
  app.use('/api', compression());
  if (!config.trustProxy) {
    // Without TRUST_PROXY every request behind a proxy seems to come from the proxy: say so once.
    let warned = false;
    app.use((req, _res, next) => {
      if (!warned && req.get('X-Forwarded-For')) {
        warned = true;
        logger.warn(
          'Requests carry X-Forwarded-For but TRUST_PROXY is not set: behind a reverse proxy, set TRUST_PROXY=1 so that rate limits and sign-in throttling see the real addresses.',
        );
      }
      next();
    });
  }

  const api = express.Router();
  api.use(requestIdInErrors);
  // Liveness: the process answers. Readiness: the database answers and is fully migrated (and we are not stopping).
  api.get(
    '/health/live',
    ...route(metaContract.healthLive, (_input, _req, res) => {
      res.set('Cache-Control', 'no-store');
      return { status: 'ok' };
    }),
  );
  api.get(
    '/health/ready',
    ...route(metaContract.healthReady, async (_input, _req, res) => {
      res.set('Cache-Control', 'no-store');
      const problems: string[] = [];
      if (app.locals.shuttingDown) problems.push('shutting down');
      try {
        const pending = await pendingMigrations(db);
        if (pending.length) problems.push(`migrations not applied: ${pending.join(', ')}`);
        if (config.databaseReadUrl) await readFromReplica(() => db.query('SELECT 1'));
      } catch (err) {
        problems.push(`database: ${(err as Error).message}`);
      }
      if (problems.length) res.status(503).json({ status: 'unavailable', problems });
      else return { status: 'ok' };
    }),
  );
  api.use(cookieParser());
  api.use(express.json({ limit: '5mb' }));
  api.use(authenticate(db));
  api.use(csrfProtection);
  if (config.databaseReadUrl) api.use(replicaRouting(config.readYourWritesSeconds ?? 10, config.secureCookies ?? false));
  // Open to everyone: health, settings, the API description, signing in.
  api.use(metaRouter(db, config));
  api.use('/auth', authRouter(db, { secureCookies: config.secureCookies ?? false }));
  // The investor catalogue: public, read-only, allow-listed columns, rate-limited.
  api.use('/public', publicRouter(db, { requestsPerMinute: config.publicRequestsPerMinute ?? 300 }));
  // Everything else is for signed-in users; writes check roles and zones on top.
  api.use(requireSignIn);
  const invalidate = () => tiles.invalidate();
  api.use('/zones', zonesRouter(db, invalidate));
  api.use('/parcels/:id/extensions', extensionsRouter(db));
  api.use('/parcels', parcelsRouter(db, invalidate));
  api.use('/projects', projectsRouter(db, invalidate));
  api.use('/search', searchRouter(db));
  api.use('/tiles', tilesRouter(tiles));
  api.use('/shortlists', shortlistsRouter(db));
  api.use('/land/mujun', mujunRouter(db));
  api.use('/land', landRouter(db));
  api.use('/supervision', supervisionRouter(db));
  api.use('/indicators', indicatorsRouter(db));
  api.use('/imports', importsRouter(db, invalidate));
  api.use('/export', exportsRouter(db));
  api.use('/leads', leadsRouter(db, invalidate));
  api.use('/tours', toursRouter(db));
  api.use('/evaluation', evaluationRouter(db));
  api.use('/service', serviceRouter(db));
  api.use('/todo', todoRouter(db));
  api.use('/chains', chainsRouter(db));
  api.use('/events', eventsRouter(db));
  api.use('/transfers', transfersRouter(db));
  api.use('/parcel-transfers', parcelTransfersRouter(db));
  api.use('/transfer-acceptances', acceptancesRouter(db));
  api.use('/factories', factoriesRouter(db));
  api.use('/factory-leases', factoryLeasesRouter(db));
  api.use('/statistics', statisticsRouter(db));
  api.use(usersRouter(db));
  api.use(auditRouter(db));
  api.use('/admin', backupRouter(db, config.databaseUrl));
  api.use(notFoundHandler);
  api.use(errorHandler);
  app.use('/api', api);
  if (config.pmtilesFile) app.get(PMTILES_PATH, pmtilesHandler(config.pmtilesFile));

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(
      // Vite's build writes .br and .gz copies of every asset (client/build/precompress.ts): sent as they are.
      expressStaticGzip(clientDir, {
        enableBrotli: true,
        orderPreference: ['br', 'gz'],
        index: false,
        serveStatic: {
          index: false,
          // Vite's hashed bundles (/assets/name-HASH.js) never change: cached for a year. Anything else is revalidated.
          setHeaders: (res, file) => {
            res.setHeader(
              'Cache-Control',
              /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}(\.\w+)+$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
            );
          },
        },
      }),
    );
    // The public investor pages are their own page: its bundle knows only the public API. A signed-in promoter
    // gets the same page marked as theirs (a meta tag): only then does it load the shortlist tools, so that an
    // anonymous visitor's page never asks an internal route.
    app.get(/^\/invest(\/.*)?$/, cookieParser(), authenticate(db), (req, res) => {
      res.set({ 'Cache-Control': 'no-cache', Vary: 'Cookie' });
      const page = path.join(clientDir, 'invest.html');
      if (!req.user || !can(req.user, 'catalogue.edit')) return res.sendFile(page);
      res.type('html').send(readFileSync(page, 'utf8').replace('</head>', `  <meta name="${PROMOTER_META}" content="1" />\n  </head>`));
    });
    // Client-side routes all get the app's page.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }
  app.use(errorHandler);
  return app;
}
