/** /api/leads: 招商 leads for the roles that work them (never public; contacts only for lead.readContacts). */
import { Router } from 'express';
import { todayIso } from '../../domain/dates.ts';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import {
  addLeadContact,
  createLead,
  dropLead,
  leadDetail,
  leadFiguresFor,
  listLeads,
  matchLandForLead,
  signLead,
  updateLead,
  type LeadScope,
} from '../services/leads.ts';
import * as contract from '../contract/leads.ts';
import type { LeadStageKey } from '../../domain/leads.ts';

function scopeOf(query: { zone?: number[]; city?: string; stage?: string[]; promoter?: number; chain?: number }): LeadScope {
  return { zoneIds: query.zone, city: query.city, stage: query.stage as LeadStageKey[] | undefined, promoterId: query.promoter, chainId: query.chain };
}

export function leadsRouter(db: Db, onProjectCreated: () => void): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.listLeads, ({ query }, req) =>
      listLeads(db, req.user!, { ...scopeOf(query), open: query.open !== undefined, q: query.q }, query.limit ?? 100, query.offset ?? 0),
    ),
  );
  router.get('/figures', ...route(contract.leadFigures, ({ query }, req) => leadFiguresFor(db, req.user!, scopeOf(query), query.from, query.to, todayIso())));
  router.post('/', ...route(contract.createLead, ({ body }, req) => createLead(db, req.user!, body, todayIso())));
  router.get('/:id', ...route(contract.getLead, ({ params }, req) => leadDetail(db, req.user!, params.id)));
  router.patch('/:id', ...route(contract.updateLead, ({ params, body }, req) => updateLead(db, req.user!, params.id, body.version, body.changes, todayIso())));
  router.post('/:id/contacts', ...route(contract.addContact, ({ params, body }, req) => addLeadContact(db, req.user!, params.id, body, todayIso())));
  router.post('/:id/drop', ...route(contract.dropLead, ({ params, body }, req) => dropLead(db, req.user!, params.id, body, todayIso())));
  router.post(
    '/:id/sign',
    ...route(contract.signLead, async ({ params, body }, req) => {
      const signed = await signLead(db, req.user!, params.id, body, todayIso());
      // The new project is a pin on the map.
      onProjectCreated();
      return signed;
    }),
  );
  router.get('/:id/matches', ...route(contract.leadMatches, ({ params, query }, req) => matchLandForLead(db, req.user!, params.id, query.limit ?? 20)));
  return router;
}
