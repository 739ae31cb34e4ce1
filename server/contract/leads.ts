/** 招商: investment leads, their contact log, dropping and signing, the funnel figures, and land for a lead. */
import { z } from 'zod';
import { DROP_REASONS, DEFAULT_LEAD_SOURCES, LEAD_STAGE_KEYS } from '../../domain/leads.ts';
import { defineContract } from './define.ts';
import { uploadedFile } from './indicators.ts';
import { amount, enumList, idList, idParam, isoDate, queryInt, requiredText, text } from './common.ts';

const stage = z.enum(LEAD_STAGE_KEYS as unknown as [string, ...string[]]);
const source = z.enum(DEFAULT_LEAD_SOURCES.map((s) => s.key) as unknown as [string, ...string[]]);
const dropReason = z.enum(DROP_REASONS.map((r) => r.key) as unknown as [string, ...string[]]);
const date = z.string().nullable();

export const Lead = z
  .object({
    id: z.number().int(),
    zone_id: z.number().int(),
    zone_name: z.string(),
    city: z.string(),
    investor_name: z.string(),
    investor_credit_code: z.string().nullable(),
    investor_origin: z.string().nullable(),
    project_name: z.string(),
    industry: z.string().nullable(),
    chain_link_id: z.number().int().nullable(),
    chain_link_name: z.string().nullable(),
    chain_name: z.string().nullable(),
    planned_investment_wan: z.number().nullable(),
    land_need_min_mu: z.number().nullable(),
    land_need_max_mu: z.number().nullable(),
    floor_need_m2: z.number().nullable(),
    source,
    event_id: z.number().int().nullable(),
    promoter_id: z.number().int().nullable(),
    promoter_name: z.string().nullable(),
    leader: z.string().nullable(),
    contact_name: z.string().nullable().meta({ description: "null unless the role may read investors' contacts (lead.readContacts)" }),
    contact_phone: z.string().nullable(),
    stage,
    lead_date: z.string(),
    contact_date: date,
    visit_date: date,
    negotiation_date: date,
    intent_date: date,
    signed_date: date,
    next_follow_up: date,
    dropped_on: date,
    drop_reason: dropReason.nullable(),
    drop_note: z.string().nullable(),
    project_id: z.number().int().nullable(),
    version: z.number().int(),
    updated_at: z.string(),
  })
  .meta({ id: 'Lead' });

const Contact = z.object({
  id: z.number().int(),
  happened_on: z.string(),
  kind: z.enum(['visit', 'meeting', 'call', 'message', 'site_visit']),
  with_whom: z.string().nullable(),
  summary: z.string(),
  recorded_by_name: z.string(),
  recorded_at: z.string(),
});

export const LeadDetail = Lead.extend({ contacts: z.array(Contact) }).meta({ id: 'LeadDetail' });

const scopeQuery = {
  zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }),
  city: text(40).optional(),
  stage: enumList(LEAD_STAGE_KEYS as unknown as [string, ...string[]]).optional(),
  promoter: queryInt(1, 999_999_999).optional(),
  chain: queryInt(1, 999_999_999).optional(),
};

export const listLeads = defineContract({
  method: 'get',
  path: '/api/leads',
  summary: 'Investment leads (在谈项目库), filtered and paged; next follow-up first',
  tags: ['leads'],
  access: 'lead.read',
  query: z.strictObject({
    ...scopeQuery,
    open: z.enum(['1', 'true']).optional().meta({ description: 'Only leads neither signed nor dropped' }),
    q: text(60).optional(),
    limit: queryInt(1, 500).optional(),
    offset: queryInt(0, 1_000_000).optional(),
  }),
  responses: { 200: { description: 'A page of leads and the total', schema: z.object({ total: z.number().int(), leads: z.array(Lead) }) } },
  errors: [400, 401, 403],
});

export const getLead = defineContract({
  method: 'get',
  path: '/api/leads/{id}',
  summary: 'One lead with its contact log',
  tags: ['leads'],
  access: 'lead.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The lead', schema: LeadDetail } },
  errors: [400, 401, 403, 404],
});

