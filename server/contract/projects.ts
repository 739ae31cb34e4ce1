/** Projects: pins as GeoJSON points with their traffic lights, one project's record, and editing a project. */
import { z } from 'zod';
import { PROJECT_FIELDS } from '../../domain/projectFields.ts';
import { LIGHT_KEYS, SANWEI_KEYS } from '../../domain/projectSupervision.ts';
import { PROJECT_STAGE_KEYS } from '../../domain/lifecycle.ts';
import { defineContract } from './define.ts';
import { amount, documentedAs, idParam, isoDate, noQuery, text, timestamp } from './common.ts';
import { bodyId, bodyVersion, param, zh } from './parcels.ts';

const light = z.enum(LIGHT_KEYS as [string, ...string[]]);

const ProjectFeature = z.object({
  type: z.literal('Feature'),
  id: z.number().int(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }),
  properties: z.object({
    id: z.number().int(),
    name: z.string(),
    stage: z.string(),
    zone_id: z.number().int(),
    industry_chain: z.string().nullable(),
    total_investment_wan: z.number().nullable(),
    light,
  }),
});

export const listProjects = defineContract({
  method: 'get',
  path: '/api/projects',
  summary: 'Projects as GeoJSON points, each with its traffic light',
  tags: ['projects'],
  access: 'signedIn',
  query: z.strictObject({
    zone: param(2000, 'Zone ids, comma-separated').optional(),
    // Stages are the configured list's (GET /api/supervision/stages): the route checks them against it.
    stage: param(2000)
      .meta(
        documentedAs({
          type: 'string',
          description: `Stages, comma-separated: keys of GET /api/supervision/stages (by default ${PROJECT_STAGE_KEYS.join(', ')})`,
        }),
      )
      .optional(),
    light: param(200)
      .meta(documentedAs({ type: 'string', description: `Traffic lights, comma-separated, among: ${LIGHT_KEYS.join(', ')}` }))
      .optional(),
    asOf: isoDate.optional().meta({ description: 'Judge the lights as of this date (default today)' }),
  }),
  responses: {
    200: { description: 'Projects', schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(ProjectFeature) }) },
  },
  errors: [400, 401],
});

const date = z.string().nullable().meta({ description: 'YYYY-MM-DD' });
const num = z.number().nullable();

/** The project's columns as stored (the edit's answer, and the history's snapshot). */
const projectColumns = {
  id: z.number().int(),
  zone_id: z.number().int(),
  parcel_id: z.number().int().nullable(),
  enterprise_id: z.number().int().nullable(),
  name: z.string(),
  industry_chain: z.string().nullable(),
  is_industrial: z.boolean(),
  stage: z.string(),
  total_investment_wan: num,
  completed_investment_wan: num,
  expected_annual_output_wan: num,
  land_area_mu: num,
  planned_date: date,
  signed_date: date,
  landed_date: date,
  started_date: date,
  producing_date: date,
  at_capacity_date: date,
  description: z.string().nullable(),
  plan_landed_date: date,
  plan_started_date: date,
  plan_producing_date: date,
  plan_at_capacity_date: date,
  actual_annual_output_wan: num,
  agreed_annual_tax_wan: num,
  actual_annual_tax_wan: num,
  // Keys are the stages a city added (domain/projectStages.ts): open by design.
  extra_stage_dates: z.record(z.string(), z.string()),
  version: z.number().int(),
  updated_at: timestamp,
};

export const ProjectSnapshot = z
  .object({ ...projectColumns, geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }) })
  .meta({ id: 'ProjectSnapshot' });

export const Project = z
  .object({
    ...projectColumns,
    zone_name: z.string(),
    parcel_code: z.string().nullable(),
    enterprise_name: z.string().nullable(),
    lon: z.number(),
    lat: z.number(),
    timeline: z.array(z.object({ stage: z.string(), date: date, planned: date })),
    rounds: z.array(z.object({ id: z.number().int(), name: z.string(), held_on: z.string(), batch: z.enum(['signed', 'started', 'producing']) })),
    light: z.object({ light, dueStage: z.string().nullable(), dueDate: date, daysLate: z.number().int() }),
    sanwei: z
      .object({
        kind: z.enum(SANWEI_KEYS as [string, ...string[]]),
        since: z.string(),
        days: z.number().int(),
        outputShare: num,
        taxShare: num,
      })
      .nullable(),
  })
  .meta({ id: 'Project' });

export const getProject = defineContract({
  method: 'get',
  path: '/api/projects/{id}',
  summary: 'One project with its stage timeline (actual and planned dates), investment, zone, parcel, 三个一批 rounds, traffic light and 三未 state',
  tags: ['projects'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  responses: { 200: { description: 'The project', schema: Project } },
  errors: [400, 401, 404],
});

/**
 * A field's new value: which field takes text, a stage key, a date or a figure is domain/projectFields.ts's
 * rule (both languages); here the types, no NUL, no 1e308. Added stages' dates: { stage: date | null }.
 */
/** An added stage's key; never a name every object has (__proto__, constructor, valueOf …). */
const stageKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,30}$/, { message: 'must be a stage key (a-z, 0-9, _)', ...zh('应为阶段代码（a-z、0-9、_）') })
  .refine((k) => !(k in Object.prototype), { message: 'is not a stage key', ...zh('不是阶段代码') });

const projectValue = z.union([text(2000), amount(), z.null(), z.record(stageKey, z.union([text(20), z.null()]))]);
const projectChanges = z.strictObject(Object.fromEntries(Object.keys(PROJECT_FIELDS).map((f) => [f, projectValue]))).partial();

export const updateProject = defineContract({
  method: 'patch',
  path: '/api/projects/{id}',
  summary: 'Edit a project',
  description:
    "Stage, stage dates (in order), planned dates, investment, output and tax, and the parcel link (by id or by code in the project's zone); the linked parcel then follows the project's stage, audited. A stale version answers 409 with the other user's changes.",
  tags: ['projects'],
  access: 'project.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: bodyVersion,
    changes: projectChanges.optional(),
    parcel_id: bodyId.nullable().optional(),
    parcel_code: text(40).nullable().optional(),
  }),
  responses: { 200: { description: 'The project after the change (its stored record)', schema: z.object({ project: ProjectSnapshot }) } },
  errors: [400, 401, 403, 404, 409, 422],
});
