/**
 * Land utilisation: idle land by 《闲置土地处置办法》 as of a date (JSON, CSV or Excel), the parcels of a box for
 * the drawn-area analysis, and the zones' land dashboard (TD/T 1029 indicators).
 */
import { z } from 'zod';
import { DEFAULT_IDLE_RULE } from '../../domain/idleLand.ts';
import { isValidDate } from '../../domain/parcelFields.ts';
import { defineContract } from './define.ts';
import { Geometry, documentedAs, enumList, idList, queryInt, text } from './common.ts';

/**
 * The date a report is judged as of (default today). The idle rule and the dashboards know 1990–2100 only
 * (domain/parcelFields.ts isValidDate), so the contract refuses other years with the same words.
 */
export const asOfQuery = z
  .string()
  .refine((s) => isValidDate(s), {
    message: 'must be a date YYYY-MM-DD between 1990 and 2100',
    params: { zh: '日期格式应为 YYYY-MM-DD，且在 1990 年至 2100 年之间' },
  })
  .meta(documentedAs({ type: 'string', format: 'date', description: 'Judge as of this date (YYYY-MM-DD, 1990–2100; default today)' }));

/** The zones of the scope: comma-separated ids, each must exist (checked against the database by the route). */
export const zoneIdsQuery = idList.meta(
  documentedAs({ type: 'string', pattern: '^\\d+(,\\d+)*$', description: 'Zone ids, comma-separated (e.g. 3 or 3,7); default all zones' }),
);

/** A city or a county instead of zone ids (domain/scope.ts): the zones in it; zone ids win when both are given. */
export const placeQuery = {
  city: text(40).optional().meta({ description: 'A city: its zones (e.g. 大同市); with county, the county of that city' }),
  county: text(40).optional().meta({ description: 'A county or district: its zones (e.g. 平城区); give city too where two cities have one of that name' }),
};

/** A date as the database gives it in JSON (YYYY-MM-DD). */
const dateText = z.string().meta(documentedAs({ type: 'string', format: 'date' }));

const LISTED_STATES = ['idle', 'at_risk', 'fine', 'no_agreed_date'] as const;

export const IdleZoneTotals = z
  .object({
    zone_id: z.number().int(),
    zone_name: z.string(),
    supplied_area_m2: z.number(),
    approved_unsupplied_area_m2: z.number().meta({ description: '批而未供: approved (ready for supply), not yet supplied' }),
    supplied_unused_area_m2: z.number().meta({ description: '供而未用: supplied, not started by the date' }),
    idle_area_m2: z.number(),
    idle_ratio: z.number().nullable().meta({ description: 'Idle ÷ supplied area; null when nothing is supplied' }),
    idle_count: z.number().int(),
    at_risk_count: z.number().int(),
  })
  .meta({ id: 'IdleZoneTotals' });

