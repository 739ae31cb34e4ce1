/**
 * A route's contract: its method and path, who may call it, its parameters, body and answers, as zod schemas.
 * The server validates requests with it (server/lib/route.ts), the OpenAPI document is generated from it
 * (server/contract/document.ts) and the client takes its types from it (z.output<…>).
 *
 * Why zod: the types follow from the schemas (no second copy to keep), v4 renders JSON Schema 2020-12 as
 * OpenAPI 3.1 wants (through zod-openapi), it has Chinese error texts built in, and it is the most widely kept
 * of the three the architecture allows; valibot is smaller but the server does not need that, and TypeBox's
 * types are less readable in the client.
 */
import type { z } from 'zod';
import type { Permission } from '../../domain/permissions.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** public: anyone; signedIn: any signed-in user; otherwise the permission the role must grant. */
export type Access = 'public' | 'signedIn' | Permission;

export interface ResponseSpec {
  description: string;
  /** The JSON answer's schema; omitted for files and tiles (then contentType says what comes). */
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

/** Error statuses a route can answer; each answers the one error shape. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 501 | 503;

export interface Contract {
  method: HttpMethod;
  /** The full path in OpenAPI form, e.g. /api/zones/{id}. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Body content type if not JSON (multipart uploads, raw files). */
  bodyContentType?: string;
  /** Success answers by status (200, 201, 204, 304 …). */
  responses: Record<number, ResponseSpec>;
  errors: ErrorStatus[];
}

/** Keeps the literal types of a contract (so that handlers and the client see the exact schemas). */
export function defineContract<const C extends Contract>(contract: C): C {
  return contract;
}

type OutputOf<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: parameters, query and body after validation. */
export interface RouteInput<C extends Contract> {
  params: OutputOf<C['params']>;
  query: OutputOf<C['query']>;
  body: OutputOf<C['body']>;
}

/** The JSON answer of a contract's status (for the client's types). */
export type ResponseOf<
  C extends Contract,
  S extends keyof C['responses'] = 200 extends keyof C['responses'] ? 200 : keyof C['responses'],
> = C['responses'][S] extends { schema: infer Z } ? (Z extends z.ZodType ? z.output<Z> : never) : never;

/** The body a client sends (before server-side transforms). */
export type BodyOf<C extends Contract> = C['body'] extends z.ZodType ? z.input<C['body']> : never;
