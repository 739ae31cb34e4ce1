/**
 * Imports of land files: upload (stage) → check (report and preview) → commit or cancel; committed imports
 * listed and undone as a whole.
 */
import { z } from 'zod';
import { IMPORT_KINDS, LAND_USE_STANDARDS, type ImportKind, type ImportTargetKind, type LandUseStandard } from '../../domain/importMapping.ts';
import { defineContract } from './define.ts';
import { amount, documentedAs, idParam, noQuery, text, timestamp } from './common.ts';
import { MultiPolygon, bodyId, zh } from './parcels.ts';

const Message = z.object({ en: z.string(), zh: z.string() });
const kind = z.enum(IMPORT_KINDS as [ImportKind, ...ImportKind[]]);
const landUseStandard = z.enum(LAND_USE_STANDARDS as [LandUseStandard, ...LandUseStandard[]]);
const TARGET_KINDS = [
  'code',
  'zone',
  'landUse',
  'status',
  'date',
  'number',
  'area',
  'boolean',
  'text',
  'creditCode',
  'year',
  'integer',
  'level',
  'stage',
  'money',
  'parcelCode',
] as const satisfies readonly ImportTargetKind[];
// Every kind of target listed (a kind added to the domain and not here fails the type check).
const allTargetKinds: Exclude<ImportTargetKind, (typeof TARGET_KINDS)[number]> extends never ? true : never = true;
void allTargetKinds;

/** A key a file's columns or targets may have, but never a name every object has (__proto__, constructor …). */
const recordKey = z
  .string()
  .max(200)
  .refine((k) => !k.includes('\u0000') && !(k in Object.prototype), { message: 'is not a column or target name', ...zh('不是有效的列名或字段名') });

export const FieldMapping = z
  .object({
    kind: kind.optional(),
    moneyUnit: z.enum(['wan', 'yi']).optional(),
    // target key → the file's column (null: not imported); the keys are the kind's targets (GET /api/imports/options).
    fields: z.record(z.string(), z.string().nullable()),
    areaUnit: z.enum(['m2', 'mu', 'ha']),
    landUseStandard,
    values: z.record(z.string(), z.string()).optional(),
  })
  .meta({ id: 'FieldMapping' });

const ImportTarget = z.object({
  key: z.string(),
  column: z.string().nullable(),
  kind: z.enum(TARGET_KINDS),
  zh: z.string(),
  en: z.string(),
  short: z.string(),
  names: z.array(z.string()),
  fallbackNames: z.array(z.string()).optional(),
});

export const importOptions = defineContract({
  method: 'get',
  path: '/api/imports/options',
  summary: 'Coordinate systems, mapping targets, land-use standards and the size limit',
  tags: ['imports'],
  access: 'signedIn',
  query: noQuery,
  responses: {
    200: {
      description: 'What an import can be set to',
      schema: z.object({
        crs: z.array(z.object({ epsg: z.number().int(), name: z.string() })),
        kinds: z.array(kind),
        targets: z.array(ImportTarget),
        enterpriseTargets: z.array(ImportTarget),
        zoneTargets: z.array(ImportTarget),
        projectTargets: z.array(ImportTarget),
        landUseStandards: z.array(landUseStandard),
        maxBytes: z.number().int(),
      }),
    },
  },
  errors: [400, 401],
});

const CrsGuess = z.object({
  epsg: z.number().int(),
  swapped: z.boolean(),
  confidence: z.enum(['prj', 'certain', 'likely']),
  reason: Message,
  alternatives: z.array(z.number().int()),
});

export const StagedImport = z
  .object({
    id: z.number().int(),
    fileName: z.string(),
    format: z.string(),
    features: z.number().int(),
    columns: z.array(z.string()),
    // A file whose coordinates fit no known system is refused (422 import_bad_crs), so never { error } here.
    crs: CrsGuess.nullable(),
    mapping: FieldMapping,
    notes: z.array(Message),
    encoding: z.string().nullable(),
  })
  .meta({ id: 'StagedImport' });

export const uploadImport = defineContract({
  method: 'post',
  path: '/api/imports',
  summary: 'Upload a land file to stage an import: Shapefile (.zip), GeoJSON, KML/KMZ, CSV, Excel (.xlsx), GeoPackage or the ministry coordinate TXT',
  description:
    'The body is the file itself (Content-Type: application/octet-stream) and X-File-Name its URI-encoded name. Files over the limit (GET /api/imports/options, maxBytes; IMPORT_MAX_MB) get 413 before they are read; zip bombs and paths outside the zip are refused. Nothing is written to parcels: the answer has the import id, columns, the coordinate system read or guessed (to confirm), and the proposed field mapping.',
  tags: ['imports'],
  access: 'parcel.import',
  query: z.strictObject({ zone: idParam.optional().meta({ description: 'Zone id the data belongs to (helps guess an unprefixed Gauss–Krüger zone)' }) }),
  // The raw file: the route reads the stream itself (with its size limit); nothing here to validate.
  body: z.custom<unknown>(() => true).meta(documentedAs({ type: 'string', format: 'binary' })),
  bodyContentType: 'application/octet-stream',
  responses: { 201: { description: 'The staged import', schema: StagedImport } },
  errors: [400, 401, 403, 413, 415, 422],
});

