/** Signing in and out, who am I, changing my own password. */
import { z } from 'zod';
import { PERMISSIONS, ROLE_KEYS, type Permission, type Role } from '../../domain/permissions.ts';
import { defineContract } from './define.ts';
import { noQuery, text } from './common.ts';

export const role = z.enum(ROLE_KEYS as [Role, ...Role[]]);
export const permission = z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]]);

/** Any text but NUL, never empty (a password's strength rules are the accounts service's). */
const nonEmpty = (max: number) => text(max).refine((s) => s !== '', { message: 'must not be empty', params: { zh: '不能为空' } });
const password = nonEmpty(200);

export const login = defineContract({
  method: 'post',
  path: '/api/auth/login',
  summary: 'Sign in: sets an httpOnly session cookie and returns the CSRF token',
  description: 'Throttled per user name and address: too many failures answer 429 with Retry-After. A wrong name and a wrong password get the same 401.',
  tags: ['auth'],
  access: 'public',
  body: z.strictObject({ username: nonEmpty(60).meta({ example: 'planner' }), password }),
  responses: { 200: { description: 'Signed in', schema: z.object({ ok: z.literal(true), csrfToken: z.string() }) } },
  errors: [400, 401, 429],
});

export const logout = defineContract({
  method: 'post',
  path: '/api/auth/logout',
  summary: 'Sign out (ends the session)',
  tags: ['auth'],
  access: 'public',
  responses: { 200: { description: 'Signed out (also when there was no session)', schema: z.object({ ok: z.literal(true) }) } },
  errors: [400],
});

export const SessionUser = z
  .object({
    id: z.number().int(),
    username: z.string(),
    display_name: z.string(),
    role,
    zone_ids: z.array(z.number().int()).nullable().meta({ description: 'null: every zone' }),
  })
  .meta({ id: 'SessionUser' });

export const me = defineContract({
  method: 'get',
  path: '/api/auth/me',
  summary: 'The signed-in user, their permissions and the CSRF token',
  tags: ['auth'],
  access: 'signedIn',
  query: noQuery,
  responses: {
    200: { description: 'The session', schema: z.object({ user: SessionUser, permissions: z.array(permission), csrfToken: z.string() }) },
  },
  errors: [400, 401],
});

export const changePassword = defineContract({
  method: 'post',
  path: '/api/auth/password',
  summary: 'Change my password (ends my sessions)',
  description: 'The new password must be at least 10 characters and not the user name (the 400 says which rule).',
  tags: ['auth'],
  access: 'signedIn',
  body: z.strictObject({ currentPassword: password, newPassword: password }),
  responses: { 200: { description: 'Changed: sign in again', schema: z.object({ ok: z.literal(true), message: z.string() }) } },
  errors: [400, 401, 403],
});
