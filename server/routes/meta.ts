/** Health, client configuration and the OpenAPI document. */
import { Router } from 'express';
import { appTimeZoneName } from '../../domain/dates.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { demoFacts } from '../lib/dataset.ts';
import { route } from '../lib/route.ts';
import { openApiDocument } from '../contract/document.ts';
import * as contract from '../contract/meta.ts';
import { PARCELS_MIN_ZOOM } from '../tiles.ts';

/**
 * How safe an acknowledged write is. Embedded: 'full' (synced to disk), 'off' (EMBEDDED_FSYNC=off: survives the
 * process dying, not the machine), 'memory'. PostgreSQL: 'full' unless its fsync or synchronous_commit is off.
 */
async function durabilityOf(db: Db): Promise<string> {
  if (db.kind === 'embedded') return db.durability ?? 'full';
  const [s] = await db.query<{ fsync: string; sync_commit: string }>(
    `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync_commit`,
  );
  return s.fsync === 'on' && s.sync_commit !== 'off' ? 'full' : 'relaxed';
}

export function metaRouter(db: Db, config: Pick<Config, 'basemaps'>): Router {
  const router = Router();
  router.get(
    '/health',
    ...route(contract.health, async () => {
      const [row] = await db.query(sql.health);
      return { status: 'ok', database: db.kind, durability: await durabilityOf(db), ...row };
    }),
  );
  router.get(
    '/config',
    ...route(contract.clientConfig, async () => ({
      basemaps: config.basemaps,
      // The demo notice only for the demo: a deployment on its own data must not print "示意" on its sheets.
      demo: await demoFacts(db),
      parcelsMinZoom: PARCELS_MIN_ZOOM,
      timeZone: appTimeZoneName(),
    })),
  );
  router.get('/openapi.json', ...route(contract.openApi, () => openApiDocument()));
  return router;
}
