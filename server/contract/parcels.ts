/** Parcels: bbox-limited GeoJSON, one parcel's record, and the edits (attributes, new, reshape, split, merge). */
import { z } from 'zod';
import { LAND_USE_CLASSES } from '../../domain/landUse.ts';
import { INFRASTRUCTURE_ITEMS, PARCEL_STATUS_KEYS } from '../../domain/lifecycle.ts';
import { PARCEL_FIELD_NAMES } from '../../domain/parcelFields.ts';
import { defineContract } from './define.ts';
import { Geometry, amount, documentedAs, idParam, noQuery, text, timestamp } from './common.ts';

/** Chinese text for a check; the route turns it into details.fields[].message_zh. */
export const zh = (text: string) => ({ params: { zh: text } });

export const PARCELS_DEFAULT_LIMIT = 2000;
export const PARCELS_MAX_LIMIT = 5000;

/**
 * A query parameter as text, with a message a person understands when it is given twice (Express then
 * hands an array): the route's checks of its meaning (bbox, statuses, zones) follow in the handler.
 */
export function param(max: number, description?: string) {
  return z
    .string({ error: 'must be given once, as text' })
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain a NUL character (\\u0000)', ...zh('不能包含空字符（\\u0000）') })
    .meta(description ? { description } : {});
}

/** A whole-number id in a JSON body (1e308 and 1.5 are not ids: they would reach the database as an error). */
export const bodyId = z.number().int().min(1).max(999_999_999);
/** The version the user edited (the service answers a stale one with 409). */
export const bodyVersion = z.number().int().min(0).max(999_999_999);

/** Comma-separated keys from a list, checked in the route with messages naming the unknown key. */
const keyList = (allowed: readonly string[], what: string) =>
  param(2000).meta(documentedAs({ type: 'string', description: `${what}, comma-separated, among: ${allowed.join(', ')}` }));

export const parcelQuery = z.strictObject({
  bbox: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'bbox is required: "minLon,minLat,maxLon,maxLat" (WGS84 degrees). For whole areas use the vector tiles.'
          : 'must be given once, as text',
    })
    .max(200)
    .meta({ description: 'minLon,minLat,maxLon,maxLat (WGS84), at most 10° a side', example: '112.5,37.6,112.9,37.9' }),
  zone: param(2000, 'Zone ids, comma-separated').optional(),
  status: keyList(PARCEL_STATUS_KEYS, 'Lifecycle statuses').optional(),
  landUse: keyList(
    LAND_USE_CLASSES.map((c) => c.code),
    'Land-use codes (2023 classification); a code matches the codes below it',
  ).optional(),
  limit: z
    .string({ error: 'must be given once, as text' })
    .regex(/^\d{1,9}$/, { message: 'must be a whole number', ...zh('必须是整数') })
    .transform(Number)
    .refine((n) => n >= 1 && n <= PARCELS_MAX_LIMIT, { message: `must be between 1 and ${PARCELS_MAX_LIMIT}`, ...zh(`必须在 1 到 ${PARCELS_MAX_LIMIT} 之间`) })
    .meta(
      documentedAs({
        type: 'integer',
        minimum: 1,
        maximum: PARCELS_MAX_LIMIT,
        description: `At most this many features (default ${PARCELS_DEFAULT_LIMIT}); "truncated" says when more matched`,
      }),
    )
    .optional(),
});

/** Parcels are stored as MultiPolygons (ST_Multi on every write). */
export const MultiPolygon = z
  .object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) })
  .meta({ id: 'MultiPolygon' });

const ParcelFeature = z.object({
  type: z.literal('Feature'),
  id: z.number().int(),
  geometry: MultiPolygon,
  properties: z.object({
    id: z.number().int(),
    code: z.string(),
    zone_id: z.number().int(),
    land_use: z.string(),
    status: z.enum(PARCEL_STATUS_KEYS),
    standard: z.boolean(),
    area_m2: z.number(),
  }),
});

