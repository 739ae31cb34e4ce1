/**
 * 开发区考核: the scheme (versions, save, what-if preview), targets and manual values (edit, import), the
 * monthly results of a city's zones or of the province with its cities, and the monthly bulletin (通报).
 * Internal: every route needs evaluation.read or evaluation.edit. The scoring is domain/evaluation.ts.
 */
import { z } from 'zod';
import { EVALUATION_CLASSES, ZONE_TYPES } from '../../domain/evaluation.ts';
import { defineContract } from './define.ts';
import { amount, idParam, isoMonth, noQuery, queryInt, requiredText, text } from './common.ts';
import { uploadedFile } from './indicators.ts';

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,40}$/, 'must be a key of lower-case letters, digits and _ (2–41 characters)')
  .meta({ description: 'Indicator key, e.g. investment_completion' });
const weight = amount(0, 100);

const rule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ratio'), cap: amount(0.1, 10).meta({ description: 'Highest progress counted, e.g. 1.2 = 120 %' }) }),
  z.strictObject({ type: z.literal('rank'), floor: amount(0, 1).meta({ description: 'Share of the weight the last zone gets' }) }),
  z.strictObject({
    type: z.literal('steps'),
    steps: z
      .array(z.strictObject({ min: amount(0, 100), share: amount(0, 1) }))
      .min(1)
      .max(20)
      .meta({ description: 'The first step whose min progress is reached gives share × weight' }),
  }),
]);

const indicatorShape = {
  key,
  name_zh: requiredText(40),
  name_en: requiredText(80),
  unit: requiredText(20),
  source: z.enum(['app', 'manual']),
  kind: z
    .enum(['flow', 'stock'])
    .meta({ description: 'flow: summed over the year, judged against target × elapsed share; stock: latest value against the target' }),
  direction: z.enum(['higher', 'lower']),
  weights: z.strictObject({ industrial: weight, other: weight }).meta({ description: 'Points for 工业类 and 其他 zones; each type sums to 100' }),
  rule,
};

const schemeShape = {
  name: requiredText(80),
  basis: z.enum(['months', 'days']).meta({ description: 'Elapsed share of the year: months reported (Oct = 10/12) or days (leap years counted)' }),
  indicators: z.array(z.strictObject(indicatorShape)).min(1).max(40),
  thresholds: z
    .strictObject({ first: amount(0, 1000), good: amount(0, 1000), fair: amount(0, 1000) })
    .meta({ description: 'Minimum total of 第一方阵, 良好, 一般; below 一般 is 预警' }),
};
const SchemeInput = z.strictObject(schemeShape);
export const EvaluationScheme = z.object(schemeShape).meta({ id: 'EvaluationScheme' });
const VersionedScheme = z.object({ scheme: EvaluationScheme, version: z.number().int().meta({ description: '0: the documented default, never saved' }) });

const cls = z.enum(EVALUATION_CLASSES as [string, ...string[]]);

