/**
 * The history: a record's own entries for anyone signed in, and the whole log, filtered, paged and exported
 * as CSV, for administrators. There is no route that changes or deletes an entry.
 */
import { Router } from 'express';
import { stringifyCsv } from '../lib/csvCells.ts';
import type { AuditEntity } from '../../domain/auditEntities.ts';
import { recordDiff } from '../../domain/recordDiff.ts';
import type { Db } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { can, type Permission } from '../../domain/permissions.ts';
import { whereBuilder } from '../lib/sqlBuilder.ts';
import { dateTimeInZone, todayIso } from '../../domain/dates.ts';
import { actionLabel, entityLabel, fieldLabel } from '../../domain/fieldLabels.ts';
import type { RouteInput } from '../contract/define.ts';
import * as contract from '../contract/audit.ts';

interface Row {
  id: number;
  at: string;
  username: string;
  action: string;
  entity: AuditEntity;
  entity_id: number | null;
  entity_version: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

/** Fields never shown from the log, even where older entries recorded them (shortlists' public tokens). */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['token', 'password_hash']);
/** An investor's contact, in a lead's history, only for the roles that may read it. */
const LEAD_CONTACT_FIELDS = ['contact_name', 'contact_phone'];

/** Entities whose history needs a permission beyond signing in: 招商 records are internal to those who work them. */
const HISTORY_PERMISSION: Readonly<Record<string, Permission>> = {
  lead: 'lead.read',
  promotion_event: 'lead.read',
  industry_chain: 'lead.read',
  tour: 'tour.read',
  tour_score: 'tour.read',
};

/** Entities whose history only administrators read: accounts, and promoters' shortlists. */
const ADMIN_ONLY_HISTORY: ReadonlySet<string> = new Set(['user', 'shortlist']);

/** The fields an entry changed, without the bulky geometry (marked as changed instead). */
function describe(row: Row, hidden: ReadonlySet<string> = HIDDEN_FIELDS) {
  const changes = recordDiff(row.before, row.after)
    .filter((c) => !hidden.has(c.field))
    .map((c) => (c.field === 'geometry' ? { field: 'geometry', before: c.before ? '(geometry)' : null, after: c.after ? '(geometry)' : null } : c));
  return {
    id: row.id,
    at: row.at,
    username: row.username,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    version: row.entity_version,
    note: row.note,
    changes,
  };
}

type Filters = RouteInput<typeof contract.auditCsv>['query'];

function filters(query: Filters) {
  const where = whereBuilder();
  if (query.entity) where.add('entity = ANY($?::text[])', query.entity);
  if (query.user) where.add('username = $?', query.user);
  if (query.from) where.add('at >= $?::date', query.from);
  // "to" is inclusive: up to the end of that day.
  if (query.to) where.add("at < $?::date + interval '1 day'", query.to);
  return where.build();
}

export function auditRouter(db: Db): Router {
  const router = Router();

  router.get(
    '/history/:entity/:id',
    ...route(contract.history, async ({ params: { entity, id } }, req) => {
      if (ADMIN_ONLY_HISTORY.has(entity) && !can(req.user!, 'audit.read')) {
        throw new HttpError(
          403,
          'forbidden',
          `Only administrators read the history of ${entity === 'user' ? 'accounts' : 'shortlists'}. 仅管理员可查看${entity === 'user' ? '账号' : '推介清单'}的历史记录。`,
        );
      }
      const needed = HISTORY_PERMISSION[entity];
      if (needed && !can(req.user!, needed))
        throw new HttpError(403, 'forbidden', 'Your role does not allow reading this history. 您的角色无权查看此记录的历史。');
      const hidden = entity === 'lead' && !can(req.user!, 'lead.readContacts') ? new Set([...HIDDEN_FIELDS, ...LEAD_CONTACT_FIELDS]) : HIDDEN_FIELDS;
      const rows = await db.query<Row>(
        `SELECT id, at, username, action, entity, entity_id, entity_version, before, after, note FROM audit_log
         WHERE entity = $1 AND entity_id = $2 AND action NOT IN ('login', 'logout') ORDER BY id DESC LIMIT 200`,
        [entity, id],
      );
      return { entries: rows.map((row) => describe(row, hidden)) };
    }),
  );

  router.get(
    '/audit',
    ...route(contract.auditLog, async ({ query }) => {
      const { text, values } = filters(query);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 100;
      const [{ total }] = await db.query<{ total: number }>(`SELECT count(*) AS total FROM audit_log WHERE ${text}`, values);
      const rows = await db.query<Row>(
        `SELECT id, at, username, action, entity, entity_id, entity_version, before, after, note FROM audit_log WHERE ${text}
         ORDER BY id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, pageSize, (page - 1) * pageSize],
      );
      return { total, page, pageSize, entries: rows.map((row) => describe(row)) };
    }),
  );

  router.get(
    '/audit.csv',
    ...route(contract.auditCsv, async ({ query }, _req, res) => {
      const { text, values } = filters(query);
      const rows = await db.query<Row>(
        `SELECT id, at, username, action, entity, entity_id, entity_version, before, after, note FROM audit_log WHERE ${text} ORDER BY id`,
        values,
      );
      const lang = query.lang ?? 'zh';
      const records = rows.map((r) => {
        const d = describe(r);
        return [
          d.id,
          dateTimeInZone(d.at),
          d.username,
          actionLabel(d.action, lang),
          entityLabel(d.entity, lang),
          d.entity_id ?? '',
          d.version ?? '',
          d.note ?? '',
          d.changes.map((c) => `${fieldLabel(c.field, lang, d.entity)}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join('\n'),
        ];
      });
      const columns =
        lang === 'en'
          ? ['No.', 'Time', 'User', 'Action', 'Record', 'Record id', 'Version', 'Note', 'Changes']
          : ['序号', '时间', '用户', '操作', '对象', '对象编号', '版本', '说明', '变更内容'];
      const csv = stringifyCsv(records, { header: true, columns });
      res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="audit-log-${todayIso()}.csv"` });
      // A byte-order mark so that Excel reads the Chinese headers as UTF-8.
      res.send(`\uFEFF${csv}`);
    }),
  );

  return router;
}
