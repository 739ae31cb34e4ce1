/** Sign in and out, who am I, change my password. Sign-in attempts are throttled per user name and per address. */
import { Router } from 'express';
import { permissionsOf } from '../../domain/permissions.ts';
import { changeOwnPassword } from '../accounts.ts';
import { recordAudit } from '../audit.ts';
import { requireSignIn, unauthorized } from '../auth/middleware.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { SESSION_COOKIE, SESSION_HOURS, createSession, deleteSession } from '../auth/sessions.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';

export const THROTTLE = { windowMinutes: 15, perUsername: 5, perAddress: 30 };

export function authRouter(db: Db, options: { secureCookies: boolean }): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const { username, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username.length > 60 || password.length > 200) {
      throw badRequest('Give a username and a password.');
    }
    const name = username.trim().toLowerCase();
    const ip = req.ip ?? 'unknown';
    const [counts] = await db.query<{ by_name: number; by_ip: number; oldest: string | null }>(
      `SELECT count(*) FILTER (WHERE username = $1) AS by_name, count(*) FILTER (WHERE ip = $2) AS by_ip,
              min(at) FILTER (WHERE username = $1) AS oldest
       FROM login_attempts WHERE NOT succeeded AND at > now() - make_interval(mins => $3)`,
      [name, ip, THROTTLE.windowMinutes],
    );
    if (counts.by_name >= THROTTLE.perUsername || counts.by_ip >= THROTTLE.perAddress) {
      const retryAfter = counts.oldest ? Math.max(1, Math.ceil((Date.parse(counts.oldest) + THROTTLE.windowMinutes * 60_000 - Date.now()) / 1000)) : THROTTLE.windowMinutes * 60;
      res.set('Retry-After', String(retryAfter));
      throw new HttpError(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minutes.`);
    }
    const [user] = await db.query<{ id: number; username: string; password_hash: string; active: boolean }>(
      'SELECT id, username, password_hash, active FROM users WHERE username = $1',
      [name],
    );
    const ok = await verifyPassword(password, user?.active ? user.password_hash : null);
    await db.query('INSERT INTO login_attempts (username, ip, succeeded) VALUES ($1, $2, $3)', [name, ip, ok]);
    // One message for a wrong name and a wrong password: it does not tell which accounts exist.
    if (!ok || !user) throw new HttpError(401, 'bad_credentials', 'Wrong username or password.');
    const { token, csrfToken } = await createSession(db, user.id);
    await recordAudit(db, user, { action: 'login', entity: 'user', entityId: user.id, before: null, after: null });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies || req.secure,
      maxAge: SESSION_HOURS * 3600_000,
      path: '/',
    });
    res.json({ ok: true, csrfToken });
  });

  router.post('/logout', async (req, res) => {
    if (req.sessionToken) {
      await deleteSession(db, req.sessionToken);
      if (req.user) await recordAudit(db, req.user, { action: 'logout', entity: 'user', entityId: req.user.id, before: null, after: null });
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  router.get('/me', (req, res) => {
    if (!req.user) throw unauthorized();
    res.set('Cache-Control', 'no-store');
    res.json({ user: req.user, permissions: permissionsOf(req.user.role), csrfToken: req.csrfToken });
  });

  router.post('/password', requireSignIn, async (req, res) => {
    const { currentPassword, newPassword } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof currentPassword !== 'string' || typeof newPassword !== 'string') throw badRequest('Give currentPassword and newPassword.');
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [req.user!.id]);
    if (!(await verifyPassword(currentPassword, row?.password_hash ?? null))) throw new HttpError(403, 'bad_credentials', 'The current password is wrong.');
    await changeOwnPassword(db, req.user!, newPassword);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true, message: 'Password changed: please sign in again.' });
  });

  return router;
}
