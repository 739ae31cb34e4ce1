/** User administration (administrators only) and the roles-and-permissions table. */
import { Router } from 'express';
import { PERMISSIONS, ROLES, type Permission } from '../../domain/permissions.ts';
import { createUser, updateUser } from '../accounts.ts';
import type { Db } from '../db/types.ts';
import { notFound } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/users.ts';
import type { ResponseOf } from '../contract/define.ts';

type User = ResponseOf<typeof contract.listUsers>['users'][number];

const USER_COLUMNS = 'id, username, display_name, role, zone_ids, active, created_at, version';

export function usersRouter(db: Db): Router {
  const router = Router();

  router.get(
    '/permissions',
    ...route(contract.listPermissions, () => ({
      roles: ROLES.map((r) => ({ ...r })),
      permissions: (Object.entries(PERMISSIONS) as [Permission, (typeof PERMISSIONS)[Permission]][]).map(([key, p]) => ({
        key,
        zh: p.zh,
        en: p.en,
        roles: [...p.roles],
      })),
    })),
  );

  router.get('/users', ...route(contract.listUsers, async () => ({ users: await db.query<User>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`) })));

  router.post(
    '/users',
    ...route(contract.createUser, async ({ body }, req) => {
      const created = await createUser(db, req.user!, body);
      const [user] = await db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [created.id]);
      return user;
    }),
  );

  router.patch(
    '/users/:id',
    ...route(contract.updateUser, async ({ params: { id }, body }, req) => {
      await updateUser(db, req.user!, id, body);
      const [user] = await db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
      if (!user) throw notFound(`User ${id} does not exist.`);
      return user;
    }),
  );

  return router;
}
