/** 招商活动: promotion events (推介会, 对接会, 外出招商), the leads they produced and the agreements signed there. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { idList, idParam, isoDate, requiredText, text } from './common.ts';

export const EVENT_KINDS = ['promotion', 'matchmaking', 'outbound', 'other'] as const;
const kind = z.enum(EVENT_KINDS);

export const PromotionEvent = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind,
    held_on: z.string(),
    place: z.string().nullable(),
    organiser: z.string().nullable(),
    zone_id: z.number().int().nullable(),
    zone_name: z.string().nullable(),
    city: z.string().nullable(),
    agreements_signed: z.number().int().meta({ description: 'Agreements signed at the event, as reported' }),
    note: z.string().nullable(),
    leads: z.number().int().meta({ description: 'Leads the event produced (that the caller may see)' }),
    signed_leads: z.number().int().meta({ description: 'Of them, signed' }),
    version: z.number().int(),
  })
  .meta({ id: 'PromotionEvent' });

const EventLead = z.object({
  id: z.number().int(),
  investor_name: z.string(),
  project_name: z.string(),
  stage: z.string(),
  zone_name: z.string(),
  planned_investment_wan: z.number().nullable(),
  signed_date: z.string().nullable(),
});

export const listEvents = defineContract({
  method: 'get',
  path: '/api/events',
  summary: 'Promotion events (招商活动) held in a period and scope, newest first',
  description: 'The same scope rule as the figures\' "events held": an event counts for its zone, and for its city.',
  tags: ['leads'],
  access: 'lead.read',
  query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), zone: idList.optional(), city: text(40).optional() }),
  responses: { 200: { description: 'The events', schema: z.object({ events: z.array(PromotionEvent) }) } },
  errors: [400, 401, 403],
});

export const getEvent = defineContract({
  method: 'get',
  path: '/api/events/{id}',
  summary: 'One event with the leads it produced (and which of them signed)',
  tags: ['leads'],
  access: 'lead.read',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'The event', schema: PromotionEvent.extend({ lead_list: z.array(EventLead) }).meta({ id: 'PromotionEventDetail' }) } },
  errors: [400, 401, 403, 404],
});

const eventFields = {
  name: requiredText(120),
  kind,
  held_on: isoDate,
  place: text(120).nullable(),
  organiser: text(120).nullable(),
  zone_id: z.number().int().min(1).max(999_999_999).nullable(),
  city: text(40).nullable(),
  agreements_signed: z.number().int().min(0).max(10_000),
  note: text(1000).nullable(),
};

export const createEvent = defineContract({
  method: 'post',
  path: '/api/events',
  summary: 'Record a promotion event',
  tags: ['leads'],
  access: 'lead.edit',
  body: z.strictObject(eventFields).partial({ place: true, organiser: true, zone_id: true, city: true, agreements_signed: true, note: true }),
  responses: { 201: { description: 'The new event', schema: PromotionEvent } },
  errors: [400, 401, 403],
});

export const updateEvent = defineContract({
  method: 'patch',
  path: '/api/events/{id}',
  summary: 'Change a promotion event',
  description: "A stale version answers 409 with the other user's changes.",
  tags: ['leads'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(1).max(1e9), changes: z.strictObject(eventFields).partial() }),
  responses: { 200: { description: 'The event after the change', schema: PromotionEvent } },
  errors: [400, 401, 403, 404, 409],
});
