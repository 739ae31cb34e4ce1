/**
 * The public investor catalogue's API: available parcels, their sheets, zones, standard factories with free
 * floor area, and shared shortlists. Only allow-listed columns are selected here (PUBLIC_FIELDS); nothing
 * internal (enterprises, tax, notes, idle status, unsupplied plans, prices marked internal) is ever read.
 * Rate-limited, and only the documented parameters are accepted. The answers' contracts (contract/public.ts)
 * are closed objects of exactly these fields, checked in every test run.
 */
import { industrySearchTerms } from '../../domain/industries.ts';
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { INFRASTRUCTURE_ITEMS } from '../../domain/lifecycle.ts';
import { squareMetresFromMu } from '../../domain/units.ts';
import type { Db } from '../db/types.ts';
import { HttpError, notFound } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import type { ResponseOf } from '../contract/define.ts';
import * as contract from '../contract/public.ts';
import { DbRateLimitStore } from '../lib/rateLimitStore.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { demoFacts } from '../lib/dataset.ts';
import { dateInZone, todayIso } from '../../domain/dates.ts';
import { parseZoneFilter } from '../lib/zoneFilter.ts';

/** Every field a public response may carry, at any depth. The allow-list test walks responses against it. */
export const PUBLIC_FIELDS = {
  parcel: [
    'id',
    'code',
    'zone_id',
    'zone_name',
    'zone_name_en',
    'zone_level',
    'city',
    'county',
    'leading_industry',
    'land_use_code',
    'area_m2',
    'is_standard_land',
    'min_investment_intensity_wan_per_mu',
    'min_floor_area_ratio',
    'max_floor_area_ratio',
    'min_tax_per_mu_wan',
    'max_energy_tce_per_wan',
    'environment_standard',
    'min_building_coverage_pct',
    'max_admin_facility_pct',
    'max_green_pct',
    'infrastructure',
    'land_price_wan',
    'contact_phone',
    'bbox',
  ],
  zone: ['id', 'name', 'name_en', 'level', 'city', 'county', 'leading_industry', 'contact_phone', 'available_count', 'available_area_m2', 'bbox', 'geometry'],
  factory: ['id', 'name', 'zone_id', 'zone_name', 'city', 'floors', 'floor_area_m2', 'free_area_m2', 'lon', 'lat'],
  shortlist: ['title', 'note', 'created_on', 'parcels', 'unavailable_count', 'contact', 'name', 'phone'],
  envelope: [
    'type',
    'features',
    'geometry',
    'properties',
    'count',
    'limit',
    'offset',
    'points',
    'parcel',
    'zone',
    'zones',
    'factories',
    'generated_on',
    'illustrative',
    'coordinates',
  ],
  /** The one error shape, with the problems of a refused request in English and Chinese. */
  error: ['error', 'code', 'message', 'requestId', 'details', 'fields', 'field', 'message_zh'],
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

const SORTS: Record<(typeof contract.PUBLIC_SORTS)[number], string> = {
  standard: 'p.is_standard_land DESC, p.area_m2 DESC, p.id',
  area_desc: 'p.area_m2 DESC, p.id',
  area_asc: 'p.area_m2 ASC, p.id',
  price_asc: 'CASE WHEN p.land_price_internal THEN NULL ELSE p.land_price_wan END ASC NULLS LAST, p.id',
  intensity_asc: 'p.min_investment_intensity_wan_per_mu ASC NULLS LAST, p.id',
};

type ParcelFeature = ResponseOf<typeof contract.listParcels>['features'][number];
type Sheet = ResponseOf<typeof contract.parcelSheet>;

/** A city list as given: each name trimmed and cut to a city name's length. */
const cityList = (text: string) => text.split(',').map((c) => c.trim().slice(0, 40));

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

  router.get(
    '/parcels',
    ...route(contract.listParcels, async ({ query: q }) => {
      const where = whereBuilder();
      where.add("p.status = 'available'");
      if (q.city) where.add('z.city = ANY($?::text[])', cityList(q.city));
      if (q.zone) where.add('p.zone_id = ANY($?::int[])', await parseZoneFilter(db, q.zone.join(',')));
      if (q.level) where.add('z.level = ANY($?::text[])', q.level);
      if (q.minMu !== undefined) where.add('p.area_m2 >= $?', squareMetresFromMu(q.minMu));
      if (q.maxMu !== undefined) where.add('p.area_m2 <= $?', squareMetresFromMu(q.maxMu));
      if (q.landUse)
        where.add(
          'p.land_use_code LIKE ANY($?::text[])',
          q.landUse.map((c) => `${c}%`),
        );
      // Through the industry taxonomy: 新能源 finds zones for 光伏 and 储能, 锂电 finds 新能源电池 (domain/industries.ts).
      if (q.industry) {
        where.add(
          'z.leading_industry ILIKE ANY($?::text[])',
          industrySearchTerms(q.industry).map((term) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
        );
      }
      if (q.infra) where.add('p.infrastructure @> $?::jsonb', JSON.stringify(Object.fromEntries(q.infra.map((k) => [k, true]))));
      if (q.standard === '1') where.add('p.is_standard_land');
      const limit = q.limit ?? 200;
      const offset = q.offset ?? 0;

      const { text, values } = where.build();
      const [{ count }] = await db.query<{ count: number }>(`SELECT count(*) AS count FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${text}`, values);
      const rows = await db.query<{ feature: ParcelFeature }>(
        `SELECT json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 6)::json, 'properties', ${PARCEL_PROPERTIES}) AS feature
         FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${text} ORDER BY ${SORTS[q.sort ?? 'standard']} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, limit, offset],
      );
      // Every match as a point (a few bytes each), so that the map shows all of them, not only the page.
      const points = await db.query<{ id: number; lon: number; lat: number }>(
        `SELECT p.id, round(ST_X(ST_PointOnSurface(p.geom))::numeric, 6)::float8 AS lon, round(ST_Y(ST_PointOnSurface(p.geom))::numeric, 6)::float8 AS lat
         FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE ${text} ORDER BY ${SORTS[q.sort ?? 'standard']}`,
        values,
      );
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((r) => r.feature),
        count,
        limit,
        offset,
        points: points.map((p) => [p.id, p.lon, p.lat] as [number, number, number]),
      };
    }),
  );

  router.get(
    '/parcels/:id',
    ...route(contract.parcelSheet, async ({ params: { id } }) => {
      const [row] = await db.query<Pick<Sheet, 'parcel' | 'geometry' | 'zone'>>(
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
      return { parcel: row.parcel, geometry: row.geometry, zone: row.zone, generated_on: todayIso(), illustrative };
    }),
  );

  router.get(
    '/zones',
    ...route(contract.listZones, async () => {
      const zones = await db.query<ResponseOf<typeof contract.listZones>['zones'][number]>(
        `SELECT z.id, z.name, z.name_en, z.level, z.city, z.county, z.leading_industry, z.contact_phone,
           count(p.id) AS available_count, coalesce(sum(p.area_m2), 0) AS available_area_m2,
           json_build_array(ST_XMin(z.geom), ST_YMin(z.geom), ST_XMax(z.geom), ST_YMax(z.geom)) AS bbox
         FROM zones z LEFT JOIN parcels p ON p.zone_id = z.id AND p.status = 'available'
         GROUP BY z.id ORDER BY z.city, z.name`,
      );
      return { zones };
    }),
  );

  router.get(
    '/factories',
    ...route(contract.listFactories, async ({ query: q }) => {
      const where = whereBuilder();
      where.add('b.floor_area_m2 - b.leased_area_m2 > 0');
      if (q.zone) where.add('b.zone_id = ANY($?::int[])', await parseZoneFilter(db, q.zone.join(',')));
      if (q.city) where.add('z.city = ANY($?::text[])', cityList(q.city));
      if (q.minFreeM2 !== undefined) where.add('b.floor_area_m2 - b.leased_area_m2 >= $?', q.minFreeM2);
      const { text, values } = where.build();
      const factories = await db.query<ResponseOf<typeof contract.listFactories>['factories'][number]>(
        `SELECT b.id, b.name, b.zone_id, z.name AS zone_name, z.city, b.floors, b.floor_area_m2, b.floor_area_m2 - b.leased_area_m2 AS free_area_m2,
           ST_X(ST_Centroid(b.geom)) AS lon, ST_Y(ST_Centroid(b.geom)) AS lat
         FROM factory_buildings b JOIN zones z ON z.id = b.zone_id WHERE ${text} ORDER BY free_area_m2 DESC`,
        values,
      );
      return { factories };
    }),
  );

  router.get(
    '/shortlists/:token',
    ...route(contract.shortlist, async ({ params: { token } }) => {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw notFound('No such shortlist.');
      const [list] = await db.query<{
        title: string;
        note: string | null;
        created_at: string;
        withdrawn_at: string | null;
        parcel_ids: number[];
        contact_name: string | null;
        contact_phone: string | null;
      }>('SELECT title, note, created_at, withdrawn_at, parcel_ids, contact_name, contact_phone FROM shortlists WHERE token = $1', [token]);
      if (!list) throw notFound('No such shortlist.');
      if (list.withdrawn_at) {
        throw new HttpError(
          410,
          'withdrawn',
          `This shortlist was withdrawn on ${dateInZone(new Date(list.withdrawn_at))}. Please ask the investment promotion office for an up-to-date list.`,
        );
      }
      const rows = await db.query<{ feature: ParcelFeature }>(
        `SELECT json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 6)::json, 'properties', ${PARCEL_PROPERTIES}) AS feature
         FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE p.id = ANY($1::int[]) AND p.status = 'available'
         ORDER BY array_position($1::int[], p.id)`,
        [list.parcel_ids],
      );
      return {
        title: list.title,
        note: list.note,
        created_on: dateInZone(new Date(list.created_at)),
        parcels: { type: 'FeatureCollection' as const, features: rows.map((r) => r.feature) },
        unavailable_count: list.parcel_ids.length - rows.length,
        contact: list.contact_name || list.contact_phone ? { name: list.contact_name, phone: list.contact_phone } : null,
      };
    }),
  );

  return router;
}
