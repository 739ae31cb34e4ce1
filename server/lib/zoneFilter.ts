/** The `zone` query parameter shared by list routes: comma-separated ids that must all exist. */
import type { Db } from '../db/types.ts';
import { badRequest, parseId } from './http.ts';

export async function parseZoneFilter(db: Db, text: string): Promise<number[]> {
  const ids = text.split(',').map((s) => parseId(s.trim(), 'Zone'));
  const known = await db.query<{ id: number }>('SELECT id FROM zones WHERE id = ANY($1::int[])', [ids]);
  const missing = ids.filter((i) => !known.some((k) => k.id === i));
  if (missing.length) throw badRequest(`Unknown zone ${missing.join(', ')}.`);
  return ids;
}
