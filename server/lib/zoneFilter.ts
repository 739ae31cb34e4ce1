/** The `zone` query parameter shared by list routes: comma-separated ids that must all exist. */
import type { Db } from '../db/types.ts';
import { badRequest, parseId } from './http.ts';
import { PROVINCE_NAME } from '../../domain/scope.ts';
import { shortZoneName } from '../../domain/zoneNames.ts';

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

/** A place in Shanxi as the scope names it: zones, or a county (with its city, as two cities may have one of that name), or a city. */
export interface PlaceScope {
  zone?: number[];
  city?: string;
  county?: string;
}

/**
 * The zones of a scope (domain/scope.ts): the narrowest given wins (zones, then county, then city); none = all
 * zones (null). Also the scope's name for titles and file names (大同经开区, 平城区, 大同市, 山西省). An unknown city
 * or county is refused with the ones that have zones.
 */
export async function scopeZones(db: Db, place: PlaceScope): Promise<{ zoneIds: number[] | null; label: string }> {
  if (place.zone?.length) {
    const ids = await knownZones(db, place.zone);
    const rows = await db.query<{ name: string }>('SELECT name FROM zones WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
    return { zoneIds: ids, label: rows.map((r) => shortZoneName(r.name)).join('、') };
  }
  if (place.county) {
    const rows = await db.query<{ id: number }>('SELECT id FROM zones WHERE county = $1 AND ($2::text IS NULL OR city = $2) ORDER BY id', [
      place.county,
      place.city ?? null,
    ]);
    if (rows.length === 0) {
      const known = await db.query<{ county: string }>('SELECT DISTINCT county FROM zones WHERE county IS NOT NULL ORDER BY county');
      const list = known.map((c) => c.county).join('、');
      throw badRequest(`No zone in county "${place.county.slice(0, 40)}"${place.city ? ` of ${place.city.slice(0, 40)}` : ''}. Counties with zones: ${list}.`, {
        fields: [{ field: 'county', message: 'no zone in this county', message_zh: '该县（区）没有开发区' }],
        message_zh: `${place.city ? place.city.slice(0, 40) : ''}${place.county.slice(0, 40)}没有开发区。有开发区的县（区）：${list}。`,
      });
    }
    return { zoneIds: rows.map((r) => r.id), label: place.county };
  }
  if (place.city) {
    const rows = await db.query<{ id: number }>('SELECT id FROM zones WHERE city = $1 ORDER BY id', [place.city]);
    if (rows.length === 0) {
      const known = await db.query<{ city: string }>('SELECT DISTINCT city FROM zones ORDER BY city');
      const list = known.map((c) => c.city).join('、');
      throw badRequest(`Unknown city "${place.city.slice(0, 40)}". Cities with zones: ${list}.`, {
        fields: [{ field: 'city', message: 'no zone in this city', message_zh: '该市没有开发区' }],
        message_zh: `${place.city.slice(0, 40)}没有开发区。有开发区的市：${list}。`,
      });
    }
    return { zoneIds: rows.map((r) => r.id), label: place.city };
  }
  return { zoneIds: null, label: PROVINCE_NAME.zh };
}
