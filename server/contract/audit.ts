/** The history: a record's entries, and the whole log (filtered, paged, as CSV) for administrators. */
import { z } from 'zod';
import { AUDIT_ENTITIES } from '../../domain/auditEntities.ts';
import { defineContract } from './define.ts';
import { enumList, idParam, isoDate, noQuery, queryInt, text, timestamp } from './common.ts';

export const HistoryEntry = z
  .object({
    id: z.number().int(),
    at: timestamp,
    username: z.string(),
    action: z.string(),
    entity: z.enum(AUDIT_ENTITIES),
    entity_id: z.number().int().nullable(),
    version: z.number().int().nullable(),
    note: z.string().nullable(),
    // before and after are whatever the field held (text, number, list, null; geometry shows as "(geometry)").
    changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  })
  .meta({ id: 'HistoryEntry' });

export const history = defineContract({
  method: 'get',
  path: '/api/history/{entity}/{id}',
  summary: "A record's history: who changed what, when (newest first, at most 200)",
  description: 'The history of accounts (user) and shortlists is for administrators only (403).',
  tags: ['audit'],
  access: 'signedIn',
  params: z.strictObject({ entity: z.enum(AUDIT_ENTITIES), id: idParam }),
  query: noQuery,
  responses: { 200: { description: 'Entries', schema: z.object({ entries: z.array(HistoryEntry) }) } },
  errors: [400, 401, 403],
});

const filters = {
  entity: enumList(AUDIT_ENTITIES).optional(),
  user: text(60).optional().meta({ description: 'A user name, exactly' }),
  from: isoDate.optional().meta({ description: 'From this day (inclusive)' }),
  to: isoDate.optional().meta({ description: 'To this day (inclusive)' }),
};

export const auditLog = defineContract({
  method: 'get',
  path: '/api/audit',
  summary: 'The whole audit log, filtered and paged (administrators)',
  description: 'Newest first. Entries cannot be changed or deleted.',
  tags: ['audit'],
  access: 'audit.read',
  query: z.strictObject({ ...filters, page: queryInt(1, 1_000_000).optional(), pageSize: queryInt(1, 500).optional().meta({ description: 'Default 100' }) }),
  responses: {
    200: {
      description: 'One page of entries and the number of all that match',
      schema: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), entries: z.array(HistoryEntry) }),
    },
  },
  errors: [400, 401, 403],
});

export const auditCsv = defineContract({
  method: 'get',
  path: '/api/audit.csv',
  summary: 'The audit log as CSV with Chinese headers, or English ones with lang=en (administrators)',
  description:
    "UTF-8 with a byte-order mark (for Excel), oldest first; times in the app's time zone (YYYY-MM-DD HH:mm), actions, records and fields named as in the app; cells that a spreadsheet would run as formulas are quoted.",
  tags: ['audit'],
  access: 'audit.read',
  query: z.strictObject({
    ...filters,
    lang: z.enum(['zh', 'en']).optional().meta({ description: 'Headers and names in English (en) or Chinese (zh, the default)' }),
  }),
  responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  errors: [400, 401, 403],
});
