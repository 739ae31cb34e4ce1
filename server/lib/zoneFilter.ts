/** The `zone` query parameter shared by list routes: comma-separated ids that must all exist. */
import type { Db } from '../db/types.ts';
import { badRequest, parseId } from './http.ts';

export async function parseZoneFilter(db: Db, text: string): Promise<number[]> {
  return knownZones(
    db,
    text.split(',').map((s) => parseId(s.trim(), 'Zone')),
  );
}

/** The zone ids of a scope (a contract has checked their form), refused with a 400 unless each zone exists. */
export async function knownZones(db: Db, ids: number[]): Promise<number[]> {
  const known = await db.query<{ id: number }>('SELECT id FROM zones WHERE id = ANY($1::int[])', [ids]);
  const missing = ids.filter((i) => !known.some((k) => k.id === i));
  if (missing.length) {
    throw badRequest(`Unknown zone ${missing.join(', ')}.`, {
      fields: [{ field: 'zone', message: `unknown zone ${missing.join(', ')}`, message_zh: `开发区 ${missing.join('、')} 不存在` }],
      message_zh: `开发区 ${missing.join('、')} 不存在。`,
    });
  }
  return ids;
}
