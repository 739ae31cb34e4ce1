/** /api/service (前期手续, 包联, 问题清单, figures, reminders) and /api/todo: internal, never public. */
import express, { Router } from 'express';
import { todayIso } from '../../domain/dates.ts';
import type { Db } from '../db/types.ts';
import { route } from '../lib/route.ts';
import { newWorkbook, sendWorkbook } from '../lib/exports.ts';
import * as contract from '../contract/service.ts';
import {
  addPerson,
  addProjectItems,
  createCatalogueItem,
  deleteCatalogueItem,
  figuresFor,
  figuresWorkbook,
  importCatalogue,
  importProjectItems,
  listAccounts,
  listCatalogue,
  projectService,
  removePerson,
  removeProjectItem,
  todoFor,
  updateCatalogueItem,
  updateProjectItem,
  workbookTable,
  type TableRow,
} from '../services/serviceItems.ts';
import { answerProblem, closeProblem, escalateProblem, listProblems, problemDetail, raiseProblem } from '../services/problems.ts';
import { reminderSettings, saveReminderSettings, sendReminders } from '../services/reminders.ts';
import { UPLOAD_TYPES, XLSX_TYPE, csvTable } from './indicators.ts';

/** An uploaded body as a table: Excel (by type or its zip signature) or CSV. */
async function uploadTable(body: Uint8Array, type: string | undefined): Promise<TableRow[]> {
  const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const t = (type ?? '').split(';')[0].trim();
  const isXlsx = t === XLSX_TYPE || (t === 'application/octet-stream' && file.subarray(0, 2).toString() === 'PK');
  return isXlsx ? workbookTable(file) : csvTable(file).map((r) => ({ line: r.line, cells: r.cells.map((c) => c.trim()) }));
}

export function serviceRouter(db: Db): Router {
  const router = Router();
  const today = () => todayIso();

  router.get('/catalogue', ...route(contract.listCatalogue, () => listCatalogue(db)));
  router.post('/catalogue', ...route(contract.createCatalogueItem, ({ body }, req) => createCatalogueItem(db, req.user!, body)));
  router.post(
    '/catalogue/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importCatalogue, async ({ body }, req) => importCatalogue(db, req.user!, await uploadTable(body, req.get('Content-Type')))),
  );
  router.patch(
    '/catalogue/:id',
    ...route(contract.updateCatalogueItem, ({ params, body }, req) => updateCatalogueItem(db, req.user!, params.id, body.version, body.changes)),
  );
  router.delete('/catalogue/:id', ...route(contract.deleteCatalogueItem, ({ params }, req) => deleteCatalogueItem(db, req.user!, params.id)));

  router.get('/accounts', ...route(contract.listAccounts, () => listAccounts(db)));

  router.get('/projects/:id', ...route(contract.projectService, ({ params }, req) => projectService(db, req.user!, params.id, today())));
  router.post('/projects/:id/items', ...route(contract.addProjectItems, ({ params, body }, req) => addProjectItems(db, req.user!, params.id, body, today())));
  router.post(
    '/projects/:id/items/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importProjectItems, async ({ params, body }, req) =>
      importProjectItems(db, req.user!, params.id, await uploadTable(body, req.get('Content-Type')), today()),
    ),
  );
  router.post('/projects/:id/people', ...route(contract.addPerson, ({ params, body }, req) => addPerson(db, req.user!, params.id, body, today())));
  router.delete('/people/:id', ...route(contract.removePerson, ({ params }, req) => removePerson(db, req.user!, params.id)));
  router.patch(
    '/items/:id',
    ...route(contract.updateProjectItem, ({ params, body }, req) => updateProjectItem(db, req.user!, params.id, body.version, body.changes, today())),
  );
  router.delete('/items/:id', ...route(contract.removeProjectItem, ({ params }, req) => removeProjectItem(db, req.user!, params.id)));

  router.get(
    '/problems',
    ...route(contract.listProblems, ({ query }) =>
      listProblems(
        db,
        {
          zoneIds: query.zone,
          city: query.city,
          kind: query.kind,
          status: query.status,
          level: query.level,
          overdue: query.overdue !== undefined,
          person: query.person,
          project: query.project,
        },
        query.limit ?? 100,
        query.offset ?? 0,
        today(),
      ),
    ),
  );
  router.post('/problems', ...route(contract.raiseProblem, ({ body }, req) => raiseProblem(db, req.user!, body, today())));
  router.get('/problems/:id', ...route(contract.getProblem, ({ params }) => problemDetail(db, params.id, today())));
  router.post(
    '/problems/:id/answer',
    ...route(contract.answerProblem, ({ params, body }, req) => answerProblem(db, req.user!, params.id, body as never, today())),
  );
  router.post(
    '/problems/:id/close',
    ...route(contract.closeProblem, ({ params, body }, req) => closeProblem(db, req.user!, params.id, body as never, today())),
  );
  router.post(
    '/problems/:id/escalate',
    ...route(contract.escalateProblem, ({ params, body }, req) => escalateProblem(db, req.user!, params.id, body as never, today())),
  );

  router.get('/figures', ...route(contract.figures, ({ query }) => figuresFor(db, { zoneIds: query.zone, city: query.city }, query.from, query.to, today())));
  router.get(
    '/figures.xlsx',
    ...route(contract.figuresExport, async ({ query }, _req, res) => {
      const book = newWorkbook();
      await figuresWorkbook(db, { zoneIds: query.zone, city: query.city }, query.from, query.to, today(), book);
      await sendWorkbook(res, `service-figures-${query.from}-${query.to}`, book);
      return undefined;
    }),
  );

  router.get('/reminders/settings', ...route(contract.getReminderSettings, () => reminderSettings(db)));
  router.put('/reminders/settings', ...route(contract.saveReminderSettings, ({ body }, req) => saveReminderSettings(db, req.user!, body.url, body.version)));
  router.post('/reminders/send', ...route(contract.sendReminders, (_input, req) => sendReminders(db, req.user!, today())));
  return router;
}

export function todoRouter(db: Db): Router {
  const router = Router();
  router.get('/', ...route(contract.todo, (_input, req) => todoFor(db, req.user!, todayIso())));
  return router;
}