export const IdleParcel = z
  .object({
    id: z.number().int(),
    code: z.string(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    status: z.string(),
    area_m2: z.number(),
    supplied_date: dateText.nullable(),
    agreed_start_date: dateText.nullable(),
    started_date: dateText.nullable(),
    planned_building_area_m2: z.number().nullable(),
    developed_area_m2: z.number().nullable(),
    agreed_investment_wan: z.number().nullable(),
    invested_wan: z.number().nullable(),
    work_stopped_since: dateText.nullable(),
    land_price_wan: z.number().nullable(),
    extensions: z
      .array(z.object({ start_date: dateText, signed_on: dateText }))
      .meta({ description: 'The extension of the agreed start date in force on the date (Art. 8), if any' }),
    extension_count: z.number().int().meta({ description: 'Extensions signed by the date' }),
    state: z.enum(['not_supplied', 'no_agreed_date', 'fine', 'at_risk', 'idle']),
    extendedTo: dateText.nullable(),
    rule: z
      .union([z.literal(1), z.literal(2)])
      .nullable()
      .meta({ description: '1: not started a year after the agreed date; 2: under-developed and stopped a year' }),
    idleFrom: dateText.nullable(),
    daysLeft: z.number().int().nullable(),
    daysIdle: z.number().int().nullable(),
    stage: z.enum(['fee', 'take_back']).nullable(),
    feeWan: z.number().nullable().meta({ description: '闲置费: 20 % of the land price (万元)' }),
    developedShare: z.number().nullable(),
    investedShare: z.number().nullable(),
    daysStopped: z.number().int().nullable(),
    centre: z.tuple([z.number(), z.number()]).meta({ description: '[lon, lat] inside the parcel' }),
  })
  .meta({ id: 'IdleParcel' });

export const IdleReport = z.object({
  asOf: dateText,
  horizonDays: z.number().int(),
  totals: z.object({ supplied_area_m2: z.number(), idle_area_m2: z.number(), idle_ratio: z.number().nullable() }),
  zones: z.array(IdleZoneTotals),
  counts: z.object({ idle: z.number().int(), at_risk: z.number().int(), fine: z.number().int(), no_agreed_date: z.number().int() }),
  map: z
    .object({
      idle: z.array(z.number().int()),
      at_risk: z.array(z.tuple([z.number().int(), z.number().int(), z.number(), z.number()])).meta({ description: '[id, days left, lon, lat]' }),
      no_agreed_date: z.array(z.number().int()),
      not_supplied: z.array(z.number().int()).meta({ description: 'Supplied now, but not yet on the date' }),
    })
    .meta({ description: "The map's colouring for the date (the tiles carry today's status)" }),
  total: z.number().int().meta({ description: 'Parcels listed with the states asked for (all pages)' }),
  offset: z.number().int(),
  limit: z.number().int(),
  parcels: z.array(IdleParcel),
});

export const idleLand = defineContract({
  method: 'get',
  path: '/api/land/idle',
  summary: 'Idle land by 《闲置土地处置办法》 as of a date; JSON (paged), CSV or Excel',
  description:
    'Per-zone totals (idle ratio, 批而未供, 供而未用), counts by state, the map colouring, and the parcels the rule catches within the horizon ' +
    '(idle; at risk with days left; fine with a countdown inside the horizon; no agreed start date), most urgent first. ' +
    'format=csv answers text/csv (UTF-8 with BOM) and format=xlsx an Excel workbook (the list and a zone summary), each with all the parcels listed, not a page.',
  tags: ['land'],
  access: 'signedIn',
  query: z.strictObject({
    asOf: asOfQuery.optional(),
    zone: zoneIdsQuery.optional(),
    ...placeQuery,
    state: enumList(LISTED_STATES).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).optional(),
    horizon: queryInt(DEFAULT_IDLE_RULE.atRiskDays, 3650)
      .optional()
      .meta({ description: `Days ahead to list countdowns (default ${DEFAULT_IDLE_RULE.atRiskDays}, the at-risk window)` }),
    limit: queryInt(1, 100_000).optional().meta({ description: 'Parcels per page (JSON), default 1000' }),
    offset: queryInt(0, 10_000_000).optional(),
  }),
  responses: { 200: { description: 'The report (format=json, the default); CSV or Excel with format=csv or xlsx', schema: IdleReport } },
  errors: [400, 401],
});

export const AnalysedParcel = z.object({
  type: z.literal('Feature'),
  id: z.number().int(),
  geometry: Geometry,
  properties: z.object({
    id: z.number().int(),
    land_use: z.string(),
    supplied: z.boolean(),
    built: z.boolean(),
    idle: z.boolean(),
    industrial: z.boolean(),
    output_wan: z.number().meta({ description: "Output attributed to the parcel (万元, the year before the date's year)" }),
    used_m2: z.number().meta({ description: 'Land enterprises with figures for that year use on it' }),
    area_m2: z.number(),
  }),
});

