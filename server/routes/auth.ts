/** Sign in and out, who am I, change my password. Sign-in attempts are throttled (see auth/throttle.ts). */
import { Router } from 'express';
import { permissionsOf } from '../../domain/permissions.ts';
import { changeOwnPassword } from '../accounts.ts';
import { recordAudit } from '../audit.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { SESSION_COOKIE, SESSION_HOURS, createSession, deleteSession } from '../auth/sessions.ts';
import { beginSignInAttempt, markSignInSucceeded } from '../auth/throttle.ts';
import type { Db } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/auth.ts';

export function authRouter(db: Db, options: { secureCookies: boolean }): Router {
  const router = Router();

  router.post(
    '/login',
    ...route(contract.login, async ({ body: { username, password } }, req, res) => {
      const name = username.trim().toLowerCase();
      const ip = req.ip ?? 'unknown';
      const attempt = await beginSignInAttempt(db, ip, name);
      if ('waitSeconds' in attempt) {
        res.set('Retry-After', String(attempt.waitSeconds));
        const wait =
          attempt.waitSeconds < 120
            ? { zh: `${attempt.waitSeconds} 秒`, en: `${attempt.waitSeconds} seconds` }
            : { zh: `${Math.ceil(attempt.waitSeconds / 60)} 分钟`, en: `${Math.ceil(attempt.waitSeconds / 60)} minutes` };
        throw new HttpError(429, 'too_many_attempts', `登录失败次数过多，请 ${wait.zh}后再试。 Too many failed sign-ins from here: try again in ${wait.en}.`);
      }
      const [user] = await db.query<{ id: number; username: string; password_hash: string; active: boolean }>(
        'SELECT id, username, password_hash, active FROM users WHERE username = $1',
        [name],
      );
      const ok = await verifyPassword(password, user?.active ? user.password_hash : null);
      // One message for a wrong name and a wrong password: it does not tell which accounts exist.
      if (!ok || !user) throw new HttpError(401, 'bad_credentials', '用户名或密码错误。 Wrong username or password.');
      await markSignInSucceeded(db, attempt.attemptId);
      const { token, csrfToken } = await createSession(db, user.id);
      await recordAudit(db, user, { action: 'login', entity: 'user', entityId: user.id, before: null, after: null });
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies || req.secure,
        maxAge: SESSION_HOURS * 3600_000,
        path: '/',
      });
      return { ok: true as const, csrfToken };
    }),
  );

  router.post(
    '/logout',
    ...route(contract.logout, async (_input, req, res) => {
      if (req.sessionToken) {
        await deleteSession(db, req.sessionToken);
        if (req.user) await recordAudit(db, req.user, { action: 'logout', entity: 'user', entityId: req.user.id, before: null, after: null });
      }
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    }),
  );

  router.get(
    '/me',
    ...route(contract.me, (_input, req, res) => {
      res.set('Cache-Control', 'no-store');
      return { user: req.user!, permissions: permissionsOf(req.user!.role), csrfToken: req.csrfToken };
    }),
  );

  router.post(
    '/password',
    ...route(contract.changePassword, async ({ body: { currentPassword, newPassword } }, req, res) => {
      const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [req.user!.id]);
      if (!(await verifyPassword(currentPassword, row?.password_hash ?? null))) throw new HttpError(403, 'bad_credentials', 'The current password is wrong.');
      await changeOwnPassword(db, req.user!, newPassword);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const, message: 'Password changed: please sign in again.' };
    }),
  );

  return router;
}
