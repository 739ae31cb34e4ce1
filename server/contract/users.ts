/** User administration (administrators) and the roles-and-permissions table. */
import { z } from 'zod';
import { ROLES } from '../../domain/permissions.ts';
import { defineContract } from './define.ts';
import { idParam, noQuery, text, timestamp } from './common.ts';
import { SessionUser, permission, role } from './auth.ts';

export const User = SessionUser.extend({ active: z.boolean(), created_at: timestamp, version: z.number().int() }).meta({ id: 'User' });

export const listPermissions = defineContract({
  method: 'get',
  path: '/api/permissions',
  summary: 'Roles and what each may do (the one table the server enforces)',
  tags: ['users'],
  access: 'signedIn',
  query: noQuery,
  responses: {
    200: {
      description: 'Roles and permissions',
      schema: z.object({
        roles: z.array(z.object({ key: role, zh: z.string(), en: z.string() })).meta({ description: ROLES.map((r) => r.key).join(', ') }),
        permissions: z.array(z.object({ key: permission, zh: z.string(), en: z.string(), roles: z.array(role) })),
      }),
    },
  },
  errors: [400, 401],
});

export const listUsers = defineContract({
  method: 'get',
  path: '/api/users',
  summary: 'All users (administrators)',
  tags: ['users'],
  access: 'user.manage',
  query: noQuery,
  responses: { 200: { description: 'Users by id', schema: z.object({ users: z.array(User) }) } },
  errors: [400, 401, 403],
});

/** Zone ids as a user's scope: null is every zone; the accounts service checks that they exist. */
const zoneIds = z.array(z.number().int().min(1).max(999999999)).max(1000).nullable();

// The accounts service is the authority on a user name's form, a role's name and a password's strength
// (its 400s say which rule); the contract checks types, keys, NUL bytes and lengths.
export const createUser = defineContract({
  method: 'post',
  path: '/api/users',
  summary: 'Create a user (administrators)',
  description:
    'username: 3–40 lower-case letters, digits, ".", "-" or "_"; password: at least 10 characters; zone_ids null (or absent) = all zones. A taken name answers 409.',
  tags: ['users'],
  access: 'user.manage',
  body: z.strictObject({
    username: text(60),
    display_name: text(200).nullable().optional(),
    password: text(200),
    role: text(40),
    zone_ids: zoneIds.optional(),
  }),
  responses: { 201: { description: 'The new user', schema: User } },
  errors: [400, 401, 403, 409],
});

export const updateUser = defineContract({
  method: 'patch',
  path: '/api/users/{id}',
  summary: 'Change a user: display_name, role, zone_ids, active, password (administrators)',
  description:
    "A new role, a reset password or disabling ends the user's sessions. Nobody disables themselves or drops their own administrator role. With version, a stale version answers 409.",
  tags: ['users'],
  access: 'user.manage',
  params: z.strictObject({ id: idParam }),
  body: z
    .strictObject({
      version: z.number().int().min(0).max(1e9),
      display_name: text(200),
      role: text(40),
      zone_ids: zoneIds,
      active: z.boolean(),
      password: text(200),
    })
    .partial(),
  responses: { 200: { description: 'The user after the change', schema: User } },
  errors: [400, 401, 403, 404, 409],
});
