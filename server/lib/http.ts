/**
 * Request validation and errors. Every bad input becomes an HttpError with a message a person can act on;
 * the error handler turns it into JSON and never sends a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);

/** A positive integer id from a path parameter. */
export function parseId(value: unknown, what: string): number {
  const s = String(value ?? '');
  if (!/^\d{1,9}$/.test(s) || Number(s) === 0) throw badRequest(`${what} id must be a positive whole number, got "${s.slice(0, 40)}".`);
  return Number(s);
}

/** An optional query parameter that must be a single string. */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`Parameter "${name}" must be given once, as text.`);
  return v;
}

/** A bounding box "minLon,minLat,maxLon,maxLat" in WGS84 degrees. */
export type Bbox = [number, number, number, number];
export function parseBbox(value: string, maxSpanDegrees = 10): Bbox {
  const parts = value.split(',');
  if (parts.length !== 4 || parts.some((p) => p.trim() === '' || !Number.isFinite(Number(p)))) {
    throw badRequest(`bbox must be four numbers "minLon,minLat,maxLon,maxLat", got "${value.slice(0, 80)}".`);
  }
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as Bbox;
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw badRequest('bbox is outside the world: longitudes must be within -180..180 and latitudes within -90..90 (longitude first).');
  }
  if (minLon >= maxLon || minLat >= maxLat) throw badRequest('bbox minimums must be smaller than its maximums (minLon,minLat,maxLon,maxLat).');
  if (maxLon - minLon > maxSpanDegrees || maxLat - minLat > maxSpanDegrees) {
    throw badRequest(`bbox spans more than ${maxSpanDegrees}° : zoom in, or use the vector tiles for large areas.`);
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** A comma-separated list whose items must all be among `allowed`. */
export function parseEnumList<T extends string>(value: string, name: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wrong = items.filter((i) => !(allowed as readonly string[]).includes(i));
  if (items.length === 0 || wrong.length > 0) {
    throw badRequest(`Unknown ${name} "${wrong.join(',') || value}". Allowed: ${allowed.join(', ')}.`);
  }
  return items as T[];
}

/** An integer within a range. */
export function parseIntInRange(value: string, name: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(value)) throw badRequest(`${name} must be a whole number, got "${value.slice(0, 40)}".`);
  const n = Number(value);
  if (n < min || n > max) throw badRequest(`${name} must be between ${min} and ${max}, got ${n}.`);
  return n;
}

/** Refuses query parameters a route does not know: a typo should not silently return everything. */
export function allowOnlyParams(names: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const unknown = Object.keys(req.query).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      next(badRequest(`Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}. Allowed: ${names.join(', ') || 'none'}.`));
    } else next();
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No such API route: ${req.method} ${req.baseUrl}${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    return;
  }
  // Body-parser and similar errors carry a status; anything else is ours and is logged, not shown.
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (err?.type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'bad_request', message: `The request body is not valid JSON (${String(err.message)}).` } });
    return;
  }
  // One structured line with the request id (the answer carries the same id), never the stack in the answer.
  if (status === 500) {
    if (req.log) req.log.error({ err }, 'unhandled error');
    else console.error(err);
  }
  res.status(status).json({
    error: {
      code: status === 500 ? 'internal_error' : 'bad_request',
      message: status === 500 ? 'Something went wrong on the server; the error has been logged.' : String(err?.message ?? 'Bad request'),
    },
  });
};
