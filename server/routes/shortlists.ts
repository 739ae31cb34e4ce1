/**
 * Promoters' shortlists: a title, a note and chosen available parcels, shared with an investor through an
 * unguessable public link (/invest/list/TOKEN) that can be withdrawn (the link then answers 410).
 */
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { recordAudit, snapshot, type Snapshot } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { can } from '../../domain/permissions.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/shortlists.ts';
import type { ResponseOf } from '../contract/define.ts';

type Shortlist = ResponseOf<typeof contract.listShortlists>['shortlists'][number];
type User = NonNullable<Request['user']>;

/**
 * The parcels a list may offer: available ones (400 names the others), and for a zone-limited account only
 * its zones' parcels (403). Answers the ids without repeats, in the order given.
 */
async function offerable(db: Db, user: User, parcelIds: number[]): Promise<number[]> {
  const ids = [...new Set(parcelIds)];
  const offered = await db.query<{ id: number; zone_id: number }>("SELECT id, zone_id FROM parcels WHERE id = ANY($1::int[]) AND status = 'available'", [ids]);
  const missing = ids.filter((i) => !offered.some((o) => o.id === i));
  if (missing.length)
    throw badRequest(
      `只有在供地块可以推介，以下地块不在供：${missing.join('、')}。 Only available parcels can be offered; not available: ${missing.join(', ')}.`,
    );
  const outside = offered.filter((o) => user.zone_ids !== null && !user.zone_ids.includes(o.zone_id)).map((o) => o.id);
  if (outside.length) {
    throw new HttpError(
      403,
      'forbidden',
      `只能推介本人负责的开发区的地块：${outside.join('、')}。 You may offer only the parcels of your zones: ${outside.join(', ')}.`,
    );
  }
  return ids;
}

/**
 * The author may (and, to withdraw, a role that manages every list): others get 403, a list that does not
 * exist 404. What goes on a list stays its author's choice, so only they extend it.
 */
function mayManage(user: User, list: Snapshot | null, id: number, action: 'withdraw' | 'extend'): asserts list is Snapshot {
  if (!list) throw notFound(`没有编号为 ${id} 的推介清单。 Shortlist ${id} does not exist.`);
  if (list.created_by === user.id || (action === 'withdraw' && can(user, 'shortlist.manageAll'))) return;
  throw new HttpError(
    403,
    'forbidden',
    action === 'withdraw'
      ? 'Only its author or an administrator can withdraw this shortlist. 只有清单的创建人或管理员可以撤回。'
      : 'Only its author can add parcels to this shortlist. 只有清单的创建人可以添加地块。',
  );
}

const WITHDRAWN = {
  withdraw: '该推介清单已撤回。 This shortlist is already withdrawn.',
  extend: '该推介清单已撤回，不能再添加地块。 This shortlist is withdrawn: parcels cannot be added.',
};

/**
 * One change to a list, in a transaction: only by whom mayManage lets, never to a withdrawn list (409), and
 * in the audit log when the change says it changed something.
 */
async function changeList(db: Db, user: User, id: number, action: 'withdraw' | 'extend', change: (tx: Queryable) => Promise<boolean>): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await snapshot(tx, 'shortlist', id);
    mayManage(user, before, id, action);
    if (before.withdrawn_at) throw new HttpError(409, 'already_withdrawn', WITHDRAWN[action]);
    if (!(await change(tx))) return;
    const after = await snapshot(tx, 'shortlist', id);
    await recordAudit(tx, user, {
      action: 'update',
      entity: 'shortlist',
      entityId: id,
      before,
      after,
      note: action === 'withdraw' ? 'withdrawn' : 'parcels added',
    });
  });
}

export function shortlistsRouter(db: Db): Router {
  const router = Router();

  // A promoter's lists are their own (notes about investors, the links sent): others see them only with a role that says so.
  router.get(
    '/',
    ...route(contract.listShortlists, async (_input, req) => {
      const all = can(req.user!, 'shortlist.manageAll');
      const lists = await db.query<Shortlist>(
        `SELECT s.id, s.token, s.title, s.note, s.parcel_ids, s.created_at, s.withdrawn_at, u.display_name AS created_by, s.contact_name, s.contact_phone,
           s.created_by IS NOT DISTINCT FROM $2 AS own
         FROM shortlists s LEFT JOIN users u ON u.id = s.created_by WHERE $1::boolean OR s.created_by = $2 ORDER BY s.id DESC`,
        [all, req.user!.id],
      );
      return { shortlists: lists };
    }),
  );

  router.post(
    '/',
    ...route(contract.createShortlist, async ({ body: { title, note, parcel_ids, contact_name, contact_phone } }, req) => {
      const ids = await offerable(db, req.user!, parcel_ids);
      const token = randomBytes(18).toString('base64url');
      return db.transaction(async (tx) => {
        const [{ id }] = await tx.query<{ id: number }>(
          `INSERT INTO shortlists (token, title, note, parcel_ids, created_by, contact_name, contact_phone)
           VALUES ($1, $2, $3, $4::int[], $5, $6, $7) RETURNING id`,
          [token, title.trim(), note?.trim() || null, ids, req.user!.id, contact_name?.trim() || null, contact_phone?.trim() || null],
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
      await changeList(db, req.user!, id, 'withdraw', async (tx) => {
        await tx.query('UPDATE shortlists SET withdrawn_at = now(), withdrawn_by = $2 WHERE id = $1', [id, req.user!.id]);
        return true;
      });
      return { ok: true as const };
    }),
  );

  // Extending a list keeps its link: the investor who has it sees the added parcels.
  router.post(
    '/:id/parcels',
    ...route(contract.extendShortlist, async ({ params: { id }, body: { parcel_ids } }, req) => {
      const ids = await offerable(db, req.user!, parcel_ids);
      let result = { token: '', added: 0, count: 0 };
      await changeList(db, req.user!, id, 'extend', async (tx) => {
        const [{ parcel_ids: current, token }] = await tx.query<{ parcel_ids: number[]; token: string }>(
          'SELECT parcel_ids, token FROM shortlists WHERE id = $1 FOR UPDATE',
          [id],
        );
        const added = ids.filter((p) => !current.includes(p));
        const all = [...current, ...added];
        if (all.length > 50) {
          throw badRequest(
            `一个清单最多 50 个地块（已有 ${current.length} 个，新增 ${added.length} 个）。 A shortlist holds at most 50 parcels (${current.length} on it, ${added.length} to add).`,
          );
        }
        if (added.length) await tx.query('UPDATE shortlists SET parcel_ids = $2::int[] WHERE id = $1', [id, all]);
        result = { token, added: added.length, count: all.length };
        return added.length > 0;
      });
      return { id, token: result.token, path: `/invest/list/${result.token}`, added: result.added, count: result.count };
    }),
  );

  return router;
}