export const listParcels = defineContract({
  method: 'get',
  path: '/api/parcels',
  summary: 'Parcels within a bounding box as GeoJSON, bounded in size',
  description: 'For whole areas use the vector tiles. "truncated" says when more parcels matched than "limit".',
  tags: ['parcels'],
  access: 'signedIn',
  query: parcelQuery,
  responses: {
    200: {
      description: 'Parcels, with "limit" and "truncated"',
      schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(ParcelFeature), limit: z.number().int(), truncated: z.boolean() }),
    },
  },
  errors: [400, 401],
});

const date = z.string().nullable().meta({ description: 'YYYY-MM-DD' });
const num = z.number().nullable();

/** The checklist of 七通一平 / 九通一平: each item done or not (absent: not recorded). */
const Infrastructure = z.partialRecord(z.enum(INFRASTRUCTURE_ITEMS.map((i) => i.key)), z.boolean());

/** The parcel's columns as stored: what the record, the edits' answers and the history share. */
const parcelColumns = {
  id: z.number().int(),
  zone_id: z.number().int(),
  code: z.string(),
  land_use_code: z.string(),
  status: z.enum(PARCEL_STATUS_KEYS),
  is_standard_land: z.boolean(),
  reserve_date: date,
  available_date: date,
  supplied_date: date,
  started_date: date,
  completed_date: date,
  producing_date: date,
  at_capacity_date: date,
  agreed_start_date: date,
  agreed_completion_date: date,
  planned_building_area_m2: num,
  developed_area_m2: num,
  agreed_investment_wan: num,
  invested_wan: num,
  work_stopped_since: date,
  area_m2: z.number(),
  registered_area_m2: num,
  min_investment_intensity_wan_per_mu: num,
  min_floor_area_ratio: num,
  max_floor_area_ratio: num,
  min_tax_per_mu_wan: num,
  max_energy_tce_per_wan: num,
  environment_standard: z.string().nullable(),
  min_building_coverage_pct: num,
  max_admin_facility_pct: num,
  max_green_pct: num,
  infrastructure: Infrastructure,
  land_price_wan: num,
  land_price_internal: z.boolean(),
  internal_note: z.string().nullable(),
  geometry_note: z.string().nullable(),
  version: z.number().int(),
  updated_at: timestamp,
  geometry: MultiPolygon,
};

/** A parcel as stored, as the edits answer it (and as the history keeps it). */
export const ParcelSnapshot = z.object(parcelColumns).meta({ id: 'ParcelSnapshot' });

export const Parcel = z
  .object({
    ...parcelColumns,
    zone_name: z.string(),
    zone_code: z.string(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    enterprises: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        credit_code: z.string(),
        industry: z.string().nullable(),
        above_scale: z.boolean(),
        role: z.enum(['owner', 'tenant']),
        area_m2: z.number(),
      }),
    ),
    projects: z.array(z.object({ id: z.number().int(), name: z.string(), stage: z.string(), total_investment_wan: num })),
    factory_buildings: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        floors: z.number().int().nullable(),
        floor_area_m2: z.number(),
        leased_area_m2: z.number(),
        footprint_m2: z.number(),
      }),
    ),
  })
  .meta({ id: 'Parcel' });

export const getParcel = defineContract({
  method: 'get',
  path: '/api/parcels/{id}',
  summary: 'One parcel: code, areas, land use, status and dates, 标准地 indicators, infrastructure, enterprises, projects',
  description: 'Internal fields (land price, notes) included: signed-in users only.',
  tags: ['parcels'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  responses: { 200: { description: 'The parcel', schema: Parcel } },
  errors: [400, 401, 404],
});

/**
 * A field's new value. Which field takes which (a code, a land-use code, a date, a number in its range, a
 * checklist) is domain/parcelFields.ts's rule, answered in both languages; here only the types, no NUL,
 * no 1e308, no keys that are not fields.
 */
const parcelValue = z.union([
  text(500),
  amount(),
  z.boolean(),
  z.null(),
  z.strictObject(Object.fromEntries(INFRASTRUCTURE_ITEMS.map((i) => [i.key, z.boolean()]))).partial(),
]);
const parcelChanges = z.strictObject(Object.fromEntries(PARCEL_FIELD_NAMES.map((f) => [f, parcelValue]))).partial();

const errors409 = [400, 401, 403, 404, 409, 422] as const;

export const updateParcel = defineContract({
  method: 'patch',
  path: '/api/parcels/{id}',
  summary: "Edit a parcel's fields and/or geometry",
  description:
    "Each field needs its permission (parcel.editAttributes, parcel.editLandRecord or parcel.editGeometry) in the parcel's zone. Refused: a stale version (409, with the other user's changes), invalid geometry (422, with a repaired version to accept), land outside the zone (422), overlaps unless acceptOverlaps (422).",
  tags: ['parcels'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: bodyVersion,
    changes: parcelChanges.optional(),
    geometry: Geometry.optional().meta({ description: 'Polygon or MultiPolygon, WGS84' }),
    acceptOverlaps: z.boolean().optional(),
    geometryNote: text(300).optional().meta({ description: 'Set when the user accepted a repaired geometry: kept beside the parcel' }),
  }),
  responses: { 200: { description: 'The parcel after the change', schema: z.object({ parcel: ParcelSnapshot }) } },
  errors: [...errors409],
});

