/**
 * Promoters' shortlists: a title, a note and chosen available parcels, shared with an investor through an
 * unguessable public link (/invest/list/TOKEN) that can be withdrawn (the link then answers 410).
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { recordAudit, snapshot } from '../audit.ts';
import type { Db } from '../db/types.ts';
import { can } from '../../domain/permissions.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/shortlists.ts';
import type { ResponseOf } from '../contract/define.ts';

type Shortlist = ResponseOf<typeof contract.listShortlists>['shortlists'][number];

export function shortlistsRouter(db: Db): Router {
  const router = Router();

  // A promoter's lists are their own (notes about investors, the links sent): others see them only with a role that says so.
  router.get(
    '/',
    ...route(contract.listShortlists, async (_input, req) => {
      const all = can(req.user!, 'shortlist.manageAll');
      const lists = await db.query<Shortlist>(
        `SELECT s.id, s.token, s.title, s.note, s.parcel_ids, s.created_at, s.withdrawn_at, u.display_name AS created_by
         FROM shortlists s LEFT JOIN users u ON u.id = s.created_by WHERE $1::boolean OR s.created_by = $2 ORDER BY s.id DESC`,
        [all, req.user!.id],
      );
      return { shortlists: lists };
    }),
  );

  router.post(
    '/',
    ...route(contract.createShortlist, async ({ body: { title, note, parcel_ids } }, req) => {
      const ids = [...new Set(parcel_ids)];
      const offered = await db.query<{ id: number }>("SELECT id FROM parcels WHERE id = ANY($1::int[]) AND status = 'available'", [ids]);
      const missing = ids.filter((i) => !offered.some((o) => o.id === i));
      if (missing.length) throw badRequest(`Only available parcels can be offered; not available: ${missing.join(', ')}.`);
      const token = randomBytes(18).toString('base64url');
      return db.transaction(async (tx) => {
        const [{ id }] = await tx.query<{ id: number }>(
          'INSERT INTO shortlists (token, title, note, parcel_ids, created_by) VALUES ($1, $2, $3, $4::int[], $5) RETURNING id',
          [token, title.trim(), note?.trim() || null, ids, req.user!.id],
        );
        const after = await snapshot(tx, 'shortlist', id);
        await recordAudit(tx, req.user!, { action: 'create', entity: 'shortlist', entityId: id, before: null, after });
        return { id, token, path: `/invest/list/${token}` };
      });
    }),
  );

  router.post(
    '/:id/withdraw',
    ...route(contract.withdrawShortlist, async ({ params: { id } }, req) => {
      await db.transaction(async (tx) => {
        const before = await snapshot(tx, 'shortlist', id);
        if (!before) throw notFound(`Shortlist ${id} does not exist.`);
        if (before.created_by !== req.user!.id && !can(req.user!, 'shortlist.manageAll')) {
          throw new HttpError(403, 'forbidden', 'Only its author or an administrator can withdraw this shortlist. 只有清单的创建人或管理员可以撤回。');
        }
        if (before.withdrawn_at) throw new HttpError(409, 'already_withdrawn', 'This shortlist is already withdrawn.');
        await tx.query('UPDATE shortlists SET withdrawn_at = now(), withdrawn_by = $2 WHERE id = $1', [id, req.user!.id]);
        await recordAudit(tx, req.user!, {
          action: 'update',
          entity: 'shortlist',
          entityId: id,
          before,
          after: await snapshot(tx, 'shortlist', id),
          note: 'withdrawn',
        });
      });
      return { ok: true as const };
    }),
  );

  return router;
}
