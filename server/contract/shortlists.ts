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
  })
  .meta({ id: 'Shortlist' });

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
    parcel_ids: z.array(z.number().int().min(1).max(999999999)).min(1).max(50),
  }),
  responses: {
    201: {
      description: 'The new shortlist and its public path',
      schema: z.object({ id: z.number().int(), token: z.string(), path: z.string().meta({ example: '/invest/list/TOKEN' }) }),
    },
  },
  errors: [400, 401, 403],
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
