/**
 * Building blocks of the API contract: the schemas every route's parameters, bodies and answers are made of.
 * They refuse at the door what the database would refuse later with a 500: NUL bytes in text, numbers beyond
 * any real figure, keys a route does not know (`__proto__`, `constructor`, …).
 *
 * Only zod and domain/ here: the client imports these files for its types.
 */
import { z } from 'zod';

/**
 * The documented schema of a query or path text that the server turns into something else (a number, a list):
 * the document shows what the caller sends, replacing what zod would render from the text checks.
 */
export function documentedAs(schema: Record<string, unknown>) {
  return {
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      Object.assign(jsonSchema, schema);
    },
  };
}

/** Chinese text for a custom check; the route turns it into details.fields[].message_zh. */
const zh = (text: string) => ({ params: { zh: text } });

/** Text without NUL bytes (PostgreSQL cannot store them), at most `max` characters. */
export function text(max = 500) {
  return z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain a NUL character (\\u0000)', ...zh('不能包含空字符（\\u0000）') });
}

/** A non-empty text. */
export function requiredText(max = 500) {
  return text(max).refine((s) => s.trim() !== '', { message: 'must not be empty', ...zh('不能为空') });
}

/** A positive whole-number id in a path: "12" → 12. */
export const idParam = z
  .string()
  .refine((s) => /^[1-9]\d{0,8}$/.test(s), { message: 'must be a positive whole number', abort: true, ...zh('必须是正整数') })
  .transform(Number)
  .meta({ param: { description: 'Record id' }, ...documentedAs({ type: 'integer', minimum: 1, maximum: 999999999 }) });

/** A whole number given as query text, within a range. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .refine((s) => /^-?\d{1,12}$/.test(s), { message: 'must be a whole number', abort: true, ...zh('必须是整数') })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}`, ...zh(`必须在 ${min} 到 ${max} 之间`) })
    .meta(documentedAs({ type: 'integer', minimum: min, maximum: max }));
}

/** A decimal number given as query text, within a range. */
export function queryNumber(min: number, max: number) {
  return z
    .string()
    .refine((s) => /^-?\d{1,15}(\.\d{1,15})?$/.test(s), { message: 'must be a number', abort: true, ...zh('必须是数字') })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}`, ...zh(`必须在 ${min} 到 ${max} 之间`) })
    .meta(documentedAs({ type: 'number', minimum: min, maximum: max }));
}

/** A JSON number within the range of real figures (1e308 is not an area or a sum of money). */
export function amount(min = -1e12, max = 1e12) {
  return z.number().min(min).max(max);
}

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
export const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s), { message: 'must be a date YYYY-MM-DD', abort: true, ...zh('日期格式应为 YYYY-MM-DD') })
  .refine(
    (s) => {
      const [y, m, d] = s.split('-').map(Number);
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1990 && y <= 2100;
    },
    { message: 'is not a real calendar date between 1990 and 2100', ...zh('不是 1990–2100 年间的有效日期') },
  )
  .meta(documentedAs({ type: 'string', format: 'date' }));

/** A month YYYY-MM. */
export const isoMonth = z
  .string()
  .refine((s) => /^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/.test(s), { message: 'must be a month YYYY-MM', abort: true, ...zh('月份格式应为 YYYY-MM') })
  .meta(documentedAs({ type: 'string', pattern: '^\\d{4}-\\d{2}$' }));

/** Comma-separated values from a fixed list, in a query parameter. */
export function enumList<T extends string>(allowed: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(allowed)).min(1))
    .meta(documentedAs({ type: 'string', description: `Comma-separated, among: ${allowed.join(', ')}` }));
}

/** Comma-separated positive ids, e.g. the zones of a scope. */
export const idList = z
  .string()
  .refine((s) => /^\d{1,9}(,\d{1,9})*$/.test(s), { message: 'must be ids separated by commas, e.g. 1,2,3', abort: true, ...zh('应为逗号分隔的编号，如 1,2,3') })
  .transform((s) => s.split(',').map(Number))
  .meta(documentedAs({ type: 'string', pattern: '^\\d+(,\\d+)*$' }));

/** A query string with no parameters at all. */
export const noQuery = z.strictObject({});

/** The one shape of every error answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string().meta({ description: 'English; Chinese text is in details.message_zh or details.fields[].message_zh where given' }),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** GeoJSON, as far as the contract checks it (geometry validity is the services' work). */
export const Geometry = z
  .object({ type: z.enum(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']) })
  .passthrough()
  .meta({ id: 'Geometry' });

export const Feature = z
  .object({
    type: z.literal('Feature'),
    id: z.union([z.number(), z.string()]).optional(),
    geometry: Geometry.nullable(),
    properties: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Feature' });

export const FeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(Feature) }).meta({ id: 'FeatureCollection' });

/** Timestamps come from the database as ISO text in JSON. */
export const timestamp = z.string().meta(documentedAs({ type: 'string', format: 'date-time' }));

/** A plain { ok: true } answer. */
export const Ok = z.object({ ok: z.literal(true) });
