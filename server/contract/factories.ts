/** 标准化厂房: buildings with their leases, use rate per zone against its target, new floor area per year. Internal. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { amount, idList, idParam, isoDate, queryInt, requiredText, text } from './common.ts';
import { uploadedFile } from './indicators.ts';
import { ImportResult, importQuery } from './transfers.ts';

const id = z.number().int().min(1).max(999_999_999);

export const Lease = z
  .object({
    id: z.number().int(),
    building_id: z.number().int(),
    enterprise_id: z.number().int().nullable(),
    tenant_name: z.string(),
    leased_area_m2: z.number(),
    start_date: z.string(),
    end_date: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Lease' });

export const Building = z
  .object({
    id: z.number().int(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    city: z.string(),
    parcel_id: z.number().int().nullable(),
    name: z.string(),
    floors: z.number().int().nullable(),
    floor_area_m2: z.number(),
    leased_area_m2: z.number(),
    vacant_area_m2: z.number(),
    use_rate_pct: z.number().nullable(),
    completed_year: z.number().int().nullable(),
    tenants: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'FactoryBuilding' });

const scopeQuery = { zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }), city: text(40).optional() };

export const listBuildings = defineContract({
  method: 'get',
  path: '/api/factories',
  summary: 'Standard factory buildings with leased and vacant floor area and use rate (leases active today)',
  tags: ['factories'],
  access: 'map.read',
  query: z.strictObject(scopeQuery),
  responses: { 200: { description: 'The buildings', schema: z.object({ today: z.string(), buildings: z.array(Building) }) } },
  errors: [400, 401, 403],
});

export const buildingLeases = defineContract({
  method: 'get',
  path: '/api/factories/{id}/leases',
  summary: "A building's leases, newest first",
  tags: ['factories'],
  access: 'map.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The building and its leases', schema: z.object({ building: Building, leases: z.array(Lease) }) } },
  errors: [400, 401, 403, 404],
});

const leaseFields = {
  enterprise_id: id.nullable(),
  tenant_name: requiredText(120),
  leased_area_m2: amount(0.01, 1e7),
  start_date: isoDate,
  end_date: isoDate.nullable(),
};

export const addLease = defineContract({
  method: 'post',
  path: '/api/factories/{id}/leases',
  summary: "Record a lease; the building's leased area follows in the same transaction",
  description: 'Leases overlapping in time may not add up to more than the floor area (400, nothing written).',
  tags: ['factories'],
  access: 'factory.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject(leaseFields).partial({ enterprise_id: true, end_date: true }),
  responses: { 201: { description: 'The building and its leases', schema: z.object({ building: Building, leases: z.array(Lease) }) } },
  errors: [400, 401, 403, 404],
});

export const updateLease = defineContract({
  method: 'patch',
  path: '/api/factory-leases/{id}',
  summary: 'Change a lease (area, dates, tenant)',
  tags: ['factories'],
  access: 'factory.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), changes: z.strictObject(leaseFields).partial() }),
  responses: { 200: { description: 'The building and its leases', schema: z.object({ building: Building, leases: z.array(Lease) }) } },
  errors: [400, 401, 403, 404, 409],
});

export const deleteLease = defineContract({
  method: 'delete',
  path: '/api/factory-leases/{id}',
  summary: 'Remove a lease recorded by mistake (an ended lease is kept with its end date)',
  tags: ['factories'],
  access: 'factory.edit',
  params: z.strictObject({ id: idParam }),
  query: z.strictObject({ version: queryInt(1, 1e9) }),
  responses: { 200: { description: 'The building and its leases', schema: z.object({ building: Building, leases: z.array(Lease) }) } },
  errors: [400, 401, 403, 404, 409],
});

export const setCompletedYear = defineContract({
  method: 'patch',
  path: '/api/factories/{id}',
  summary: "Set a building's completion year (new buildings per year)",
  tags: ['factories'],
  access: 'factory.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), completed_year: z.number().int().min(1990).max(2100).nullable() }),
  responses: { 200: { description: 'The building', schema: Building } },
  errors: [400, 401, 403, 404, 409],
});

const UseRateRow = z.object({
  zone_id: z.number().int(),
  zone_name: z.string(),
  city: z.string(),
  buildings: z.number().int(),
  floor_area_m2: z.number(),
  leased_area_m2: z.number(),
  vacant_area_m2: z.number(),
  use_rate_pct: z.number().nullable(),
  target_pct: z.number().nullable(),
  new_floor_area_m2: z.number(),
  new_factory_target_m2: z.number().nullable(),
});

export const useRate = defineContract({
  method: 'get',
  path: '/api/factories/use-rate',
  summary: "Use rate per zone and in total (Σ leased ÷ Σ floor area), against the year's target; floor area completed in the year",
  tags: ['factories'],
  access: 'map.read',
  query: z.strictObject({ ...scopeQuery, year: queryInt(1990, 2100).optional() }),
  responses: {
    200: {
      description: 'Use rate',
      schema: z.object({
        year: z.number().int(),
        total: UseRateRow.omit({ zone_id: true, zone_name: true, city: true }),
        zones: z.array(UseRateRow),
      }),
    },
  },
  errors: [400, 401, 403],
});

export const importLeases = defineContract({
  method: 'post',
  path: '/api/factories/leases/import',
  summary: 'Import leases (all rows or none)',
  description:
    'CSV or Excel (.xlsx) as the body. Header: 厂房 (building name or id), 承租方, 出租面积（m²）, 起租日期, 到期日期. All rows or none: 422 lists every bad row with its line and reason (details.rows), including leases that would exceed a floor area. dryRun=true checks everything and writes nothing: the preview.',
  tags: ['factories'],
  access: 'factory.edit',
  query: importQuery,
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: { 200: { description: 'What was written (or would be)', schema: ImportResult } },
  errors: [400, 401, 403, 413, 415, 422],
});

export const exportBuildings = defineContract({
  method: 'get',
  path: '/api/factories/export.xlsx',
  summary: 'Buildings and their leases as an Excel workbook',
  tags: ['factories'],
  access: 'map.read',
  query: z.strictObject(scopeQuery),
  responses: { 200: { description: 'Excel workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  errors: [400, 401, 403],
});
