/**
 * `route(contract, handler)`: the one way a route is written. It checks the caller's permission, validates the
 * path parameters, query and body against the contract (a 400 with every problem, in English and Chinese,
 * before the handler runs), and hands the handler typed values.
 *
 * With CONTRACT_CHECK_RESPONSES=1 (the tests) every JSON answer is also checked against the contract's schema
 * for its status: an answer that drifts from its contract becomes a 500 naming the differences, so the whole
 * API test suite, on both databases, checks the contract.
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { Contract, RouteInput } from '../contract/define.ts';
import { requirePermission, requireSignIn } from '../auth/middleware.ts';
import { HttpError } from './http.ts';

export interface FieldProblem {
  field: string;
  message: string;
  message_zh: string;
}

const zhLocale = zhCN();

function chineseMessage(issue: z.core.$ZodIssue): string {
  const custom = (issue as { params?: { zh?: string } }).params?.zh;
  if (custom) return custom;
  if (issue.code === 'unrecognized_keys') return `不支持的参数：${issue.keys.join('、')}`;
  const made = zhLocale.localeError(issue as never);
  return typeof made === 'string' ? made : (made?.message ?? issue.message);
}

/** The object schema at a path inside a schema (through optional, nullable, default and pipes), to name its keys. */
function objectAt(schema: z.ZodType, path: PropertyKey[]): z.ZodObject | null {
  let current: unknown = schema;
  const unwrap = () => {
    for (;;) {
      if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap();
      else if (current instanceof z.ZodPipe) current = current.in;
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    if (!(current instanceof z.ZodObject)) return null;
    current = current.shape[String(key)];
    unwrap();
  }
  return current instanceof z.ZodObject ? current : null;
}

function problemsOf(error: z.ZodError, where: 'path' | 'query' | 'body', schema: z.ZodType): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : where;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const at = objectAt(schema, issue.path);
      const allowed = at ? Object.keys(at.shape) : [];
      const noun = where === 'body' ? 'field' : 'parameter';
      message = `unknown ${noun}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ') || 'none'}`;
    }
    return { field, message, message_zh: chineseMessage(issue) };
  });
}

/** Validates one part of the request; throws the one 400 shape with all its problems. */
function parsePart<S extends z.ZodType>(schema: S, value: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const fields = problemsOf(result.error, where, schema);
  const label = where === 'body' ? 'The request body' : where === 'query' ? 'The query' : 'The path';
  throw new HttpError(400, 'bad_request', `${label} is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.`, {
    fields,
    message_zh: fields.map((f) => `${f.field}：${f.message_zh}`).join('；'),
  });
}

const checkResponses = process.env.CONTRACT_CHECK_RESPONSES === '1';

/** In test runs: every JSON answer must match its contract, or the caller gets a 500 naming the drift. */
function checkJsonAnswers(contract: Contract, res: Response): void {
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    const spec = contract.responses[res.statusCode];
    if (res.statusCode < 400 && spec?.schema) {
      // Checked as it goes on the wire (dates become text).
      const result = spec.schema.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
      if (!result.success) {
        res.status(500);
        return send({
          error: {
            code: 'contract_violation',
            message: `The answer of ${contract.method.toUpperCase()} ${contract.path} (${res.statusCode}) does not match its contract: ${result.error.issues
              .slice(0, 8)
              .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
              .join('; ')}`,
          },
        });
      }
    } else if (res.statusCode < 400 && !spec) {
      res.status(500);
      return send({
        error: {
          code: 'contract_violation',
          message: `${contract.method.toUpperCase()} ${contract.path} answered ${res.statusCode}, which its contract does not list.`,
        },
      });
    }
    return send(body);
  };
}

function accessCheck(contract: Contract): RequestHandler[] {
  if (contract.access === 'public') return [];
  if (contract.access === 'signedIn') return [requireSignIn];
  return [requirePermission(contract.access)];
}

/**
 * The handlers for one route. The handler may answer itself (files, tiles, redirects) or return the JSON
 * answer, which is sent with the contract's first success status.
 */
export function route<C extends Contract>(
  contract: C,
  handler: (input: RouteInput<C>, req: Request, res: Response) => Promise<unknown> | unknown,
): RequestHandler[] {
  const successStatus = Number(Object.keys(contract.responses)[0]);
  const run: RequestHandler = async (req: Request, res: Response) => {
    if (checkResponses) checkJsonAnswers(contract, res);
    const input = {
      params: contract.params ? parsePart(contract.params, req.params, 'path') : undefined,
      query: contract.query ? parsePart(contract.query, req.query, 'query') : undefined,
      body: contract.body ? parsePart(contract.body, req.body ?? {}, 'body') : undefined,
    } as RouteInput<C>;
    if (!contract.query && Object.keys(req.query).length > 0) {
      parsePart(z.strictObject({}), req.query, 'query');
    }
    const answer = await handler(input, req, res);
    // undefined: the handler answers itself (files and tiles may still be streaming when it returns).
    if (answer !== undefined && !res.headersSent) res.status(successStatus).json(answer);
  };
  return [...accessCheck(contract), run];
}
