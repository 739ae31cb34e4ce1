/**
 * Users: creation with checks, changes by administrators, the demo accounts of the embedded demo, and the
 * first administrator from the environment (ADMIN_USERNAME / ADMIN_PASSWORD) on a new database.
 */
import { isRole, type Actor, type Role } from '../domain/permissions.ts';
import { recordAudit, snapshot, type Snapshot } from './audit.ts';
import { checkPasswordStrength, hashPassword } from './auth/passwords.ts';
import { deleteSessionsOf } from './auth/sessions.ts';
import type { Db } from './db/types.ts';
import { HttpError, badRequest, notFound } from './lib/http.ts';

export interface NewUser {
  username: unknown;
  display_name?: unknown;
  password: unknown;
  role: unknown;
  zone_ids?: unknown;
}

const USERNAME_RE = /^[a-z0-9_.-]{3,40}$/;

async function checkZoneIds(db: Db, value: unknown): Promise<number[] | null> {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => Number.isInteger(v) && v > 0)) {
    throw badRequest('"zone_ids" must be null (all zones) or a non-empty list of zone ids.');
  }
  const known = await db.query<{ id: number }>('SELECT id FROM zones WHERE id = ANY($1::int[])', [value]);
  const missing = (value as number[]).filter((v) => !known.some((k) => k.id === v));
  if (missing.length) throw badRequest(`Unknown zone ${missing.join(', ')}.`);
  return value as number[];
}

export async function createUser(db: Db, actor: Actor | null, input: NewUser): Promise<Snapshot> {
  if (typeof input.username !== 'string' || !USERNAME_RE.test(input.username)) {
    throw badRequest('A username is 3–40 lower-case letters, digits, ".", "-" or "_".');
  }
  if (!isRole(input.role)) throw badRequest('Unknown role. Roles: admin, planner, promoter, land_bureau, viewer, agent.');
  const weak = checkPasswordStrength(input.password, input.username);
  if (weak) throw badRequest(weak);
  const displayName = typeof input.display_name === 'string' && input.display_name.trim() ? input.display_name.trim().slice(0, 80) : input.username;
  const zoneIds = await checkZoneIds(db, input.zone_ids);
  const hash = await hashPassword(input.password as string);
  return db.transaction(async (tx) => {
    let id: number;
    try {
      [{ id }] = await tx.query<{ id: number }>(
        'INSERT INTO users (username, display_name, password_hash, role, zone_ids) VALUES ($1, $2, $3, $4, $5::int[]) RETURNING id',
        [input.username, displayName, hash, input.role, zoneIds],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new HttpError(409, 'duplicate', `The username "${input.username}" is taken.`);
      throw err;
    }
    const after = (await snapshot(tx, 'user', id))!;
    await recordAudit(tx, actor, { action: 'create', entity: 'user', entityId: id, before: null, after });
    return after;
  });
}

export async function updateUser(db: Db, actor: Actor, id: number, input: Record<string, unknown>): Promise<Snapshot> {
  const allowed = ['version', 'display_name', 'role', 'zone_ids', 'active', 'password'];
  const unknown = Object.keys(input).filter((k) => !allowed.includes(k));
  if (unknown.length) throw badRequest(`Unknown field ${unknown.join(', ')}.`);
  if (input.role !== undefined && !isRole(input.role)) throw badRequest('Unknown role.');
  if (input.active !== undefined && typeof input.active !== 'boolean') throw badRequest('"active" is true or false.');
  if (input.password !== undefined) {
    const [named] = await db.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [id]);
    const weak = checkPasswordStrength(input.password, named?.username);
    if (weak) throw badRequest(weak);
  }
  if (id === actor.id && (input.active === false || (input.role !== undefined && input.role !== 'admin'))) {
    throw badRequest('You cannot disable yourself or take away your own administrator role.');
  }
  const zoneIds = input.zone_ids === undefined ? undefined : await checkZoneIds(db, input.zone_ids);
  const hash = typeof input.password === 'string' ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const current = await snapshot(tx, 'user', id);
    if (!current) throw notFound(`User ${id} does not exist.`);
    if (input.version !== undefined && input.version !== current.version) {
      throw new HttpError(409, 'conflict', 'This user was changed by someone else meanwhile; reload and try again.');
    }
    await tx.query(
      `UPDATE users SET
         display_name = COALESCE($2, display_name), role = COALESCE($3, role), active = COALESCE($4, active),
         zone_ids = CASE WHEN $5 THEN $6::int[] ELSE zone_ids END, password_hash = COALESCE($7, password_hash),
         version = version + 1
       WHERE id = $1`,
      [
        id,
        typeof input.display_name === 'string' ? input.display_name.slice(0, 80) : null,
        input.role ?? null,
        input.active ?? null,
        zoneIds !== undefined,
        zoneIds ?? null,
        hash ?? null,
      ],
    );
    // A disabled account, a new role or a reset password ends the user's open sessions.
    if (input.active === false || input.role !== undefined || hash) await tx.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    const after = (await snapshot(tx, 'user', id))!;
    await recordAudit(tx, actor, { action: 'update', entity: 'user', entityId: id, before: current, after, note: hash ? 'password reset' : undefined });
    return after;
  });
}