const nullableText = (max: number) => text(max).nullable();
const leadFields = {
  investor_name: requiredText(120),
  investor_credit_code: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'must be an 18-character unified social credit code' })
    .nullable(),
  investor_origin: nullableText(60),
  project_name: requiredText(120),
  industry: nullableText(60),
  chain_link_id: z.number().int().min(1).max(999_999_999).nullable(),
  planned_investment_wan: amount(0, 1e8).nullable(),
  land_need_min_mu: amount(0, 1e6).nullable(),
  land_need_max_mu: amount(0, 1e6).nullable(),
  floor_need_m2: amount(0, 1e8).nullable(),
  source,
  event_id: z.number().int().min(1).max(999_999_999).nullable(),
  promoter_id: z.number().int().min(1).max(999_999_999).nullable(),
  leader: nullableText(60),
  contact_name: nullableText(60),
  contact_phone: nullableText(40),
  lead_date: isoDate,
  contact_date: isoDate.nullable(),
  visit_date: isoDate.nullable(),
  negotiation_date: isoDate.nullable(),
  intent_date: isoDate.nullable(),
  next_follow_up: isoDate.nullable(),
};

export const createLead = defineContract({
  method: 'post',
  path: '/api/leads',
  summary: 'Record a lead',
  description: 'The stage follows from the stage dates given (the furthest one); dates come in stage order and none after today.',
  tags: ['leads'],
  access: 'lead.edit',
  body: z
    .strictObject({
      zone_id: z.number().int().min(1).max(999_999_999),
      ...leadFields,
    })
    .partial({
      investor_credit_code: true,
      investor_origin: true,
      industry: true,
      chain_link_id: true,
      planned_investment_wan: true,
      land_need_min_mu: true,
      land_need_max_mu: true,
      floor_need_m2: true,
      event_id: true,
      promoter_id: true,
      leader: true,
      contact_name: true,
      contact_phone: true,
      contact_date: true,
      visit_date: true,
      negotiation_date: true,
      intent_date: true,
      next_follow_up: true,
    }),
  responses: { 201: { description: 'The new lead', schema: Lead } },
  errors: [400, 401, 403],
});

export const updateLead = defineContract({
  method: 'patch',
  path: '/api/leads/{id}',
  summary: 'Change a lead: its fields and stage dates',
  description: "A stale version answers 409 with the other user's changes; a signed lead is changed through its project.",
  tags: ['leads'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: z.number().int().min(1).max(1e9),
    changes: z.strictObject({ zone_id: z.number().int().min(1).max(999_999_999), ...leadFields }).partial(),
  }),
  responses: { 200: { description: 'The lead after the change', schema: Lead } },
  errors: [400, 401, 403, 404, 409],
});

export const addContact = defineContract({
  method: 'post',
  path: '/api/leads/{id}/contacts',
  summary: 'Log a contact (visit, meeting, call …) and optionally set the next follow-up',
  tags: ['leads'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    happened_on: isoDate,
    kind: z.enum(['visit', 'meeting', 'call', 'message', 'site_visit']),
    with_whom: nullableText(120).optional(),
    summary: requiredText(2000),
    next_follow_up: isoDate.nullable().optional(),
  }),
  responses: { 201: { description: 'The lead with its contact log', schema: LeadDetail } },
  errors: [400, 401, 403, 404],
});

export const dropLead = defineContract({
  method: 'post',
  path: '/api/leads/{id}/drop',
  summary: 'Drop a lead, with the reason (the funnel counts dropped leads by reason)',
  tags: ['leads'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), reason: dropReason, note: nullableText(500).optional(), dropped_on: isoDate }),
  responses: { 200: { description: 'The dropped lead', schema: Lead } },
  errors: [400, 401, 403, 404, 409],
});

export const signLead = defineContract({
  method: 'post',
  path: '/api/leads/{id}/sign',
  summary: '签约: the lead becomes a project (stage 签约) in one step, keeping the link both ways',
  tags: ['leads'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), signed_on: isoDate }),
  responses: { 200: { description: 'The signed lead with its new project id', schema: Lead.extend({ project_id: z.number().int() }) } },
  errors: [400, 401, 403, 404, 409],
});