export const landParcels = defineContract({
  method: 'get',
  path: '/api/land/parcels',
  summary: 'Parcels in a box with what a drawn-area analysis needs',
  description:
    'At most 2° a side and 20,000 parcels: land use, supplied, built and idle as of the date, output attributed to the parcel, land in use. ' +
    'The browser computes the figures of a drawn area from these (domain/areaAnalysis.ts).',
  tags: ['land'],
  access: 'signedIn',
  query: z.strictObject({
    // Its shape and span are checked by parseBbox, with the messages the other box routes give.
    bbox: text(200).meta({ description: 'minLon,minLat,maxLon,maxLat (WGS84), at most 2° a side' }),
    asOf: asOfQuery.optional(),
  }),
  responses: {
    200: {
      description: 'Parcels as GeoJSON, with the date and the figures year',
      schema: z.object({ type: z.literal('FeatureCollection'), asOf: dateText, year: z.number().int(), features: z.array(AnalysedParcel) }),
    },
  },
  errors: [400, 401],
});

export const ZoneLandTotals = z
  .object({
    totalAreaM2: z.number(),
    unbuildableAreaM2: z.number(),
    readyAreaM2: z.number(),
    suppliedAreaM2: z.number(),
    builtAreaM2: z.number(),
    industrialAreaM2: z.number(),
    residentialAreaM2: z.number(),
    floorAreaM2: z.number(),
    industrialFloorAreaM2: z.number(),
    buildingFootprintM2: z.number().nullable().meta({ description: 'null: footprints are not collected' }),
    industrialFootprintM2: z.number().nullable(),
    industrialInvestmentWan: z.number(),
    industrialTaxWan: z.number(),
    allTaxWan: z.number(),
    idleAreaM2: z.number(),
  })
  .meta({ id: 'ZoneLandTotals' });

export const LandIndicator = z
  .object({
    key: z.string(),
    zh: z.string(),
    en: z.string(),
    value: z.number().nullable(),
    unit: z.enum(['%', '万元/公顷', '']),
    formula: z.string(),
    formula_en: z.string(),
    // Open on purpose: each indicator names the totals its formula uses.
    inputs: z.record(z.string(), z.number().nullable()),
  })
  .meta({ id: 'LandIndicator' });

const LandUseArea = z.object({ land_use: z.string(), area_m2: z.number(), parcel_count: z.number().int() });
const zoneTypeSchema = z.enum(['industrial', 'mixed']).nullable().meta({ description: 'industrial: 工业主导型; mixed: 产城融合型; null: nothing built' });

export const LandDashboardZone = z.object({
  zone_id: z.number().int(),
  zone_name: z.string(),
  totals: ZoneLandTotals,
  steps: z
    .object({ reserve: z.number(), available: z.number(), supplied: z.number(), started: z.number(), built: z.number() })
    .meta({ description: 'Area (m²) at each lifecycle step on the date' }),
  land_use: z.array(LandUseArea),
  type: zoneTypeSchema,
  indicators: z.array(LandIndicator),
});

export const landDashboard = defineContract({
  method: 'get',
  path: '/api/land/dashboard',
  summary: 'Zone land dashboard as of a date',
  description:
    'Land use by class, lifecycle areas, the intensive-use indicators (TD/T 1029) with formulas and inputs, and the zone type; per zone and for all of them together (recomputed from the sums).',
  tags: ['land'],
  access: 'signedIn',
  query: z.strictObject({
    asOf: asOfQuery.optional(),
    zone: zoneIdsQuery.optional(),
    ...placeQuery,
    year: queryInt(1990, 2100).optional().meta({ description: 'Tax year (default: the year before asOf)' }),
  }),
  responses: {
    200: {
      description: 'The dashboard',
      schema: z.object({
        asOf: dateText,
        taxYear: z.number().int(),
        all: z.object({ totals: ZoneLandTotals, type: zoneTypeSchema, indicators: z.array(LandIndicator), land_use: z.array(LandUseArea) }),
        zones: z.array(LandDashboardZone),
      }),
    },
  },
  errors: [400, 401],
});
