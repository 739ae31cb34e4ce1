/**
 * The public investor catalogue: available parcels, their sheets, zones, standard factories with free floor
 * area, and shared shortlists. Open to everyone, so every answer here is a closed object (z.strictObject) that
 * lists exactly the public fields: an internal field (a note, an enterprise, a price marked internal, the idle
 * status) that leaks into an answer fails the contract check in the tests (CONTRACT_CHECK_RESPONSES=1) instead
 * of reaching an investor.
 */
import { z } from 'zod';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { INFRASTRUCTURE_ITEMS, type InfrastructureKey } from '../../domain/lifecycle.ts';
import { defineContract } from './define.ts';
import { documentedAs, enumList, idList, idParam, noQuery, queryInt, queryNumber, text } from './common.ts';

const zoneLevel = z.enum(['national', 'provincial']);
const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const position = z.tuple([z.number(), z.number()]);

/** Parcels and zones are stored as MultiPolygons (EPSG:4326). */
export const PublicMultiPolygon = z
  .strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) })
  .meta({ id: 'PublicMultiPolygon' });

const INFRASTRUCTURE_KEYS = INFRASTRUCTURE_ITEMS.map((i) => i.key) as [InfrastructureKey, ...InfrastructureKey[]];
/** The checklist: only its own keys, each done or not (a key not yet recorded is absent). */
const infrastructure = z.strictObject(
  Object.fromEntries(INFRASTRUCTURE_KEYS.map((k) => [k, z.boolean().optional()])) as Record<InfrastructureKey, z.ZodOptional<z.ZodBoolean>>,
);

const parcelFields = {
  id: z.number().int(),
  code: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  zone_name_en: z.string().nullable(),
  zone_level: zoneLevel,
  city: z.string(),
  county: z.string().nullable(),
  leading_industry: z.string().nullable(),
  land_use_code: z.string(),
  area_m2: z.number(),
  is_standard_land: z.boolean(),
  // The 标准地 indicators (domain/parcelFields.ts): null where the parcel has none.
  min_investment_intensity_wan_per_mu: z.number().nullable(),
  min_floor_area_ratio: z.number().nullable(),
  max_floor_area_ratio: z.number().nullable(),
  min_tax_per_mu_wan: z.number().nullable(),
  max_energy_tce_per_wan: z.number().nullable(),
  environment_standard: z.string().nullable(),
  min_building_coverage_pct: z.number().nullable(),
  max_admin_facility_pct: z.number().nullable(),
  max_green_pct: z.number().nullable(),
  infrastructure,
  land_price_wan: z.number().nullable().meta({ description: 'null where the price is not public' }),
};

/** A parcel in the catalogue's lists. */
export const PublicParcel = z.strictObject(parcelFields).meta({ id: 'PublicParcel' });

/** A parcel on its sheet: with the zone's contact and its bounding box. */
export const PublicParcelSheet = z.strictObject({ ...parcelFields, contact_phone: z.string().nullable(), bbox }).meta({ id: 'PublicParcelSheet' });

export const PublicParcelFeature = z
  .strictObject({ type: z.literal('Feature'), id: z.number().int(), geometry: PublicMultiPolygon, properties: PublicParcel })
  .meta({ id: 'PublicParcelFeature' });

const parcelCollection = { type: z.literal('FeatureCollection'), features: z.array(PublicParcelFeature) };

/** A zone's public fields. */
const zoneFields = {
  id: z.number().int(),
  name: z.string(),
  name_en: z.string().nullable(),
  level: zoneLevel,
  city: z.string(),
  county: z.string().nullable(),
  leading_industry: z.string().nullable(),
  contact_phone: z.string().nullable(),
};

export const PublicZone = z.strictObject({ ...zoneFields, available_count: z.number().int(), available_area_m2: z.number(), bbox }).meta({ id: 'PublicZone' });

export const PublicFactory = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    city: z.string(),
    floors: z.number().int().nullable(),
    floor_area_m2: z.number(),
    free_area_m2: z.number(),
    lon: z.number(),
    lat: z.number(),
  })
  .meta({ id: 'PublicFactory' });

export const PUBLIC_SORTS = ['standard', 'area_desc', 'area_asc', 'price_asc', 'intensity_asc'] as const;

const cities = text(400).meta({ description: 'Cities, comma-separated (e.g. 大同市)' });
const zones = idList.meta(documentedAs({ type: 'string', pattern: '^\\d+(,\\d+)*$', description: 'Zone ids, comma-separated (they must exist)' }));

/** "7" (七通一平), "9" (九通一平) or checklist items, comma-separated: all must be done. */
const infraFilter = z
  .string()
  .transform((s) => {
    const seven = INFRASTRUCTURE_ITEMS.filter((i) => !('nine' in i)).map((i) => i.key as string);
    return s === '7'
      ? seven
      : s === '9'
        ? [...INFRASTRUCTURE_KEYS]
        : s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
  })
  .pipe(z.array(z.enum(INFRASTRUCTURE_KEYS)).min(1))
  .meta(documentedAs({ type: 'string', description: `7 (七通一平), 9 (九通一平) or items, comma-separated, among: ${INFRASTRUCTURE_KEYS.join(', ')}` }));