export const createParcel = defineContract({
  method: 'post',
  path: '/api/parcels',
  summary: 'Draw a new parcel (status 储备)',
  description:
    'Needs parcel.editGeometry and parcel.editAttributes in the zone. The geometry must be valid, inside the zone, and overlap no parcel unless acceptOverlaps.',
  tags: ['parcels'],
  access: 'parcel.editGeometry',
  body: z.strictObject({
    zone_id: bodyId,
    code: text(40),
    land_use_code: text(20),
    geometry: Geometry.meta({ description: 'Polygon or MultiPolygon, WGS84' }),
    acceptOverlaps: z.boolean().optional(),
    geometryNote: text(300).optional(),
  }),
  responses: { 201: { description: 'The new parcel', schema: z.object({ parcel: ParcelSnapshot }) } },
  errors: [400, 401, 403, 409, 422],
});

export const GeometryReport = z
  .object({
    valid: z.boolean(),
    reason: z.string().nullable(),
    repaired: Geometry.nullable(),
    area_m2: num,
    outside_zone_m2: num,
    overlaps: z.array(z.object({ id: z.number().int(), code: z.string(), overlap_m2: z.number() })),
  })
  .meta({ id: 'GeometryReport' });

export const checkGeometry = defineContract({
  method: 'post',
  path: '/api/parcels/check-geometry',
  summary: 'Check a proposed geometry without saving: validity (and repair), area outside the zone, overlapped parcels',
  tags: ['parcels'],
  access: 'parcel.editGeometry',
  body: z.strictObject({
    zone_id: bodyId,
    geometry: Geometry,
    parcel_id: bodyId.optional().meta({ description: 'The parcel being reshaped (not counted as an overlap)' }),
  }),
  responses: { 200: { description: 'What PostGIS says of the geometry', schema: GeometryReport } },
  errors: [400, 401, 403],
});

export const splitParcel = defineContract({
  method: 'post',
  path: '/api/parcels/{id}/split',
  summary: 'Split a parcel along a line: the largest piece keeps the code, the others become CODE-2, CODE-3 …',
  tags: ['parcels'],
  access: 'parcel.editGeometry',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: bodyVersion,
    line: z.strictObject({
      type: z.literal('LineString'),
      coordinates: z
        .array(z.array(amount(-180, 180)).min(2).max(3))
        .min(2)
        .max(10_000),
    }),
  }),
  responses: { 200: { description: 'The kept parcel first, then the new pieces', schema: z.object({ parcels: z.array(ParcelSnapshot) }) } },
  errors: [...errors409],
});

export const mergeParcels = defineContract({
  method: 'post',
  path: '/api/parcels/merge',
  summary: 'Merge adjacent parcels of one zone into the first one listed',
  tags: ['parcels'],
  access: 'parcel.editGeometry',
  body: z.strictObject({
    parcels: z
      .array(z.strictObject({ id: bodyId, version: bodyVersion }))
      .min(2)
      .max(20),
  }),
  responses: {
    200: {
      description: 'The merged parcel and the ids of the parcels merged into it',
      schema: z.object({ parcel: ParcelSnapshot, removed: z.array(z.number().int()) }),
    },
  },
  errors: [...errors409],
});
