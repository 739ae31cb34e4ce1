/** One search box for zones (name, code), parcels (code) and projects (name). */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { sql } from '../db/sql/index.ts';
import { allowOnlyParams, badRequest, parseIntInRange, queryString } from '../lib/http.ts';

/** Escapes LIKE's wildcards so that a user's "%" or "_" is searched for literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchRouter(db: Db): Router {
  const router = Router();
  router.get('/', allowOnlyParams(['q', 'limit']), async (req, res) => {
    const q = (queryString(req.query, 'q') ?? '').trim();
    if (q.length === 0) throw badRequest('q is required: a zone name, a parcel code or a project name.');
    if (q.length > 100) throw badRequest('q is too long (at most 100 characters).');
    const limitText = queryString(req.query, 'limit');
    const limit = limitText ? parseIntInRange(limitText, 'limit', 1, 50) : 8;
    const rows = await db.query<{ type: string; id: number; label: string; detail: string; bbox: number[] }>(sql.search, [likePattern(q), limit, q]);
    res.json({ query: q, results: rows.map(({ type, id, label, detail, bbox }) => ({ type, id, label, detail, bbox })) });
  });
  return router;
}
