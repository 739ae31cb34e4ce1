/** Sessions: a random token in an httpOnly cookie, stored only as a SHA-256 hash, with a CSRF token. */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Role } from '../../domain/permissions.ts';
import type { Db } from '../db/types.ts';

export const SESSION_COOKIE = 'pa_session';
export const SESSION_HOURS = 12;

export interface SessionUser extends Actor {
  display_name: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: number): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`, [
    hashToken(token),
    userId,
    csrfToken,
    SESSION_HOURS,
  ]);
  // Old sessions go when new ones come: no job needed.
  await db.query('DELETE FROM sessions WHERE expires_at < now()');
  return { token, csrfToken };
}

export async function findSession(db: Db, token: string): Promise<{ user: SessionUser; csrfToken: string } | null> {
  const [row] = await db.query<{ id: number; username: string; display_name: string; role: Role; zone_ids: number[] | null; csrf_token: string }>(
    `SELECT u.id, u.username, u.display_name, u.role, u.zone_ids, s.csrf_token
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
    [hashToken(token)],
  );
  if (!row) return null;
  const { csrf_token, ...user } = row;
  return { user, csrfToken: csrf_token };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

export async function deleteSessionsOf(db: Db, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}
