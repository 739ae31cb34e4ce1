/** 链长制 / 招商图谱: industry chains, their links, the firms and projects placed on them, and a chain's map for a scope. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { idList, idParam, requiredText, text } from './common.ts';

const position = z.enum(['upstream', 'midstream', 'downstream']);
const status = z.enum(['missing', 'weak', 'present']);
const memberKind = z.enum(['enterprise', 'project', 'lead']);
const lonLat = z.tuple([z.number(), z.number()]).nullable().meta({ description: '[longitude, latitude], WGS84; null when it has no place on the map' });

const LinkSummary = z.object({
  id: z.number().int(),
  position,
  name: z.string(),
  sort_order: z.number().int(),
  firms: z.number().int(),
  projects: z.number().int(),
  leads: z.number().int(),
});

export const Chain = z
  .object({
    id: z.number().int(),
    key: z.string(),
    name: z.string(),
    name_en: z.string().nullable(),
    leader: z.string().nullable().meta({ description: '链长: the name of the official who answers for the chain' }),
    leader_post: z.string().nullable().meta({ description: "链长's post (职务), e.g. 分管副省长" }),
    version: z.number().int(),
    owners: z.array(z.object({ enterprise_id: z.number().int(), name: z.string(), link_id: z.number().int() })).meta({ description: '链主 firms' }),
    links: z.array(LinkSummary),
  })
  .meta({ id: 'Chain' });

export const listChains = defineContract({
  method: 'get',
  path: '/api/chains',
  summary: 'Industry chains (链长制) with their links, leader and chain-owner firms (链主), with counts of what is placed on each link',
  tags: ['chains'],
  access: 'lead.read',
  query: z.strictObject({}),
  responses: { 200: { description: 'The chains', schema: z.object({ chains: z.array(Chain) }) } },
  errors: [400, 401, 403],
});

export const updateChain = defineContract({
  method: 'patch',
  path: '/api/chains/{id}',
  summary: "Change a chain's leader (链长: name and post) or names",
  description: "The chains are the province's: an account limited to some zones may not change them (403).",
  tags: ['chains'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    version: z.number().int().min(1).max(1e9),
    changes: z.strictObject({ name: requiredText(40), name_en: text(80).nullable(), leader: text(60).nullable(), leader_post: text(60).nullable() }).partial(),
  }),
  responses: { 200: { description: 'The chain after the change', schema: Chain } },
  errors: [400, 401, 403, 404, 409],
});

export const placeOnLink = defineContract({
  method: 'post',
  path: '/api/chains/links/{id}/members',
  summary: 'Place an enterprise (optionally as 链主), a project or a lead on a chain link',
  description: 'A project or a lead sits on one link: placing it moves it. An enterprise may sit on several links.',
  tags: ['chains'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({
    kind: memberKind,
    member_id: z.number().int().min(1).max(999_999_999),
    chain_owner: z.boolean().optional().meta({ description: 'Enterprises only: a chain-owner firm (链主)' }),
  }),
  responses: { 200: { description: 'The chain with the new counts', schema: Chain } },
  errors: [400, 401, 403, 404],
});

export const removeFromLink = defineContract({
  method: 'delete',
  path: '/api/chains/links/{id}/members/{kind}/{memberId}',
  summary: 'Take an enterprise, project or lead off a chain link',
  tags: ['chains'],
  access: 'lead.edit',
  params: z.strictObject({ id: idParam, kind: memberKind, memberId: idParam }),
  responses: { 200: { description: 'The chain with the new counts', schema: Chain } },
  errors: [400, 401, 403, 404],
});

export const findMembers = defineContract({
  method: 'get',
  path: '/api/chains/candidates',
  summary: 'Find enterprises, projects or leads by name to place on a chain link',
  description:
    "Case-insensitive, anywhere in the name (a lead: its investor or project name); at most 20, those of the city or zones first asked. A zone-limited account finds only what it may place: its zones' firms, projects and leads.",
  tags: ['chains'],
  access: 'lead.edit',
  query: z.strictObject({
    kind: memberKind,
    q: requiredText(60),
    city: text(40).optional(),
    zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }),
  }),
  responses: {
    200: {
      description: 'What matches, best first',
      schema: z.object({
        candidates: z.array(
          z.object({
            id: z.number().int(),
            name: z.string().meta({ description: "The enterprise's or project's name; a lead's project name" }),
            detail: z.string().nullable().meta({ description: "A lead's investor" }),
            zone_name: z.string().nullable(),
            city: z.string().nullable(),
            placed: z.array(z.string()).meta({ description: 'The links it sits on now, as "chain · link"' }),
          }),
        ),
      }),
    },
  },
  errors: [400, 401, 403],
});

const Firm = z.object({
  id: z.number().int(),
  name: z.string(),
  chain_owner: z.boolean(),
  zone_id: z.number().int().nullable(),
  zone_name: z.string().nullable(),
  at: lonLat,
});
const MapProject = z.object({
  id: z.number().int(),
  name: z.string(),
  stage: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  total_investment_wan: z.number().nullable(),
  at: lonLat,
});
const MapLead = z.object({
  id: z.number().int(),
  investor_name: z.string(),
  project_name: z.string(),
  stage: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  planned_investment_wan: z.number().nullable(),
  open: z.boolean().meta({ description: 'Neither signed nor dropped' }),
  at: lonLat.meta({ description: "The lead's zone (a lead has no site yet)" }),
});
const SuitableParcel = z.object({
  id: z.number().int(),
  code: z.string(),
  zone_id: z.number().int(),
  zone_name: z.string(),
  area_mu: z.number(),
  score: z.number(),
  reasons: z.array(z.object({ key: z.string(), ok: z.boolean(), zh: z.string(), en: z.string() })),
  at: lonLat,
});

export const ChainMap = z
  .object({
    chain: Chain,
    scope: z.object({ city: z.string().nullable(), zone_ids: z.array(z.number().int()).nullable() }),
    links: z.array(
      LinkSummary.omit({ firms: true, projects: true, leads: true }).extend({
        status,
        firms: z.array(Firm),
        projects: z.array(MapProject),
        leads: z.array(MapLead),
        filling_leads: z.array(z.number().int()).meta({ description: 'Open leads of the scope that would fill the link when it is missing or weak' }),
        parcels: z.array(SuitableParcel).meta({ description: "Available parcels of the scope that suit the link's chain, best first (at most 5)" }),
      }),
    ),
  })
  .meta({ id: 'ChainMap' });

export const chainMap = defineContract({
  method: 'get',
  path: '/api/chains/{id}/map',
  summary: 'A chain in a scope: per link its firms, projects and leads with their places, whether it is missing or weak, and land that suits it',
  description: 'Missing: no enterprise and no project of the scope on the link; weak: fewer than 3 together and no 链主 (domain/chains.ts).',
  tags: ['chains'],
  access: 'lead.read',
  params: z.strictObject({ id: idParam }),
  query: z.strictObject({ city: text(40).optional(), zone: idList.optional().meta({ description: 'Zone ids, comma-separated' }) }),
  responses: { 200: { description: 'The chain map', schema: ChainMap } },
  errors: [400, 401, 403, 404],
});
