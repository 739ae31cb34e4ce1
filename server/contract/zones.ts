/** Development zones: boundaries, one zone's record, and editing a zone. */
import { z } from 'zod';
import { ZONE_LEVELS } from '../../domain/lifecycle.ts';
import { defineContract } from './define.ts';
import { FeatureCollection, Geometry, amount, idParam, noQuery, text, timestamp } from './common.ts';

const zoneLevel = z.enum(ZONE_LEVELS.map((l) => l.key) as [string, ...string[]]);

export const listZones = defineContract({
  method: 'get',
  path: '/api/zones',
  summary: 'All development zones as GeoJSON (boundaries, level, city, counts, label point)',
  tags: ['zones'],
  access: 'signedIn',
  query: noQuery,
  responses: { 200: { description: 'Zones', schema: FeatureCollection } },
  errors: [400, 401],
});

export const Zone = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    name_en: z.string().nullable(),
    level: zoneLevel,
    city: z.string(),
    county: z.string().nullable(),
    leading_industry: z.string().nullable(),
    approved_area_ha: z.number().nullable(),
    area_m2: z.number(),
    contact_phone: z.string().nullable(),
    geometry_note: z.string().nullable(),
    version: z.number().int(),
    updated_at: timestamp,
    part_count: z.number().int(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    parcel_count: z.number().int(),
    parcel_area_m2: z.number(),
    project_count: z.number().int(),
    project_investment_wan: z.number(),
    factory_building_count: z.number().int(),
    land_use: z.array(z.object({ land_use: z.string(), parcel_count: z.number().int(), area_m2: z.number() })),
    parcel_status: z.array(z.object({ status: z.string(), parcel_count: z.number().int(), area_m2: z.number() })),
  })
  .meta({ id: 'Zone' });

export const getZone = defineContract({
  method: 'get',
  path: '/api/zones/{id}',
  summary: 'One zone with counts, area by land use and parcels by status',
  tags: ['zones'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  responses: { 200: { description: 'The zone', schema: Zone } },
  errors: [400, 401, 404],
});

/** A zone field's new value: the service checks what each field accepts and says so in both languages. */
const zoneValue = z.union([text(200), amount(0, 1e7), z.null()]);

export const updateZone = defineContract({
  method: 'patch',
  path: '/api/zones/{id}',
  summary: 'Edit a zone: attributes and boundary',
  description: "The boundary must keep the zone's parcels inside (422 parcels_outside). A stale version answers 409 with the other user's changes.",
  tags: ['zones'],
  access: 'zone.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: z.number().int().min(0).max(1e9),
    changes: z
      .strictObject({
        name: zoneValue,
        name_en: zoneValue,
        level: zoneValue,
        city: zoneValue,
        county: zoneValue,
        leading_industry: zoneValue,
        approved_area_ha: zoneValue,
        contact_phone: zoneValue,
      })
      .partial()
      .optional(),
    geometry: Geometry.optional(),
  }),
  responses: { 200: { description: 'The zone after the change (its stored record)', schema: z.object({ zone: z.record(z.string(), z.unknown()) }) } },
  errors: [400, 401, 403, 404, 409, 422],
});
