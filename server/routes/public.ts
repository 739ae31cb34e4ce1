/**
 * The public investor catalogue's API: available parcels, their sheets, zones, standard factories with free
 * floor area, and shared shortlists. Only allow-listed columns are selected here (PUBLIC_FIELDS); nothing
 * internal (enterprises, tax, notes, idle status, unsupplied plans, prices marked internal) is ever read.
 * Rate-limited, and only the documented parameters are accepted.
 */
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { INFRASTRUCTURE_ITEMS } from '../../domain/lifecycle.ts';
import { squareMetresFromMu } from '../../domain/units.ts';
import type { Db } from '../db/types.ts';
import { HttpError, allowOnlyParams, badRequest, notFound, parseEnumList, parseId, parseIntInRange, queryString } from '../lib/http.ts';
import { DbRateLimitStore } from '../lib/rateLimitStore.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { demoFacts } from '../lib/dataset.ts';
import { dateInZone, todayIso } from '../../domain/dates.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';

/** Every field a public response may carry, at any depth. The allow-list test walks responses against it. */
export const PUBLIC_FIELDS = {
  parcel: [
    'id', 'code', 'zone_id', 'zone_name', 'zone_name_en', 'zone_level', 'city', 'county', 'leading_industry', 'land_use_code', 'area_m2',
    'is_standard_land', 'min_investment_intensity_wan_per_mu', 'min_floor_area_ratio', 'max_floor_area_ratio', 'min_tax_per_mu_wan',
    'max_energy_tce_per_wan', 'environment_standard', 'min_building_coverage_pct', 'max_admin_facility_pct', 'max_green_pct',
    'infrastructure', 'land_price_wan', 'contact_phone', 'bbox',
  ],
  zone: ['id', 'name', 'name_en', 'level', 'city', 'county', 'leading_industry', 'contact_phone', 'available_count', 'available_area_m2', 'bbox', 'geometry'],
  factory: ['id', 'name', 'zone_id', 'zone_name', 'city', 'floors', 'floor_area_m2', 'free_area_m2', 'lon', 'lat'],
  shortlist: ['title', 'note', 'created_on', 'parcels', 'unavailable_count'],
  envelope: ['type', 'features', 'geometry', 'properties', 'count', 'limit', 'parcel', 'zone', 'zones', 'factories', 'generated_on', 'illustrative', 'coordinates', 'error', 'code', 'message', 'requestId'],
  infrastructure: INFRASTRUCTURE_ITEMS.map((i) => i.key as string),
} as const;

/** The public columns of an available parcel, as JSON properties. Internal prices become null. */
const PARCEL_PROPERTIES = `json_build_object(
  'id', p.id, 'code', p.code, 'zone_id', z.id, 'zone_name', z.name, 'zone_name_en', z.name_en, 'zone_level', z.level,
  'city', z.city, 'county', z.county, 'leading_industry', z.leading_industry, 'land_use_code', p.land_use_code,
  'area_m2', round(p.area_m2::numeric, 1), 'is_standard_land', p.is_standard_land,
  'min_investment_intensity_wan_per_mu', p.min_investment_intensity_wan_per_mu, 'min_floor_area_ratio', p.min_floor_area_ratio,
  'max_floor_area_ratio', p.max_floor_area_ratio, 'min_tax_per_mu_wan', p.min_tax_per_mu_wan, 'max_energy_tce_per_wan', p.max_energy_tce_per_wan,
  'environment_standard', p.environment_standard, 'min_building_coverage_pct', p.min_building_coverage_pct,
  'max_admin_facility_pct', p.max_admin_facility_pct, 'max_green_pct', p.max_green_pct, 'infrastructure', p.infrastructure,
  'land_price_wan', CASE WHEN p.land_price_internal THEN NULL ELSE p.land_price_wan END)`;

const SORTS: Record<string, string> = {
  standard: 'p.is_standard_land DESC, p.area_m2 DESC, p.id',
  area_desc: 'p.area_m2 DESC, p.id',
  area_asc: 'p.area_m2 ASC, p.id',
  price_asc: 'CASE WHEN p.land_price_internal THEN NULL ELSE p.land_price_wan END ASC NULLS LAST, p.id',
  intensity_asc: 'p.min_investment_intensity_wan_per_mu ASC NULLS LAST, p.id',
};
const SEVEN = INFRASTRUCTURE_ITEMS.filter((i) => !('nine' in i)).map((i) => i.key);
const NINE = INFRASTRUCTURE_ITEMS.map((i) => i.key);

