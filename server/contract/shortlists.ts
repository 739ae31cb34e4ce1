/**
 * Promoters' shortlists of available parcels, shared with an investor through an unguessable public link
 * (/invest/list/TOKEN; the public side is in public.ts) that can be withdrawn.
 */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { Ok, idParam, noQuery, requiredText, text, timestamp } from './common.ts';

export const Shortlist = z
  .object({
    id: z.number().int(),
    token: z.string(),
    title: z.string(),
    note: z.string().nullable(),
    parcel_ids: z.array(z.number().int()),
    created_at: timestamp,
    withdrawn_at: timestamp.nullable(),
    created_by: z.string().nullable().meta({ description: "The author's display name (null if the account is gone)" }),
    contact_name: z.string().nullable(),
    contact_phone: z.string().nullable(),
    own: z.boolean().meta({ description: 'true for the asking account’s own lists (the ones it can extend)' }),
  })
  .meta({ id: 'Shortlist' });

/** The parcels of a list: ids of parcels on offer, 1 to 50 in all. */
const parcelIds = z.array(z.number().int().min(1).max(999999999)).min(1).max(50);

/** The contact the author publishes on the public page: a name and a phone number (both optional). */
const contact = {
  contact_name: text(80).nullable().optional().meta({ example: '王经理' }),
  contact_phone: text(40)
    .refine((s) => /^\+?[0-9][0-9 ()-]{5,30}$/.test(s), { message: 'must be a phone number', params: { zh: '应为电话号码' } })
    .nullable()
    .optional()
    .meta({ example: '0352-5101234' }),
};

/** The answer to a create or an extension: the list and its public path. */
const created = z.object({ id: z.number().int(), token: z.string(), path: z.string().meta({ example: '/invest/list/TOKEN' }) });

export const listShortlists = defineContract({
  method: 'get',
  path: '/api/shortlists',
  summary: 'Shortlists, newest first (promoters)',
  description: "A promoter sees their own lists; a role with shortlist.manageAll sees everyone's.",
  tags: ['shortlists'],
  access: 'catalogue.edit',
  query: noQuery,
  responses: { 200: { description: 'Shortlists', schema: z.object({ shortlists: z.array(Shortlist) }) } },
  errors: [400, 401, 403],
});

export const createShortlist = defineContract({
  method: 'post',
  path: '/api/shortlists',
  summary: 'Create a shortlist of available parcels for an investor; answers its public link',
  description: 'Only parcels on offer (status available) can be chosen; the 400 names the others.',
  tags: ['shortlists'],
  access: 'catalogue.edit',
  body: z.strictObject({
    title: requiredText(120).meta({ example: '新能源企业选址推荐' }),
    note: text(2000).nullable().optional(),
    parcel_ids: parcelIds,
    ...contact,
  }),
  responses: { 201: { description: 'The new shortlist and its public path', schema: created } },
  errors: [400, 401, 403],
});

export const extendShortlist = defineContract({
  method: 'post',
  path: '/api/shortlists/{id}/parcels',
  summary: 'Add parcels to one of my shortlists (its link stays the same)',
  description:
    'Only its author, an administrator included (403 otherwise; 404 for a list that does not exist); a withdrawn list answers 409. Parcels already on the list are skipped; only available parcels, 50 at most in all (400). A zone-limited account offers only its zones’ parcels (403).',
  tags: ['shortlists'],
  access: 'catalogue.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ parcel_ids: parcelIds }),
  responses: {
    200: {
      description: 'The list, its public path and how many parcels were added',
      schema: created.extend({ added: z.number().int(), count: z.number().int() }),
    },
  },
  errors: [400, 401, 403, 404, 409],
});

export const withdrawShortlist = defineContract({
  method: 'post',
  path: '/api/shortlists/{id}/withdraw',
  summary: 'Withdraw a shortlist: its link answers 410 from then on',
  description: 'Only its author or a role with shortlist.manageAll (403 otherwise); a second withdrawal answers 409.',
  tags: ['shortlists'],
  access: 'catalogue.edit',
  params: z.strictObject({ id: idParam }),
  responses: { 200: { description: 'Withdrawn', schema: Ok } },
  errors: [400, 401, 403, 404, 409],
});
