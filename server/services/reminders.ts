/**
 * Overdue reminders through a webhook: one text message per person with overdue items or problems, POSTed as
 * {"msgtype":"text","text":{"content":"…"}} — the shape 企业微信 and 钉钉 group robots accept. The target is a
 * setting (`reminder_webhook`, kept by administrators) or, when that is empty, REMINDER_WEBHOOK_URL; with neither,
 * nothing is sent. REMINDER_SEND_AT (HH:MM, China time) sends them once a day.
 */
import { todayIso } from '../../domain/dates.ts';
import { isItemOverdue, reminderText, type ItemFacts } from '../../domain/serviceItems.ts';
import type { Actor } from '../../domain/permissions.ts';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { itemDueOn } from '../../domain/serviceItems.ts';
import { loadSetting, saveSetting } from './settings.ts';

export const REMINDER_SETTING = 'reminder_webhook';

export async function reminderSettings(db: Queryable, env: NodeJS.ProcessEnv = process.env) {
  const { value, version } = await loadSetting<{ url: string | null }>(db, REMINDER_SETTING, { url: null });
  const fromEnv = !value.url && !!env.REMINDER_WEBHOOK_URL;
  return { url: value.url || env.REMINDER_WEBHOOK_URL || null, from_env: fromEnv, version };
}

export async function saveReminderSettings(db: Db, actor: Actor, url: string | null, version: number) {
  await saveSetting(db, actor, REMINDER_SETTING, { url }, version, { url: null }, 'The reminder webhook');
  return reminderSettings(db);
}

interface Person {
  key: string;
  name: string;
  items: { project: string; item: string; due_on: string }[];
  problems: { project: string; title: string; due_on: string }[];
}

/** Who has what overdue today: agents their items, assignees their problems (accounts or names on the contact list). */
export async function overdueByPerson(db: Queryable, today: string): Promise<Person[]> {
  const items = await db.query<ItemFacts & { project: string; name: string; person: string | null; user_id: number | null }>(
    `SELECT pi.id, pi.project_id, pi.state, s.limit_working_days, s.required_before_start, pi.committed, pi.agent_user_id,
       to_char(pi.accepted_on, 'YYYY-MM-DD') AS accepted_on, to_char(pi.started_on, 'YYYY-MM-DD') AS started_on, to_char(pi.done_on, 'YYYY-MM-DD') AS done_on,
       p.name AS project, s.name, coalesce(u.display_name, pi.agent_name) AS person, pi.agent_user_id AS user_id
     FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id JOIN projects p ON p.id = pi.project_id LEFT JOIN users u ON u.id = pi.agent_user_id
     WHERE pi.state IN ('accepted', 'in_progress') AND (pi.agent_user_id IS NOT NULL OR pi.agent_name IS NOT NULL)`,
  );
  const problems = await db.query<{ project: string; title: string; due_on: string; person: string | null; user_id: number | null }>(
    `SELECT p.name AS project, pr.title, to_char(pr.due_on, 'YYYY-MM-DD') AS due_on, coalesce(u.display_name, pr.assignee_name) AS person, pr.assignee_user_id AS user_id
     FROM project_problems pr JOIN projects p ON p.id = pr.project_id LEFT JOIN users u ON u.id = pr.assignee_user_id
     WHERE pr.status <> 'closed' AND pr.due_on < $1::date AND (pr.assignee_user_id IS NOT NULL OR pr.assignee_name IS NOT NULL)
     ORDER BY pr.due_on, pr.id`,
    [today],
  );
  const people = new Map<string, Person>();
  const personOf = (userId: number | null, name: string) => {
    const key = userId ? `u${userId}` : `n${name}`;
    if (!people.has(key)) people.set(key, { key, name, items: [], problems: [] });
    return people.get(key)!;
  };
  for (const i of items.filter((i) => isItemOverdue(i, today)).sort((a, b) => (itemDueOn(a) ?? '').localeCompare(itemDueOn(b) ?? '') || a.id - b.id))
    personOf(i.user_id, i.person!).items.push({ project: i.project, item: i.name, due_on: itemDueOn(i)! });
  for (const p of problems) personOf(p.user_id, p.person!).problems.push({ project: p.project, title: p.title, due_on: p.due_on });
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

export type Post = (url: string, body: string) => Promise<{ ok: boolean; status: number }>;

const defaultPost: Post = async (url, body) => {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer().catch(() => undefined);
  return { ok: res.ok, status: res.status };
};

/** Sends one message per person with something overdue; nothing when no webhook is set. Logged in the audit log. */
export async function sendReminders(db: Db, actor: Actor | null, today = todayIso(), post: Post = defaultPost) {
  const { url } = await reminderSettings(db);
  const people = await overdueByPerson(db, today);
  if (!url) return { sent: 0, failed: 0, people: people.length, configured: false };
  let sent = 0;
  let failed = 0;
  for (const p of people) {
    const body = JSON.stringify({ msgtype: 'text', text: { content: reminderText(p.name, p.items, p.problems) } });
    try {
      const res = await post(url, body);
      if (res.ok) sent++;
      else failed++;
    } catch {
      failed++;
    }
  }
  await db.transaction((tx) =>
    recordAudit(tx, actor, {
      action: 'remind',
      entity: 'setting',
      entityId: null,
      before: null,
      after: null,
      note: `${REMINDER_SETTING}: ${sent} sent, ${failed} failed, ${people.length} people (${today})`,
    }),
  );
  return { sent, failed, people: people.length, configured: true };
}

/**
 * REMINDER_SEND_AT=HH:MM (China time): once a day after that time, reminders go out; the day sent is kept in
 * the settings so that a restart does not send twice. Checked every minute.
 */
export function startReminderSchedule(db: Db, sendAt: string | undefined, log: (m: string) => void = console.log): { stop(): void } | null {
  if (!sendAt) return null;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(sendAt)) throw new Error(`REMINDER_SEND_AT must be HH:MM, got "${sendAt}"`);
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      const today = todayIso(now);
      const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
      if (hhmm < sendAt) return;
      const { value } = await loadSetting<{ day: string | null }>(db, 'reminder_last_sent', { day: null });
      if (value.day === today) return;
      await db.query(
        `INSERT INTO settings (key, value, version) VALUES ('reminder_last_sent', $1::jsonb, 1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = settings.version + 1, updated_at = now()`,
        [JSON.stringify({ day: today })],
      );
      const r = await sendReminders(db, null, today);
      log(`Reminders ${today}: ${r.sent} sent, ${r.failed} failed${r.configured ? '' : ' (no webhook set)'}`);
    } catch (err) {
      console.error(`Scheduled reminders failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), 60_000);
  timer.unref();
  void check();
  return { stop: () => clearInterval(timer) };
}