const IndicatorResult = z.object({
  key: z.string(),
  value: z.number().nullable().meta({ description: 'Flow: year to date; stock: latest; null: not reported' }),
  target: z.number().nullable().meta({ description: 'The yearly target' }),
  expected: z.number().nullable().meta({ description: '序时进度: target × elapsed share (flow) or the target (stock)' }),
  progress: z.number().nullable().meta({ description: 'value against expected (1 = on schedule), direction applied' }),
  behind: z.boolean(),
  gap: z.number().nullable().meta({ description: 'Distance to expected in the unit (positive = behind)' }),
  missing: z.array(z.string()).meta({ description: 'Months of the year not reported' }),
  weight: z.number(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
});

const unitResult = {
  type: z.enum(ZONE_TYPES as [string, ...string[]]),
  indicators: z.array(IndicatorResult),
  total: z.number(),
  rank: z.number().int(),
  class: cls,
  movement: z.number().int().nullable().meta({ description: 'Places moved since last month (+ = up)' }),
  previous_rank: z.number().int().nullable(),
  behind: z.array(z.object({ key: z.string(), gap: z.number().nullable(), progress: z.number().nullable() })),
  missing: z.array(z.string()),
  warning: z.boolean(),
  details: z.boolean().meta({
    description:
      'false: a zone-limited account sees another zone (or a city) as the 通报 shows it: rank, total, class, movement, behind; indicators and missing are empty',
  }),
};

export const EvaluationResults = z
  .object({
    month: z.string(),
    year: z.number().int(),
    city: z.string().nullable(),
    city_list: z.array(z.string()).meta({ description: 'Every city with zones, for choosing the level' }),
    scheme_version: z.number().int().nullable().meta({ description: 'null for a preview' }),
    scheme_name: z.string(),
    basis: z.enum(['months', 'days']),
    thresholds: z.object({ first: z.number(), good: z.number(), fair: z.number() }),
    indicators: z.array(
      z.object({
        key: z.string(),
        name_zh: z.string(),
        name_en: z.string(),
        unit: z.string(),
        source: z.enum(['app', 'manual']),
        kind: z.enum(['flow', 'stock']),
        direction: z.enum(['higher', 'lower']),
        weights: z.object({ industrial: z.number(), other: z.number() }),
      }),
    ),
    zones: z.array(z.object({ zone_id: z.number().int(), name: z.string(), name_en: z.string().nullable(), city: z.string(), ...unitResult })),
    cities: z
      .array(z.object({ city: z.string(), zone_count: z.number().int(), ...unitResult }))
      .meta({ description: 'Province view only: cities ranked by their zones summed (ratios from summed parts)' }),
  })
  .meta({ id: 'EvaluationResults' });

const cityQuery = text(40)
  .refine((s) => s.trim() !== '', 'must not be empty')
  .meta({ description: 'A city (e.g. 大同市): its zones ranked; absent: the province' });

export const getScheme = defineContract({
  method: 'get',
  path: '/api/evaluation/scheme',
  summary: 'The evaluation scheme in force (or one version)',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: z.strictObject({ version: queryInt(0, 1_000_000).optional() }),
  responses: { 200: { description: 'The scheme and its version', schema: VersionedScheme } },
  errors: [400, 401, 403, 404],
});

export const listVersions = defineContract({
  method: 'get',
  path: '/api/evaluation/scheme/versions',
  summary: 'The saved versions of the evaluation scheme, newest first',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: noQuery,
  responses: {
    200: {
      description: 'Versions',
      schema: z.object({
        versions: z.array(
          z.object({ version: z.number().int(), name: z.string(), note: z.string().nullable(), created_by: z.string().nullable(), created_at: z.string() }),
        ),
      }),
    },
  },
  errors: [401, 403],
});

export const saveScheme = defineContract({
  method: 'put',
  path: '/api/evaluation/scheme',
  summary: 'Save the evaluation scheme as a new version; recorded in the audit log',
  description:
    'version is the version edited (0 for the default): a stale one answers 409. Weights of each zone type must sum to 100 (400 with the problems). Only an account not limited to some zones may change the scheme (403).',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  body: z.strictObject({ version: z.number().int().min(0).max(1e9), scheme: SchemeInput, note: text(200).optional() }),
  responses: { 200: { description: 'The saved scheme and its new version', schema: VersionedScheme } },
  errors: [400, 401, 403, 409],
});

const resultsQuery = {
  month: isoMonth.meta({ description: 'YYYY-MM, e.g. 2026-10' }),
  city: cityQuery.optional(),
};

export const preview = defineContract({
  method: 'post',
  path: '/api/evaluation/preview',
  summary: 'What-if: the results a draft scheme would give; nothing is saved',
  tags: ['evaluation'],
  access: 'evaluation.read',
  body: z.strictObject({ scheme: SchemeInput, month: resultsQuery.month, city: resultsQuery.city.nullable() }),
  responses: { 200: { description: 'The results with the draft scheme (scheme_version null)', schema: EvaluationResults } },
  errors: [400, 401, 403],
});

export const results = defineContract({
  method: 'get',
  path: '/api/evaluation/results',
  summary: 'Monthly evaluation results: a city’s zones, or the province with its cities',
  description:
    'Per zone each indicator’s value, target, 序时进度 (expected by now), progress, score and rank; the total, class, movement since last month, and the indicators behind schedule with their gaps. Without city also the cities ranked by their zones summed.',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: z.strictObject({ ...resultsQuery, year: queryInt(1990, 2100).optional().meta({ description: 'Must match the month’s year when given' }) }),
  responses: { 200: { description: 'The results', schema: EvaluationResults } },
  errors: [400, 401, 403],
});

export const bulletin = defineContract({
  method: 'get',
  path: '/api/evaluation/bulletin',
  summary: 'The monthly bulletin (通报): JSON, a one-page A4 PDF or an Excel workbook',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: z.strictObject({ ...resultsQuery, format: z.enum(['json', 'pdf', 'xlsx']).optional().meta({ description: 'Default json' }) }),
  responses: { 200: { description: 'The results the bulletin shows (JSON; a file for pdf and xlsx)', schema: EvaluationResults } },
  errors: [400, 401, 403],
});

const TargetRow = z.object({
  zone_id: z.number().int(),
  zone_name: z.string(),
  city: z.string(),
  year: z.number().int(),
  indicator_key: z.string(),
  target: z.number(),
  version: z.number().int(),
});
const ValueRow = z.object({
  zone_id: z.number().int(),
  zone_name: z.string(),
  city: z.string(),
  month: z.string(),
  indicator_key: z.string(),
  value: z.number(),
  version: z.number().int(),
});

export const listTargets = defineContract({
  method: 'get',
  path: '/api/evaluation/targets',
  summary: 'Yearly targets per zone and indicator',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: z.strictObject({ year: queryInt(1990, 2100), city: cityQuery.optional() }),
  responses: { 200: { description: 'Targets', schema: z.object({ targets: z.array(TargetRow) }) } },
  errors: [400, 401, 403],
});

const targetInput = z.strictObject({
  zone_id: z.number().int().min(1).max(999_999_999),
  year: z.number().int().min(1990).max(2100),
  indicator_key: key,
  target: amount(),
});
const valueInput = z.strictObject({ zone_id: z.number().int().min(1).max(999_999_999), month: isoMonth, indicator_key: key, value: amount() });

export const saveTargets = defineContract({
  method: 'put',
  path: '/api/evaluation/targets',
  summary: 'Set targets (one or many), all or nothing; each recorded in the audit log',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  body: z.strictObject({ targets: z.array(targetInput).min(1).max(5000) }),
  responses: { 200: { description: 'How many were saved', schema: z.object({ saved: z.number().int() }) } },
  errors: [400, 401, 403],
});

export const deleteTarget = defineContract({
  method: 'delete',
  path: '/api/evaluation/targets',
  summary: 'Remove one target',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  query: z.strictObject({ zone_id: queryInt(1, 999_999_999), year: queryInt(1990, 2100), indicator_key: key }),
  responses: { 200: { description: 'Removed', schema: z.object({ deleted: z.number().int() }) } },
  errors: [400, 401, 403, 404],
});

export const listValues = defineContract({
  method: 'get',
  path: '/api/evaluation/values',
  summary: 'Manual indicator values of a month',
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: z.strictObject({ month: isoMonth, city: cityQuery.optional() }),
  responses: { 200: { description: 'Values', schema: z.object({ values: z.array(ValueRow) }) } },
  errors: [400, 401, 403],
});

export const saveValues = defineContract({
  method: 'put',
  path: '/api/evaluation/values',
  summary: 'Enter manual indicator values (one or many), all or nothing; each recorded in the audit log',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  body: z.strictObject({ values: z.array(valueInput).min(1).max(5000) }),
  responses: { 200: { description: 'How many were saved', schema: z.object({ saved: z.number().int() }) } },
  errors: [400, 401, 403],
});

export const importSheet = defineContract({
  method: 'post',
  path: '/api/evaluation/import',
  summary: 'Import targets or manual values from Excel (.xlsx) or CSV, all or nothing',
  description:
    'kind=targets: header 开发区, 年份, 指标, 目标; kind=values: header 开发区, 月份, 指标, 数值. Zone by name or code, indicator by key or Chinese name. 422 lists every bad row (details.rows); nothing is written unless every row is good.',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  query: z.strictObject({ kind: z.enum(['targets', 'values']) }),
  body: uploadedFile,
  bodyContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  responses: { 200: { description: 'How many rows were saved', schema: z.object({ saved: z.number().int() }) } },
  errors: [400, 401, 403, 413, 422],
});

const zoneType = z.enum(ZONE_TYPES as [string, ...string[]]);

export const listZoneTypes = defineContract({
  method: 'get',
  path: '/api/evaluation/zone-types',
  summary: "Every zone's type for the evaluation's weights (工业类 / 其他类; a zone never set is 工业类)",
  tags: ['evaluation'],
  access: 'evaluation.read',
  query: noQuery,
  responses: {
    200: {
      description: 'The zones and their types',
      schema: z.object({ zones: z.array(z.object({ zone_id: z.number().int(), name: z.string(), city: z.string(), zone_type: zoneType })) }),
    },
  },
  errors: [401, 403],
});

export const setZoneType = defineContract({
  method: 'put',
  path: '/api/evaluation/zone-types/{zone_id}',
  summary: "Set a zone's type for the evaluation (工业类 or 其他类); recorded in the audit log",
  description: 'Only an account not limited to some zones (the type moves the zone within everyone’s ranking): 403 otherwise.',
  tags: ['evaluation'],
  access: 'evaluation.edit',
  params: z.strictObject({ zone_id: idParam }),
  body: z.strictObject({ zone_type: zoneType }),
  responses: { 200: { description: 'The zone and its type', schema: z.object({ zone_id: z.number().int(), zone_type: zoneType }) } },
  errors: [400, 401, 403, 404],
});