export const listImports = defineContract({
  method: 'get',
  path: '/api/imports',
  summary: 'Committed imports (newest first, at most 200, limited to my zones): who, when, file, counts, status (committed or undone)',
  tags: ['imports'],
  access: 'signedIn',
  query: noQuery,
  responses: {
    200: {
      description: 'The imports',
      schema: z.object({
        imports: z.array(
          z.object({
            id: z.number().int(),
            username: z.string(),
            file_name: z.string(),
            format: z.string(),
            status: z.enum(['committed', 'undone']),
            counts: z
              .object({
                features: z.number().int(),
                created: z.number().int(),
                updated: z.number().int(),
                kind: kind.optional(),
                figures: z.number().int().optional(),
                warnings: z.number().int().optional(),
              })
              .nullable(),
            zone_ids: z.array(z.number().int()),
            created_at: timestamp,
            committed_at: timestamp.nullable(),
            undone_at: timestamp.nullable(),
            undone_by: z.string().nullable(),
            epsg: z.number().int().nullable(),
          }),
        ),
      }),
    },
  },
  errors: [400, 401],
});

/**
 * The settings of a check or commit. Each is optional (the staged file's proposal fills in); what each may
 * be (a CRS the server knows, targets of the kind, a whole-file value that converts) is the pipeline's
 * check, in both languages. Here: the types, no NUL, no 1e308, no unknown or prototype keys.
 */
export const ImportSettingsBody = z
  .strictObject({
    // null or absent: the staged file's CRS; "EPSG:4547" or 4547.
    epsg: z.union([z.number().int().min(1).max(999_999), text(20)]).nullable(),
    swapped: z.boolean(),
    mapping: z
      .strictObject({
        kind: kind.optional(),
        moneyUnit: z.enum(['wan', 'yi']).optional(),
        fields: z.record(recordKey, text(200).nullable()),
        areaUnit: z.enum(['m2', 'mu', 'ha']).optional(),
        landUseStandard: landUseStandard.optional(),
        values: z
          .record(recordKey, z.union([text(200), amount(), z.boolean(), z.null()]))
          .nullable()
          .optional(),
      })
      .nullable(),
    zoneId: bodyId.nullable(),
    // null (an emptied field): the default tolerance.
    areaTolerancePct: amount(0, 100).nullable(),
    repair: z.boolean(),
    acceptOverlaps: z.boolean(),
  })
  .partial()
  .meta({ id: 'ImportSettings' });

const params = z.strictObject({ id: idParam });

export const ImportReport = z
  .object({
    total: z.number().int(),
    toCreate: z.number().int(),
    toUpdate: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    issues: z.array(
      z.object({
        n: z.number().int(),
        where: Message,
        code: z.string().nullable(),
        severity: z.enum(['error', 'warning', 'info']),
        kind: z.string(),
        message: Message,
        overlap_m2: z.number().optional(),
      }),
    ),
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
    // The features with geometry, in WGS84, coloured by their worst problem: parcels and zones as MultiPolygons, projects as points.
    preview: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(
        z.object({
          type: z.literal('Feature'),
          id: z.number().int(),
          geometry: z.union([MultiPolygon, z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) })]),
          properties: z.object({ n: z.number().int(), code: z.string().nullable(), state: z.enum(['ok', 'warning', 'error']) }),
        }),
      ),
    }),
  })
  .meta({ id: 'ImportReport' });

export const checkImport = defineContract({
  method: 'post',
  path: '/api/imports/{id}/check',
  summary: 'Check a staged import: reprojection, mapping, validity, zones, overlaps, duplicates, areas, codes, dates and numbers; nothing is written',
  tags: ['imports'],
  access: 'parcel.import',
  params,
  body: ImportSettingsBody,
  responses: { 200: { description: 'The report, with a preview of the features', schema: ImportReport } },
  errors: [400, 401, 403, 404, 409, 422],
});

export const commitImport = defineContract({
  method: 'post',
  path: '/api/imports/{id}/commit',
  summary: 'Commit a staged import in one transaction (all or nothing; parcels with the same code in the zone are updated); one audit entry',
  description: 'The same settings as the check; refused (422) while the check finds errors.',
  tags: ['imports'],
  access: 'parcel.import',
  params,
  body: ImportSettingsBody,
  responses: {
    200: { description: 'What was written', schema: z.object({ importId: z.number().int(), created: z.number().int(), updated: z.number().int() }) },
  },
  errors: [400, 401, 403, 404, 409, 422],
});

export const cancelImport = defineContract({
  method: 'post',
  path: '/api/imports/{id}/cancel',
  summary: 'Cancel a staged import (its features are dropped)',
  tags: ['imports'],
  access: 'parcel.import',
  params,
  responses: { 200: { description: 'Cancelled', schema: z.object({ ok: z.literal(true) }) } },
  errors: [400, 401, 403, 404, 409],
});

export const undoImport = defineContract({
  method: 'post',
  path: '/api/imports/{id}/undo',
  summary: 'Undo a committed import as a whole: created parcels, zones, projects or enterprises removed, updated ones restored (refused if any changed since)',
  tags: ['imports'],
  access: 'parcel.import',
  params,
  responses: {
    200: { description: 'How many records were removed and restored', schema: z.object({ removed: z.number().int(), restored: z.number().int() }) },
  },
  errors: [400, 401, 403, 404, 409],
});