const Money = { count: z.number().int(), investmentWan: z.number() };
export const LeadFigures = z
  .object({
    from: z.string(),
    to: z.string(),
    inNegotiation: z.object({ ...Money, atLeast10Yi: z.number().int(), atLeast1Yi: z.number().int(), ids: z.array(z.number().int()) }),
    signed: z.object({ ...Money, ids: z.array(z.number().int()) }),
    dropped: z.object({ count: z.number().int(), byReason: z.record(z.string(), z.number().int()), ids: z.array(z.number().int()) }),
    funnel: z.array(
      z.object({ key: stage, reached: z.number().int(), reachedInvestmentWan: z.number(), conversion: z.number().nullable(), ids: z.array(z.number().int()) }),
    ),
    medianDaysToSign: z.number().nullable(),
    overdueFollowUps: z.object({ count: z.number().int(), ids: z.array(z.number().int()) }),
    eventsHeld: z.number().int(),
    signedShareOfAll: z.number().nullable().meta({ description: "The scope's signed investment as a share of all leads signed in the period" }),
  })
  .meta({ id: 'LeadFigures' });

export const leadFigures = defineContract({
  method: 'get',
  path: '/api/leads/figures',
  summary: "The period's 招商 figures for a scope: 在谈, signed, dropped, the funnel, time to sign, overdue follow-ups, events held",
  description: 'Definitions in domain/leads.ts. Every figure lists the ids of the leads behind it.',
  tags: ['leads'],
  access: 'lead.read',
  query: z.strictObject({ ...scopeQuery, from: isoDate, to: isoDate }),
  responses: { 200: { description: 'The figures', schema: LeadFigures } },
  errors: [400, 401, 403],
});

const matchBase = z.object({
  id: z.number().int(),
  score: z.number(),
  reasons: z.array(z.object({ key: z.string(), ok: z.boolean(), zh: z.string(), en: z.string() })),
  zone_id: z.number().int(),
  zone_name: z.string(),
});

export const leadMatches = defineContract({
  method: 'get',
  path: '/api/leads/{id}/matches',
  summary: "Available parcels and standard factories with enough vacant floor area, ranked for the lead's needs, with a reason per criterion",
  tags: ['leads'],
  access: 'lead.read',
  params: z.strictObject({ id: idParam }),
  query: z.strictObject({ limit: queryInt(1, 100).optional() }),
  responses: {
    200: {
      description: 'The matches, best first',
      schema: z.object({
        lead_id: z.number().int(),
        matches: z.array(
          z.discriminatedUnion('kind', [
            matchBase.extend({ kind: z.literal('parcel'), code: z.string(), area_mu: z.number(), land_use_code: z.string() }),
            matchBase.extend({ kind: z.literal('factory'), name: z.string(), vacant_area_m2: z.number() }),
          ]),
        ),
      }),
    },
  },
  errors: [400, 401, 403, 404],
});

export const importLeads = defineContract({
  method: 'post',
  path: '/api/leads/import',
  summary: 'Import a lead list (在谈项目台账) from CSV or Excel sent as the body, all rows or none',
  description:
    'Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (.xlsx), at most 5 MB. Header in Chinese (投资方, 项目名称, 开发区, 线索日期, 阶段, 阶段日期, 计划投资（万元）or（亿元）, 产业, 招商方式, 用地需求（亩）, 下次跟进, 联系人, 联系电话 …; synonyms in domain/leadImport.ts); zone by name or code; dates as 2026-03-05, 2026/3/5, 2026.3.5 or Excel dates. Any bad row: 400 listing every bad row (details.rows), nothing written.',
  tags: ['leads'],
  access: 'lead.edit',
  query: z.strictObject({}),
  body: uploadedFile,
  bodyContentType: 'text/csv',
  responses: { 201: { description: 'The leads written', schema: z.object({ imported: z.number().int(), ids: z.array(z.number().int()) }) } },
  errors: [400, 401, 403, 413],
});

export const exportLeads = defineContract({
  method: 'get',
  path: '/api/leads/export',
  summary: "The period's 招商 figures and the lead list of a scope as an Excel workbook (internal)",
  description: 'File name 招商线索_<scope>_<date>.xlsx; sheets 指标 (the figures, the funnel) and 线索清单 (the leads, contacts only for lead.readContacts).',
  tags: ['leads'],
  access: 'lead.read',
  query: z.strictObject({ ...scopeQuery, from: isoDate, to: isoDate }),
  responses: {
    200: { description: 'The workbook (Content-Disposition: attachment)', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  },
  errors: [400, 401, 403],
});