const rateLimited = 'Rate-limited per address (429 with RateLimit headers).';

export const listParcels = defineContract({
  method: 'get',
  path: '/api/public/parcels',
  summary: 'Public: available parcels with public fields only, filtered and sorted',
  description: `标准地 first by default; "count" is the number of all matches, "limit" how many at most were sent from "offset" on; "points" has every match, so that a map can show them all. ${rateLimited}`,
  tags: ['public'],
  access: 'public',
  query: z.strictObject({
    city: cities.optional(),
    zone: zones.optional(),
    level: enumList(['national', 'provincial']).optional(),
    minMu: queryNumber(0, 100000).optional().meta({ description: 'At least this many 亩' }),
    maxMu: queryNumber(0, 100000).optional().meta({ description: 'At most this many 亩' }),
    landUse: enumList(LAND_USE_CLASSES.map((c) => c.code) as [string, ...string[]]).optional(),
    industry: text(40).optional().meta({ description: 'Text in the zone’s leading industries' }),
    infra: infraFilter.optional(),
    standard: z.enum(['0', '1']).optional().meta({ description: '1: only 标准地' }),
    sort: z.enum(PUBLIC_SORTS).optional(),
    limit: queryInt(1, 500).optional().meta({ description: 'Default 200' }),
    offset: queryInt(0, 1_000_000).optional().meta({ description: 'Matches to skip (paging; default 0)' }),
  }),
  responses: {
    200: {
      description: 'Parcels as GeoJSON (a page), with count, limit, offset, and every match as a point for the map',
      schema: z.strictObject({
        ...parcelCollection,
        count: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
        points: z
          .array(z.tuple([z.number().int(), z.number(), z.number()]))
          .meta({ description: 'Every match (not only the page) as [id, longitude, latitude] of a point on the parcel, in the order of the list' }),
      }),
    },
  },
  errors: [400, 429],
});

export const parcelSheet = defineContract({
  method: 'get',
  path: '/api/public/parcels/{id}',
  summary: 'Public: one available parcel’s sheet with its zone',
  description: `404 for anything not on offer, the same as for a parcel that does not exist. ${rateLimited}`,
  tags: ['public'],
  access: 'public',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  responses: {
    200: {
      description: 'The sheet',
      schema: z.strictObject({
        parcel: PublicParcelSheet,
        geometry: PublicMultiPolygon,
        zone: z.strictObject({ ...zoneFields, geometry: PublicMultiPolygon }),
        generated_on: z.string().meta({ description: 'The day (YYYY-MM-DD) the sheet was made' }),
        illustrative: z.boolean().meta({ description: 'true on the generated demo data' }),
      }),
    },
  },
  errors: [400, 404, 429],
});

export const listZones = defineContract({
  method: 'get',
  path: '/api/public/zones',
  summary: 'Public: zones with their available parcels (count, area)',
  description: rateLimited,
  tags: ['public'],
  access: 'public',
  query: noQuery,
  responses: { 200: { description: 'Zones by city and name', schema: z.strictObject({ zones: z.array(PublicZone) }) } },
  errors: [400, 429],
});

export const listFactories = defineContract({
  method: 'get',
  path: '/api/public/factories',
  summary: 'Public: standard factory buildings with free floor area',
  description: `Most free floor area first. ${rateLimited}`,
  tags: ['public'],
  access: 'public',
  query: z.strictObject({ zone: zones.optional(), city: cities.optional(), minFreeM2: queryNumber(0, 1e7).optional() }),
  responses: { 200: { description: 'Factory buildings', schema: z.strictObject({ factories: z.array(PublicFactory) }) } },
  errors: [400, 429],
});

export const shortlist = defineContract({
  method: 'get',
  path: '/api/public/shortlists/{token}',
  summary: 'Public: a promoter’s shortlist by its link',
  description: `404 for an unknown link, 410 once withdrawn. Parcels no longer on offer are left out and counted in unavailable_count. ${rateLimited}`,
  tags: ['public'],
  access: 'public',
  // Any text: a malformed token answers the same 404 as an unknown one.
  params: z.strictObject({ token: text(200).meta({ param: { description: 'The link’s token' } }) }),
  query: noQuery,
  responses: {
    200: {
      description: 'The shortlist',
      schema: z.strictObject({
        title: z.string(),
        note: z.string().nullable(),
        created_on: z.string().meta({ description: 'YYYY-MM-DD' }),
        parcels: z.strictObject(parcelCollection),
        unavailable_count: z.number().int(),
        contact: z
          .strictObject({ name: z.string().nullable(), phone: z.string().nullable() })
          .nullable()
          .meta({ description: 'Whom to ask, as the list’s author chose to publish (null: none; each parcel’s zone office then)' }),
      }),
    },
  },
  errors: [400, 404, 410, 429],
});
