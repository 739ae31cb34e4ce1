/**
 * The server's habits on every request: a request id, one structured log line, the request id in every JSON
 * error, security headers (Content-Security-Policy and friends, through helmet), and which database a
 * request reads from when there is a read replica.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Basemap } from '../config.ts';
import { readFromReplica } from '../db/replica.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      /** The app's logger with this request's id: server errors are logged through it. */
      log?: Logger;
    }
  }
}

/** An incoming X-Request-Id is kept when it looks like an id (a proxy's, to follow a request through). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Path segments that are secrets (a shared shortlist's token): never written to the log. */
const SECRET_PATHS: [RegExp, string][] = [[/^(\/api\/public\/shortlists\/)[^/]+/, '$1:token']];

export function loggablePath(path: string): string {
  return SECRET_PATHS.reduce((p, [re, replacement]) => p.replace(re, replacement), path);
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('X-Request-Id');
    req.id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', req.id);
    req.log = logger.child({ reqId: req.id });
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      // The path only: query strings may carry search terms or tokens.
      logger[level](
        {
          reqId: req.id,
          method: req.method,
          path: loggablePath(req.originalUrl.split('?')[0]),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          userId: req.user?.id ?? null,
        },
        'request',
      );
    });
    next();
  };
}

/** Every JSON error answer carries the request id, whoever wrote it (routes, the error handler, the rate limiter). */
export const requestIdInErrors: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const error = (body as { error?: unknown } | null)?.error;
    if (error && typeof error === 'object' && !Array.isArray(error)) return json({ ...(body as object), error: { ...error, requestId: req.id } });
    return json(body);
  };
  next();
};

/** The origins the configured basemaps load from (天地图, a style URL, a tile URL), for the CSP. */
export function basemapOrigins(basemaps: Basemap[]): string[] {
  const origins = new Set<string>();
  for (const b of basemaps) {
    for (const url of [b.style, ...(b.tiles ?? [])]) {
      if (!url) continue;
      try {
        const u = new URL(url.replaceAll('{', '%7B').replaceAll('}', '%7D'));
        if (u.protocol === 'https:' || u.protocol === 'http:') origins.add(u.origin);
      } catch {
        // Not a URL: nothing to allow.
      }
    }
  }
  return [...origins];
}

/**
 * Security headers for pages and API. The CSP allows what the map needs: MapLibre's workers come from blob:
 * URLs, its sprites and tiles may be data:/blob: images, and the basemaps' hosts are fetched and drawn.
 */
export function securityHeaders(basemaps: Basemap[], options: { csp: boolean } = { csp: true }): RequestHandler {
  const external = basemapOrigins(basemaps);
  return helmet({
    contentSecurityPolicy: options.csp && {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Svelte and ECharts set style attributes; MapLibre injects its control styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...external],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...external],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    // 天地图 keys may be bound to the site's domain, which it checks in the Referer: send the origin across sites.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}

/**
 * With a read replica: GET and HEAD requests read from it, unless the same browser wrote something within
 * the last `seconds` (a cookie set on each write says until when), so that people see their own edits.
 * Writes, transactions and the session check before this middleware always use the primary.
 */
export const PRIMARY_COOKIE = 'pa_primary_until';
export function replicaRouting(seconds: number, secure: boolean): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const until = Number(req.cookies?.[PRIMARY_COOKIE]);
      if (Number.isFinite(until) && until > Date.now()) return next();
      return readFromReplica(() => next());
    }
    res.cookie(PRIMARY_COOKIE, String(Date.now() + seconds * 1000), {
      httpOnly: true,
      sameSite: 'lax',
      secure: secure || req.secure,
      maxAge: seconds * 1000,
      path: '/',
    });
    next();
  };
}
