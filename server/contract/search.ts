/** One search box for zones (name, code), parcels (code) and projects (name). */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { queryInt, requiredText } from './common.ts';

export const SearchResult = z
  .object({
    type: z.enum(['zone', 'parcel', 'project']),
    id: z.number().int(),
    label: z.string().meta({ description: "The zone's name, the parcel's code or the project's name" }),
    detail: z.string().meta({ description: "The zone's city, or the parcel's or project's zone" }),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  })
  .meta({ id: 'SearchResult' });

export const search = defineContract({
  method: 'get',
  path: '/api/search',
  summary: 'Find zones (name, code), parcels (code) and projects (name)',
  description: 'Case-insensitive, anywhere in the text ("%" and "_" are searched for literally); exact and prefix matches first.',
  tags: ['search'],
  access: 'signedIn',
  query: z.strictObject({
    q: requiredText(100).meta({ description: 'A zone name or code, a parcel code or a project name', example: 'ZGQ' }),
    limit: queryInt(1, 50).optional().meta({ description: 'Results per kind (default 8)' }),
  }),
  responses: {
    200: { description: 'Zones, then parcels, then projects', schema: z.object({ query: z.string(), results: z.array(SearchResult) }) },
  },
  errors: [400, 401],
});
