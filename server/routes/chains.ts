/** /api/chains: 链长制 / 招商图谱 for the roles that work leads (never public). */
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import { chainMap, findMembers, listChains, placeOnLink, removeFromLink, updateChain } from '../services/chains.ts';
import * as contract from '../contract/chains.ts';

export function chainsRouter(db: Db): Router {
  const router = Router();
  router.get('/', ...route(contract.listChains, async (_input, req) => ({ chains: await listChains(db, req.user!) })));
  router.get(
    '/candidates',
    ...route(contract.findMembers, async ({ query }, req) => ({
      candidates: await findMembers(db, req.user!, query.kind, query.q, { city: query.city, zoneIds: query.zone }),
    })),
  );
  router.patch('/:id', ...route(contract.updateChain, ({ params, body }, req) => updateChain(db, req.user!, params.id, body.version, body.changes)));
  router.get(
    '/:id/map',
    ...route(contract.chainMap, ({ params, query }, req) => chainMap(db, req.user!, params.id, { city: query.city, zoneIds: query.zone })),
  );
  router.post('/links/:id/members', ...route(contract.placeOnLink, ({ params, body }, req) => placeOnLink(db, req.user!, params.id, body)));
  router.delete(
    '/links/:id/members/:kind/:memberId',
    ...route(contract.removeFromLink, ({ params }, req) => removeFromLink(db, req.user!, params.id, params.kind, params.memberId)),
  );
  return router;
}