function parseNumber(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') throw badRequest(`${name} must be a number.`);
  if (n < min || n > max) throw badRequest(`${name} must be between ${min} and ${max}.`);
  return n;
}

export function publicRouter(db: Db, options: { requestsPerMinute: number }): Router {
  const router = Router();
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: options.requestsPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // Counted in the database: several app processes share one limit per address.
      store: new DbRateLimitStore(db, 'public:'),
      handler: (_req, _res, next) => {
        next(new HttpError(429, 'rate_limited', '请求过于频繁，请稍候一分钟再试。 Too many requests: please wait a minute and try again.'));
      },
    }),
  );

  router.get('/parcels', allowOnlyParams(['city', 'zone', 'level', 'minMu', 'maxMu', 'landUse', 'industry', 'infra', 'standard', 'sort', 'limit']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const where = whereBuilder();
    where.add("p.status = 'available'");
    const city = queryString(q, 'city');
    if (city) where.add('z.city = ANY($?::text[])', city.split(',').map((c) => c.trim().slice(0, 40)));
    const zone = queryString(q, 'zone');
    if (zone) where.add('p.zone_id = ANY($?::int[])', await parseZoneFilter(db, zone));
    const level = queryString(q, 'level');
    if (level) where.add('z.level = ANY($?::text[])', parseEnumList(level, 'level', ['national', 'provincial']));
    const minMu = queryString(q, 'minMu');
    if (minMu) where.add('p.area_m2 >= $?', squareMetresFromMu(parseNumber(minMu, 'minMu', 0, 100000)));
    const maxMu = queryString(q, 'maxMu');
    if (maxMu) where.add('p.area_m2 <= $?', squareMetresFromMu(parseNumber(maxMu, 'maxMu', 0, 100000)));
    const landUse = queryString(q, 'landUse');
    if (landUse) {
      const codes = parseEnumList(landUse, 'land-use code', LAND_USE_CLASSES.map((c) => c.code));
      where.add('p.land_use_code LIKE ANY($?::text[])', codes.map((c) => `${c}%`));
    }
    const industry = queryString(q, 'industry');
    if (industry) {
      if (industry.length > 40) throw badRequest('industry is at most 40 characters.');
      where.add("z.leading_industry ILIKE $? ESCAPE '\\'", `%${industry.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const infra = queryString(q, 'infra');
    if (infra) {
      const keys = infra === '7' ? SEVEN : infra === '9' ? NINE : parseEnumList(infra, 'infrastructure item', NINE);
      where.add('p.infrastructure @> $?::jsonb', JSON.stringify(Object.fromEntries(keys.map((k) => [k, true]))));
    }
    const standard = queryString(q, 'standard');
    if (standard) {
      if (standard !== '1' && standard !== '0') throw badRequest('standard is 1 (only 标准地) or 0.');
      if (standard === '1') where.add('p.is_standard_land');
    }
    const sortKey = queryString(q, 'sort') ?? 'standard';
    if (!(sortKey in SORTS)) throw badRequest(`Unknown sort "${sortKey.slice(0, 20)}". Allowed: ${Object.keys(SORTS).join(', ')}.`);
    const limitText = queryString(q, 'limit');
    const limit = limitText ? parseIntInRange(limitText, 'limit', 1, 500) : 200;

    const { text, values } = where.build();
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*) AS count FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${text}`, values);
    const rows = await db.query<{ feature: unknown }>(
      `SELECT json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 6)::json, 'properties', ${PARCEL_PROPERTIES}) AS feature
       FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${text} ORDER BY ${SORTS[sortKey]} LIMIT $${values.length + 1}`,
      [...values, limit],
    );
    res.json({ type: 'FeatureCollection', features: rows.map((r) => r.feature), count, limit });
  });

  router.get('/parcels/:id', allowOnlyParams([]), async (req, res) => {
    const id = parseId(req.params.id, 'Parcel');
    const [row] = await db.query<{ parcel: Record<string, unknown>; geometry: unknown; zone: unknown }>(
      `SELECT (${PARCEL_PROPERTIES}::jsonb || jsonb_build_object('contact_phone', z.contact_phone,
           'bbox', json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom))))::json AS parcel,
         ST_AsGeoJSON(p.geom, 7)::json AS geometry,
         json_build_object('id', z.id, 'name', z.name, 'name_en', z.name_en, 'level', z.level, 'city', z.city, 'county', z.county,
           'leading_industry', z.leading_industry, 'contact_phone', z.contact_phone, 'geometry', ST_AsGeoJSON(z.geom, 6)::json) AS zone
       FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.id = $1 AND p.status = 'available'`,
      [id],
    );
    // The same answer whether the parcel does not exist or is not on offer: nothing about other parcels leaks.
    if (!row) throw notFound('This parcel is not in the catalogue (it may have been supplied already).');
    const illustrative = (await demoFacts(db))?.illustrative ?? false;
    res.json({ parcel: row.parcel, geometry: row.geometry, zone: row.zone, generated_on: todayIso(), illustrative });
  });

  router.get('/zones', allowOnlyParams([]), async (_req, res) => {
    const zones = await db.query(
      `SELECT z.id, z.name, z.name_en, z.level, z.city, z.county, z.leading_industry, z.contact_phone,
         count(p.id) AS available_count, coalesce(sum(p.area_m2), 0) AS available_area_m2,
         json_build_array(ST_XMin(z.geom), ST_YMin(z.geom), ST_XMax(z.geom), ST_YMax(z.geom)) AS bbox
       FROM zones z LEFT JOIN parcels p ON p.zone_id = z.id AND p.status = 'available'
       GROUP BY z.id ORDER BY z.city, z.name`,
    );
    res.json({ zones });
  });

  router.get('/factories', allowOnlyParams(['zone', 'city', 'minFreeM2']), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const where = whereBuilder();
    where.add('b.floor_area_m2 - b.leased_area_m2 > 0');
    const zone = queryString(q, 'zone');
    if (zone) where.add('b.zone_id = ANY($?::int[])', await parseZoneFilter(db, zone));
    const city = queryString(q, 'city');
    if (city) where.add('z.city = ANY($?::text[])', city.split(',').map((c) => c.trim().slice(0, 40)));
    const minFree = queryString(q, 'minFreeM2');
    if (minFree) where.add('b.floor_area_m2 - b.leased_area_m2 >= $?', parseNumber(minFree, 'minFreeM2', 0, 1e7));
    const { text, values } = where.build();
    const factories = await db.query(
      `SELECT b.id, b.name, b.zone_id, z.name AS zone_name, z.city, b.floors, b.floor_area_m2, b.floor_area_m2 - b.leased_area_m2 AS free_area_m2,
         ST_X(ST_Centroid(b.geom)) AS lon, ST_Y(ST_Centroid(b.geom)) AS lat
       FROM factory_buildings b JOIN zones z ON z.id = b.zone_id WHERE ${text} ORDER BY free_area_m2 DESC`,
      values,
    );
    res.json({ factories });
  });

  router.get('/shortlists/:token', allowOnlyParams([]), async (req, res) => {
    const token = String(req.params.token);
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw notFound('No such shortlist.');
    const [list] = await db.query<{ title: string; note: string | null; created_at: string; withdrawn_at: string | null; parcel_ids: number[] }>(
      'SELECT title, note, created_at, withdrawn_at, parcel_ids FROM shortlists WHERE token = $1',
      [token],
    );
    if (!list) throw notFound('No such shortlist.');
    if (list.withdrawn_at) {
      throw new HttpError(410, 'withdrawn', `This shortlist was withdrawn on ${dateInZone(new Date(list.withdrawn_at))}. Please ask the investment promotion office for an up-to-date list.`);
    }
    const rows = await db.query<{ feature: unknown }>(
      `SELECT json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 6)::json, 'properties', ${PARCEL_PROPERTIES}) AS feature
       FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.id = ANY($1::int[]) AND p.status = 'available'
       ORDER BY array_position($1::int[], p.id)`,
      [list.parcel_ids],
    );
    res.json({
      title: list.title,
      note: list.note,
      created_on: dateInZone(new Date(list.created_at)),
      parcels: { type: 'FeatureCollection', features: rows.map((r) => r.feature) },
      unavailable_count: list.parcel_ids.length - rows.length,
    });
  });

  return router;
}
