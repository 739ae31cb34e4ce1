/** Builds the Express app without listening, so that tests can use it as it is. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { authenticate, csrfProtection, requireSignIn } from './auth/middleware.ts';
import { auditRouter } from './routes/audit.ts';
import { authRouter } from './routes/auth.ts';
import { usersRouter } from './routes/users.ts';
import { publicRouter } from './routes/public.ts';
import { shortlistsRouter } from './routes/shortlists.ts';
import { landRouter } from './routes/land.ts';
import { mujunRouter } from './routes/mujun.ts';
import { supervisionRouter } from './routes/supervision.ts';
import { indicatorsRouter } from './routes/indicators.ts';
import type { Config } from './config.ts';
import type { Db } from './db/types.ts';
import { errorHandler, notFoundHandler } from './lib/http.ts';
import { metaRouter } from './routes/meta.ts';
import { parcelsRouter } from './routes/parcels.ts';
import { extensionsRouter } from './routes/extensions.ts';
import { projectsRouter } from './routes/projects.ts';
import { searchRouter } from './routes/search.ts';
import { tilesRouter } from './routes/tiles.ts';
import { zonesRouter } from './routes/zones.ts';
import { importsRouter } from './routes/imports.ts';
import { exportsRouter } from './routes/exports.ts';
import { createTileSource, type TileSource } from './tiles.ts';
import { backupRouter } from './backup/routes.ts';

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'basemaps'> & { databaseUrl?: string; secureCookies?: boolean; trustProxy?: boolean; publicRequestsPerMinute?: number };
  /** The built client (dist/client) to serve; omitted = API only. */
  clientDir?: string;
}

export function createApp({ db, config, clientDir }: AppOptions): Express & { locals: { tiles: TileSource } } {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy, req.secure and req.ip come from X-Forwarded-* (TRUST_PROXY=1).
  if (config.trustProxy) app.set('trust proxy', 1);
  const tiles = createTileSource(db);
  app.locals.tiles = tiles;

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  api.use(cookieParser());
  api.use(express.json({ limit: '5mb' }));
  api.use(authenticate(db));
  api.use(csrfProtection);
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
  api.use(usersRouter(db));
  api.use(auditRouter(db));
  api.use('/admin', backupRouter(db, config.databaseUrl));
  api.use(notFoundHandler);
  api.use(errorHandler);
  app.use('/api', api);

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // The public investor pages are their own page: its bundle knows only the public API.
    app.get(/^\/invest(\/.*)?$/, (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'invest.html'));
    });
    // Client-side routes all get the app's page.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }
  app.use(errorHandler);
  return app as Express & { locals: { tiles: TileSource } };
}
