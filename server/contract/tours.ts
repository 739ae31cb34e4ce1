/** 观摩 / 看述评: inspection tours — stops and route, criteria, judges, the judges' scores and the results. */
import { z } from 'zod';
import { TOUR_STATUS_KEYS } from '../../domain/tour.ts';
import { defineContract } from './define.ts';
import { Ok, amount, isoDate, idParam, requiredText, text, timestamp } from './common.ts';

const status = z.enum(TOUR_STATUS_KEYS as unknown as [string, ...string[]]);
const scope = z.enum(['city', 'zone']);
const id = z.number().int().min(1).max(999_999_999);
const version = z.number().int().min(1).max(1e9);
const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM' })
  .nullable();

export const Tour = z
  .object({
    id: z.number().int(),
    name: z.string(),
    held_on: z.string(),
    scope,
    city: z.string().nullable(),
    zone_id: z.number().int().nullable(),
    zone_name: z.string().nullable(),
    status,
    min_judges_for_trim: z.number().int(),
    note: z.string().nullable(),
    stops: z.number().int().meta({ description: 'How many stops' }),
    judges: z.number().int().meta({ description: 'How many judges' }),
    version: z.number().int(),
    updated_at: timestamp,
  })
  .meta({ id: 'Tour' });

const Stop = z.object({
  id: z.number().int(),
  project_id: z.number().int(),
  project_name: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  stop_order: z.number().int(),
  planned_time: z.string().nullable(),
  report_by: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
});
const Criterion = z.object({ id: z.number().int(), name: z.string(), weight: z.number(), max_score: z.number(), sort_order: z.number().int() });
const Judge = z.object({
  id: z.number().int(),
  user_id: z.number().int().nullable(),
  name: z.string(),
  username: z.string().nullable(),
  projects_scored: z.number().int(),
});

export const TourDetail = Tour.extend({
  stops: z.array(Stop),
  criteria: z.array(Criterion),
  judges: z.array(Judge),
  me: z
    .object({ judge_id: z.number().int(), scores: z.array(z.object({ project_id: z.number().int(), criterion_id: z.number().int(), score: z.number() })) })
    .nullable()
    .meta({ description: "The caller's judge seat and own scores; null unless the caller is a judge of the tour" }),
  can_manage: z.boolean(),
}).meta({ id: 'TourDetail' });

export const listTours = defineContract({
  method: 'get',
  path: '/api/tours',
  summary: '观摩 tours, newest first',
  tags: ['tours'],
  access: 'tour.read',
  responses: { 200: { description: 'The tours', schema: z.object({ tours: z.array(Tour) }) } },
  errors: [400, 401, 403],
});

export const getTour = defineContract({
  method: 'get',
  path: '/api/tours/{id}',
  summary: 'One tour with its stops, criteria and judges, and the caller’s own scores if a judge',
  tags: ['tours'],
  access: 'tour.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The tour', schema: TourDetail } },
  errors: [400, 401, 403, 404],
});

const tourFields = {
  name: requiredText(120),
  held_on: isoDate,
  scope,
  city: text(40).nullable(),
  zone_id: id.nullable(),
  min_judges_for_trim: z.number().int().min(3).max(50),
  note: text(2000).nullable(),
};

export const createTour = defineContract({
  method: 'post',
  path: '/api/tours',
  summary: 'Plan a tour (with the default criteria 投资规模 20, 建设进度 25, 产业带动 20, 亩均效益 20, 汇报质量 15)',
  description: 'A city tour names its city; a zone tour its zone. A zone-limited account plans tours of its own zones only.',
  tags: ['tours'],
  access: 'tour.manage',
  body: z.strictObject(tourFields).partial({ city: true, zone_id: true, min_judges_for_trim: true, note: true }),
  responses: { 201: { description: 'The new tour', schema: TourDetail } },
  errors: [400, 401, 403],
});

export const updateTour = defineContract({
  method: 'patch',
  path: '/api/tours/{id}',
  summary: 'Change a tour: its fields or its status (planning → scoring → closed)',
  description:
    'Opening for scoring needs at least one stop, one judge and criteria whose weights make 100. Back to planning only while nobody has scored. A stale version answers 409.',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version, changes: z.strictObject({ ...tourFields, status }).partial() }),
  responses: { 200: { description: 'The tour after the change', schema: TourDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const deleteTour = defineContract({
  method: 'delete',
  path: '/api/tours/{id}',
  summary: 'Delete a tour that nobody has scored yet',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'Deleted', schema: Ok } },
  errors: [400, 401, 403, 404, 409],
});

