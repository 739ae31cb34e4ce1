/** /api/transfers: 标准地 transfers, acceptance checks and their follow-up, figures against targets (internal). */
import express, { Router } from 'express';
import { todayIso } from '../../domain/dates.ts';
import { ACCEPTANCE_KINDS, FOLLOW_UP_STATUSES, isOverdue } from '../../domain/standardLand.ts';
import type { Db } from '../db/types.ts';
import { addSheet, newWorkbook, sendWorkbook } from '../lib/exports.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/transfers.ts';
import {
  addAcceptance,
  createTransfer,
  deleteTransfer,
  followUps,
  listTargets,
  listTransfers,
  saveTarget,
  transferFiguresFor,
  transferOfParcel,
  updateFollowUp,
  updateTransfer,
} from '../services/transfers.ts';
import { importTargets, importTransfers, readTable } from '../services/supplyImports.ts';
import { UPLOAD_TYPES } from './indicators.ts';

type Row = Record<string, unknown>;
const scopeOf = (q: { zone?: number[]; city?: string }) => ({ zoneIds: q.zone, city: q.city });
const contentType = (req: express.Request) => (req.get('Content-Type') ?? '').split(';')[0].trim();

export function transfersRouter(db: Db): Router {
  const router = Router();
  router.get(
    '/',
    ...route(contract.listTransfers, async ({ query }) => ({
      transfers: await listTransfers(db, { ...scopeOf(query), from: query.from, to: query.to, limit: query.limit }, todayIso()),
    })),
  );
  router.get(
    '/follow-ups',
    ...route(contract.followUps, async ({ query }) => ({ today: todayIso(), follow_ups: await followUps(db, scopeOf(query), todayIso()) })),
  );
  router.get('/figures', ...route(contract.transferFiguresContract, ({ query }) => transferFiguresFor(db, scopeOf(query), query.from, query.to)));
  router.get('/targets', ...route(contract.listTargets, async ({ query }) => ({ targets: await listTargets(db, query.year) })));
  router.put('/targets', ...route(contract.saveTarget, ({ body }, req) => saveTarget(db, req.user!, body)));
  router.post(
    '/targets/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importTargets, async ({ body, query }, req) =>
      importTargets(db, req.user!, await readTable(body, contentType(req)), query.dryRun === 'true'),
    ),
  );
  router.post(
    '/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importTransfers, async ({ body, query }, req) =>
      importTransfers(db, req.user!, await readTable(body, contentType(req)), todayIso(), query.dryRun === 'true'),
    ),
  );
  router.get(
    '/export.xlsx',
    ...route(contract.exportTransfers, async ({ query }, _req, res) => {
      const today = todayIso();
      const transfers = (await listTransfers(db, { ...scopeOf(query), from: query.from, to: query.to, limit: 5000 }, today)) as Row[];
      const book = newWorkbook();
      const last = (t: Row) => ((t.acceptances as Row[]).at(-1) ?? null) as Row | null;
      const kindZh = (k: unknown) => ACCEPTANCE_KINDS.find((x) => x.key === k)?.zh ?? '';
      const statusZh = (k: unknown) => FOLLOW_UP_STATUSES.find((x) => x.key === k)?.zh ?? '';
      addSheet(
        book,
        '标准地出让',
        [
          { header: '开发区', value: (t: Row) => t.zone_name as string, width: 22 },
          { header: '地块编号', value: (t) => t.parcel_code as string },
          { header: '出让日期', value: (t) => t.transferred_on as string },
          { header: '合同编号', value: (t) => t.contract_no as string, width: 18 },
          { header: '受让企业', value: (t) => t.enterprise_name as string, width: 26 },
          { header: '成交价（万元）', value: (t) => t.price_wan as number | null },
          { header: '面积（亩）', value: (t) => t.area_mu as number },
          { header: '最近验收', value: (t) => kindZh(last(t)?.kind) },
          { header: '验收日期', value: (t) => (last(t)?.accepted_on as string) ?? null },
          {
            header: '是否达标',
            value: (t) => (last(t) ? (last(t)!.overall_met === true ? '达标' : last(t)!.overall_met === false ? '未达标' : '待定') : null),
          },
          { header: '整改状态', value: (t) => (last(t) ? statusZh(last(t)!.follow_up_status) : null) },
        ],
        transfers,
      );
      const list = (await followUps(db, scopeOf(query), today)) as Row[];
      addSheet(
        book,
        '达产复核跟踪',
        [
          { header: '开发区', value: (a: Row) => a.zone_name as string, width: 22 },
          { header: '地块编号', value: (a) => a.parcel_code as string },
          { header: '受让企业', value: (a) => a.enterprise_name as string, width: 26 },
          { header: '验收类型', value: (a) => kindZh(a.kind) },
          { header: '验收日期', value: (a) => a.accepted_on as string },
          { header: '未达标指标', value: (a) => (a.missed as string[]).join('、'), width: 30 },
          { header: '违约责任', value: (a) => a.consequence as string | null, width: 30 },
          { header: '整改期限', value: (a) => a.correction_deadline as string | null },
          { header: '是否逾期', value: (a) => (isOverdue(a as never, today) ? '逾期' : '') },
        ],
        list,
      );
      await sendWorkbook(res, `standard-land-transfers-${today}`, book);
    }),
  );
  router.post('/', ...route(contract.createTransfer, ({ body }, req) => createTransfer(db, req.user!, body, todayIso())));
  router.patch(
    '/:id',
    ...route(contract.updateTransfer, ({ params, body }, req) => updateTransfer(db, req.user!, params.id, body.version, body.changes, todayIso())),
  );
  router.delete('/:id', ...route(contract.deleteTransfer, ({ params, query }, req) => deleteTransfer(db, req.user!, params.id, query.version)));
  router.post('/:id/acceptances', ...route(contract.addAcceptance, ({ params, body }, req) => addAcceptance(db, req.user!, params.id, body, todayIso())));
  return router;
}

/** /api/parcel-transfers/:id (a parcel's transfer) and /api/transfer-acceptances/:id (follow-up of a check). */
export function parcelTransfersRouter(db: Db): Router {
  const router = Router();
  router.get('/:id', ...route(contract.parcelTransfer, async ({ params }) => ({ transfer: await transferOfParcel(db, params.id, todayIso()) })));
  return router;
}

export function acceptancesRouter(db: Db): Router {
  const router = Router();
  router.patch(
    '/:id',
    ...route(contract.updateFollowUp, ({ params, body }, req) => updateFollowUp(db, req.user!, params.id, body.version, body.changes, todayIso())),
  );
  return router;
}
