/**
 * Who is asking, and may they: the session from the cookie, sign-in and permission checks, and CSRF
 * protection on every write (a token from the session in the X-CSRF-Token header, plus a same-origin check).
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { can, type Permission } from '../../domain/permissions.ts';
import type { Db } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { SESSION_COOKIE, findSession, type SessionUser } from './sessions.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SessionUser;
      csrfToken?: string;
      sessionToken?: string;
    }
  }
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'Please sign in.');
export const forbidden = (message = 'Your role does not allow this.') => new HttpError(403, 'forbidden', message);

export function authenticate(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && token.length > 0 && token.length < 200) {
      const session = await findSession(db, token);
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
        req.sessionToken = token;
      }
    }
    next();
  };
}

export const requireSignIn: RequestHandler = (req, _res, next) => {
  next(req.user ? undefined : unauthorized());
};

/** The role must grant the permission; zone checks happen where the record's zone is known. */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(unauthorized());
    next(can(req.user, permission) ? undefined : forbidden());
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Refuses cross-site writes: a browser always sends Origin on cross-site POST/PATCH/DELETE, and a forged
 * request cannot read the session's CSRF token to put it in the header.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get('Origin');
  if (origin) {
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== req.get('Host')) return next(forbidden('Cross-site request refused.'));
  }
  if (!req.user) return next(); // the route itself answers 401 (or is the sign-in route)
  const header = req.get('X-CSRF-Token');
  if (!header || !req.csrfToken || !sameToken(header, req.csrfToken)) {
    return next(forbidden('Missing or wrong CSRF token: reload the page and try again.'));
  }
  next();
};
