/** Extensions of a parcel's agreed start date (《闲置土地处置办法》 Art. 8). */
import { z } from 'zod';
import { EXTENSION_REASONS } from '../../domain/startExtensions.ts';
import { defineContract } from './define.ts';
import { idParam, noQuery, text } from './common.ts';

const reason = z.enum(EXTENSION_REASONS.map((r) => r.key) as [string, ...string[]]);

export const ParcelExtensions = z
  .object({
    parcel_id: z.number().int(),
    zone_id: z.number().int(),
    agreed_start_date: z.string().nullable(),
    effective_start_date: z.string().nullable(),
    extensions: z.array(
      z.object({
        id: z.number().int(),
        previous_start_date: z.string(),
        start_date: z.string(),
        signed_on: z.string(),
        reason,
        document_no: z.string(),
        note: z.string().nullable(),
        recorded_by: z.string(),
        recorded_at: z.string(),
      }),
    ),
  })
  .passthrough()
  .meta({ id: 'ParcelExtensions' });

export const listExtensions = defineContract({
  method: 'get',
  path: '/api/parcels/{id}/extensions',
  summary: "A parcel's extensions of its agreed start date, oldest first",
  description: 'Each extension gives the date it replaced and the one it set, the day the agreement was signed, the reason (Art. 8), the document number.',
  tags: ['parcels'],
  access: 'signedIn',
  params: z.strictObject({ id: idParam }),
  query: noQuery,
  responses: { 200: { description: 'The extensions', schema: ParcelExtensions } },
  errors: [400, 401, 404],
});

export const addExtension = defineContract({
  method: 'post',
  path: '/api/parcels/{id}/extensions',
  summary: 'Record an extension agreement',
  description:
    'reason is one of land_not_delivered, planning_change, policy_change, petitions, military_heritage, other_government (needs a note), force_majeure. Refused with the problems in both languages when the dates do not follow the rule.',
  tags: ['parcels'],
  access: 'parcel.editLandRecord',
  params: z.strictObject({ id: idParam }),
  // The fields' rules (dates in order, a reason from Art. 8, a one-line document number) are the domain's
  // (domain/startExtensions.ts), which answers every problem at once in both languages; here only their types.
  body: z
    .strictObject({
      start_date: text(20).meta({ example: '2026-12-01' }),
      signed_on: text(20),
      reason: text(40),
      document_no: text(200),
      note: text(2000).nullable(),
    })
    .partial(),
  responses: { 201: { description: "The parcel's extensions, as GET answers", schema: ParcelExtensions } },
  errors: [400, 401, 403, 404],
});
