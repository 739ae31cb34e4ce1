/** One search box for zones (name, code), parcels (code) and projects (name). */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/search.ts';
import type { ResponseOf } from '../contract/define.ts';
import { expandZoneQuery } from '../../domain/zoneNames.ts';

type Result = ResponseOf<typeof contract.search>['results'][number];

/** Escapes LIKE's wildcards so that a user's "%" or "_" is searched for literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchRouter(db: Db): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.search, async ({ query }) => {
      const q = query.q.trim();
      // Short names and aliases people type (大同经开区, 阳泉高新区) find the zone's full name too.
      const aliases = expandZoneQuery(q).slice(1).map(likePattern);
      const rows = await db.query<Result>(sql.search, [likePattern(q), query.limit ?? 8, q, aliases]);
      return { query: q, results: rows.map(({ type, id, label, detail, bbox }) => ({ type, id, label, detail, bbox })) };
    }),
  );
  return router;
}