export const setStops = defineContract({
  method: 'put',
  path: '/api/tours/{id}/stops',
  summary: 'The stops in visiting order: add, remove and reorder in one call',
  description: 'Projects must lie in the tour’s city or zone (and in the caller’s zones). Removing a stop removes its scores. Not on a closed tour.',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version,
    stops: z.array(z.strictObject({ project_id: id, planned_time: hhmm.optional(), report_by: text(60).nullable().optional() })).max(60),
  }),
  responses: { 200: { description: 'The tour', schema: TourDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const optimiseStops = defineContract({
  method: 'post',
  path: '/api/tours/{id}/stops/optimise',
  summary: 'Reorder the stops by nearest neighbour from the first stop (great-circle distances)',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version }),
  responses: { 200: { description: 'The tour', schema: TourDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const setCriteria = defineContract({
  method: 'put',
  path: '/api/tours/{id}/criteria',
  summary: 'The scoring criteria: name, weight (points of 100, summing to 100) and maximum score',
  description: 'Only while the tour is being planned.',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version,
    criteria: z
      .array(z.strictObject({ name: requiredText(30), weight: amount(0.01, 100), max_score: amount(0.1, 1000) }))
      .min(1)
      .max(20),
  }),
  responses: { 200: { description: 'The tour', schema: TourDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const setJudges = defineContract({
  method: 'put',
  path: '/api/tours/{id}/judges',
  summary: 'The judges: accounts that score on the tour (a judge removed loses their scores)',
  tags: ['tours'],
  access: 'tour.manage',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version,
    judges: z.array(z.strictObject({ user_id: id, name: requiredText(60).optional() })).max(50),
  }),
  responses: { 200: { description: 'The tour', schema: TourDetail } },
  errors: [400, 401, 403, 404, 409],
});

export const judgeCandidates = defineContract({
  method: 'get',
  path: '/api/tours/accounts',
  summary: 'Active accounts that can be made judges',
  tags: ['tours'],
  access: 'tour.manage',
  responses: {
    200: {
      description: 'Accounts',
      schema: z.object({ accounts: z.array(z.object({ id: z.number().int(), username: z.string(), display_name: z.string(), role: z.string() })) }),
    },
  },
  errors: [400, 401, 403],
});

const GeoLine = z.object({ type: z.literal('LineString'), coordinates: z.array(z.array(z.number())) });

export const Itinerary = z
  .object({
    tour: Tour,
    total_km: z.number(),
    stops: z.array(
      z.object({
        stop_order: z.number().int(),
        planned_time: z.string().nullable(),
        report_by: z.string().nullable(),
        project_id: z.number().int(),
        project_name: z.string(),
        zone_id: z.number().int(),
        zone_name: z.string(),
        county: z.string().nullable(),
        city: z.string(),
        enterprise_name: z.string().nullable(),
        total_investment_wan: z.number().nullable(),
        completed_investment_wan: z.number().nullable(),
        progress_pct: z.number().nullable().meta({ description: 'Completed ÷ total investment, in per cent' }),
        stage: z.string(),
        lon: z.number(),
        lat: z.number(),
        km_from_previous: z.number(),
        open_problems: z.array(z.object({ id: z.number().int(), kind: z.string(), title: z.string(), due_on: z.string().nullable(), level: z.string() })),
      }),
    ),
    route: z.object({ type: z.literal('Feature'), geometry: GeoLine.nullable(), properties: z.object({ total_km: z.number() }) }),
  })
  .meta({ id: 'TourItinerary' });

export const itinerary = defineContract({
  method: 'get',
  path: '/api/tours/{id}/itinerary',
  summary: 'The itinerary: each stop’s facts, open problems and distance from the previous stop (km), and the route as a GeoJSON LineString',
  description: 'Distances are great-circle legs between the projects’ pins (Turf), not road distances.',
  tags: ['tours'],
  access: 'tour.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The itinerary', schema: Itinerary } },
  errors: [400, 401, 403, 404],
});

export const itineraryPdf = defineContract({
  method: 'get',
  path: '/api/tours/{id}/itinerary.pdf',
  summary: 'The printable itinerary (A4 PDF)',
  tags: ['tours'],
  access: 'tour.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'A4 PDF', contentType: 'application/pdf' } },
  errors: [400, 401, 403, 404],
});

export const putScores = defineContract({
  method: 'put',
  path: '/api/tours/{id}/scores',
  summary: 'A judge’s scores for one project: every criterion at once, each 0 … its maximum',
  description: 'Only the tour’s judges, only while the tour is open for scoring. Saving again replaces the judge’s scores for the project.',
  tags: ['tours'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    project_id: id,
    scores: z
      .array(z.strictObject({ criterion_id: id, score: amount(0, 1000) }))
      .min(1)
      .max(20),
  }),
  responses: {
    200: {
      description: 'The judge’s scores of the project and their total (points of 100)',
      schema: z.object({ project_id: z.number().int(), total: z.number() }),
    },
  },
  errors: [400, 401, 403, 404, 409],
});

const Ranked = z.object({ key: z.string(), score: z.number().nullable(), projects: z.number().int(), rank: z.number().int().nullable() });

export const Results = z
  .object({
    tour: Tour,
    criteria: z.array(Criterion),
    judges: z.array(z.object({ id: z.number().int(), name: z.string() })),
    rule: z.object({ zh: z.string(), en: z.string() }),
    projects: z.array(
      z.object({
        project_id: z.number().int(),
        project_name: z.string(),
        zone_id: z.number().int(),
        zone_name: z.string(),
        county: z.string().nullable(),
        city: z.string(),
        score: z.number().nullable(),
        judges: z.number().int(),
        trimmed: z.boolean(),
        dropped: z.array(z.number()),
        totals: z.array(z.object({ judge_id: z.number().int(), total: z.number() })),
        rank: z.number().int().nullable(),
      }),
    ),
    zones: z.array(Ranked.extend({ zone_id: z.number().int() })),
    counties: z.array(Ranked),
    cities: z.array(Ranked),
  })
  .meta({ id: 'TourResults' });

export const results = defineContract({
  method: 'get',
  path: '/api/tours/{id}/results',
  summary: 'Scores per project (judges counted, trimmed or not), rankings of projects, zones, counties and cities',
  description: 'The rules are in domain/tour.ts and in the answer’s `rule`.',
  tags: ['tours'],
  access: 'tour.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The results', schema: Results } },
  errors: [400, 401, 403, 404],
});

export const resultsPdf = defineContract({
  method: 'get',
  path: '/api/tours/{id}/results.pdf',
  summary: 'The one-page results sheet (A4 PDF)',
  tags: ['tours'],
  access: 'tour.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'A4 PDF', contentType: 'application/pdf' } },
  errors: [400, 401, 403, 404],
});