export async function changeOwnPassword(db: Db, user: Actor, newPassword: string): Promise<void> {
  const weak = checkPasswordStrength(newPassword, user.username);
  if (weak) throw badRequest(weak);
  const hash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, version = version + 1 WHERE id = $1', [user.id, hash]);
    await recordAudit(tx, user, { action: 'update', entity: 'user', entityId: user.id, before: null, after: null, note: 'changed own password' });
  });
  await deleteSessionsOf(db, user.id);
}

/** The demo's accounts, one per role plus a zone committee's planner; the README lists them. */
export const DEMO_ACCOUNTS: { username: string; display_name: string; role: Role; password: string; zoneCode?: string }[] = [
  { username: 'admin', display_name: '系统管理员', role: 'admin', password: 'demo-admin-2026' },
  { username: 'planner', display_name: '规划科', role: 'planner', password: 'demo-planner-2026' },
  { username: 'promoter', display_name: '招商局', role: 'promoter', password: 'demo-promoter-2026' },
  { username: 'landbureau', display_name: '自然资源局', role: 'land_bureau', password: 'demo-land-2026' },
  { username: 'viewer', display_name: '只读用户', role: 'viewer', password: 'demo-viewer-2026' },
  { username: 'datong', display_name: '大同经开区管委会', role: 'planner', password: 'demo-datong-2026', zoneCode: 'SX-DTJK' },
  // 代办员: updates the items of the 大同 projects it handles (data/serviceDemo.ts names it).
  { username: 'daiban', display_name: '代办服务中心代办员', role: 'agent', password: 'demo-agent-2026', zoneCode: 'SX-DTJK' },
];

export async function seedDemoAccounts(db: Db): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    const zoneIds = a.zoneCode ? (await db.query<{ id: number }>('SELECT id FROM zones WHERE code = $1', [a.zoneCode])).map((z) => z.id) : null;
    await createUser(db, null, { ...a, zone_ids: zoneIds && zoneIds.length ? zoneIds : null });
  }
  await linkDemoPeople(db);
}

/**
 * The demo's 前期手续 name the demo accounts' people (the agent, the 大同 committee as 项目长) by display name: once
 * the accounts exist, those names become links to them, so that their to-do lists and the agent's rights work;
 * the demo leads get the promoter account.
 */
async function linkDemoPeople(db: Db): Promise<void> {
  await db.query(`UPDATE project_people pp SET user_id = u.id, name = NULL FROM users u WHERE pp.user_id IS NULL AND pp.name = u.display_name`);
  await db.query(
    `UPDATE project_service_items pi SET agent_user_id = u.id, agent_name = NULL FROM users u WHERE pi.agent_user_id IS NULL AND pi.agent_name = u.display_name`,
  );
  await db.query(
    `UPDATE project_problems pr SET assignee_user_id = u.id, assignee_name = NULL FROM users u WHERE pr.assignee_user_id IS NULL AND pr.assignee_name = u.display_name`,
  );
  // The demo's 招商 leads are worked by its one promoter account (招商局), so the promoter column and filter show someone.
  await db.query(`UPDATE leads l SET promoter_id = u.id FROM users u WHERE l.promoter_id IS NULL AND u.username = 'promoter'`);
}

export async function userCount(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM users');
  return row.n;
}

/** On a database without users, ADMIN_USERNAME and ADMIN_PASSWORD create the first administrator. */
export async function ensureAdminFromEnv(db: Db, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<void> {
  if ((await userCount(db)) > 0) return;
  if (env.ADMIN_USERNAME && env.ADMIN_PASSWORD) {
    await createUser(db, null, { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD, role: 'admin', display_name: 'Administrator' });
    log(`Created the administrator "${env.ADMIN_USERNAME}" from ADMIN_USERNAME / ADMIN_PASSWORD.`);
  } else {
    log('No users yet: create an administrator with `npm run user -- add --username NAME --role admin`, or set ADMIN_USERNAME and ADMIN_PASSWORD.');
  }
}
