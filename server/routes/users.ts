/** User administration (administrators only) and the roles-and-permissions table. */
import { Router } from 'express';
import { PERMISSIONS, ROLES } from '../../domain/permissions.ts';
import { createUser, updateUser } from '../accounts.ts';
import { requirePermission, requireSignIn } from '../auth/middleware.ts';
import type { Db } from '../db/types.ts';
import { allowOnlyParams, notFound, parseId } from '../lib/http.ts';

const USER_COLUMNS = 'id, username, display_name, role, zone_ids, active, created_at, version';

export function usersRouter(db: Db): Router {
  const router = Router();

  router.get('/permissions', requireSignIn, allowOnlyParams([]), (_req, res) => {
    res.json({
      roles: ROLES,
      permissions: Object.entries(PERMISSIONS).map(([key, p]) => ({ key, zh: p.zh, en: p.en, roles: p.roles })),
    });
  });

  router.get('/users', requirePermission('user.manage'), allowOnlyParams([]), async (_req, res) => {
    res.json({ users: await db.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`) });
  });

  router.post('/users', requirePermission('user.manage'), async (req, res) => {
    const created = await createUser(db, req.user!, req.body ?? {});
    const [user] = await db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [created.id]);
    res.status(201).json(user);
  });

  router.patch('/users/:id', requirePermission('user.manage'), async (req, res) => {
    const id = parseId(req.params.id, 'User');
    await updateUser(db, req.user!, id, req.body ?? {});
    const [user] = await db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    if (!user) throw notFound(`User ${id} does not exist.`);
    res.json(user);
  });

  return router;
}
