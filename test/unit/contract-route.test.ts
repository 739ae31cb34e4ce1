/**
 * route(contract, handler): requests are validated against the contract before the handler runs, with every
 * problem in English and Chinese, and the hostile inputs that once reached the database (NUL bytes, 1e308,
 * __proto__ keys) are refused with a 400.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { amount, idParam, isoDate, queryInt, text } from '../../server/contract/common.ts';
import { defineContract } from '../../server/contract/define.ts';
import { errorHandler } from '../../server/lib/http.ts';
import { route } from '../../server/lib/route.ts';

const readThing = defineContract({
  method: 'get',
  path: '/api/things/{id}',
  summary: 'A thing',
  tags: ['test'],
  access: 'public',
  params: z.strictObject({ id: idParam }),
  query: z.strictObject({ city: text(40).optional(), limit: queryInt(1, 100).optional(), asOf: isoDate.optional() }),
  responses: { 200: { description: 'The thing', schema: z.object({ id: z.number(), city: z.string().nullable(), limit: z.number() }) } },
  errors: [400],
});

const writeThing = defineContract({
  method: 'patch',
  path: '/api/things/{id}',
  summary: 'Change a thing',
  tags: ['test'],
  access: 'public',
  params: z.strictObject({ id: idParam }),
  body: z.strictObject({ version: z.number().int().min(0), changes: z.strictObject({ name: text(200), area: amount(0, 1e7) }).partial() }),
  responses: { 200: { description: 'Changed', schema: z.object({ id: z.number(), received: z.record(z.string(), z.unknown()) }) } },
  errors: [400],
});

let base = '';
let server: ReturnType<express.Express['listen']>;
const handled: unknown[] = [];

beforeAll(async () => {
  const app = express();
  app.set('query parser', 'simple');
  app.use(express.json());
  app.get('/api/things/:id', ...route(readThing, ({ params, query }) => ({ id: params.id, city: query.city ?? null, limit: query.limit ?? 10 })));
  app.patch(
    '/api/things/:id',
    ...route(writeThing, ({ params, body }) => {
      handled.push(body);
      return { id: params.id, received: body.changes };
    }),
  );
  // A handler whose answer drifts from its contract: with CONTRACT_CHECK_RESPONSES=1 (the tests) it must be caught.
  app.get('/api/drift/:id', ...route({ ...readThing, path: '/api/drift/{id}' }, () => ({ id: 'one', city: null, limit: 1 })));
  app.use(errorHandler);
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

const get = async (path: string) => {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json() };
};
const patch = async (path: string, raw: string) => {
  const res = await fetch(base + path, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: raw });
  return { status: res.status, body: await res.json() };
};

describe('route(contract, handler)', () => {
  it('hands the handler typed values', async () => {
    expect(await get('/api/things/7?city=%E5%A4%A7%E5%90%8C&limit=25')).toEqual({ status: 200, body: { id: 7, city: '大同', limit: 25 } });
  });

  it('refuses a NUL byte in a query text with a 400 in both languages', async () => {
    const { status, body } = await get('/api/things/7?city=a%00b');
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('city: must not contain a NUL character');
    expect(body.error.details.fields).toEqual([
      { field: 'city', message: 'must not contain a NUL character (\\u0000)', message_zh: '不能包含空字符（\\u0000）' },
    ]);
  });

  it('refuses ids that are not positive whole numbers, and numbers out of range', async () => {
    for (const bad of ['0', '-1', '1e3', '9999999999', 'abc']) {
      const { status, body } = await get(`/api/things/${bad}`);
      expect(status, bad).toBe(400);
      expect(body.error.details.fields[0].field, bad).toBe('id');
    }
    const over = await get('/api/things/7?limit=101');
    expect(over.status).toBe(400);
    expect(over.body.error.details.fields[0]).toEqual({ field: 'limit', message: 'must be between 1 and 100', message_zh: '必须在 1 到 100 之间' });
  });

  it('refuses dates that do not exist', async () => {
    const { status, body } = await get('/api/things/7?asOf=2026-02-30');
    expect(status).toBe(400);
    expect(body.error.details.fields[0].message_zh).toBe('不是 1990–2100 年间的有效日期');
    expect((await get('/api/things/7?asOf=2024-02-29')).status).toBe(200);
  });

  it('refuses unknown query parameters, naming the allowed ones', async () => {
    const { status, body } = await get('/api/things/7?cty=x');
    expect(status).toBe(400);
    expect(body.error.message).toBe('The query is not valid: query: unknown parameter "cty"; allowed: city, limit, asOf.');
    expect(body.error.details.fields[0].message_zh).toBe('不支持的参数：cty');
  });

  it('refuses __proto__, constructor and valueOf keys in a body, and runs nothing', async () => {
    for (const key of ['__proto__', 'constructor', 'valueOf']) {
      const { status, body } = await patch('/api/things/7', `{"version":1,"changes":{"${key}":{"x":1}}}`);
      expect(status, key).toBe(400);
      expect(body.error.details.fields[0].field, key).toBe('changes');
      expect(body.error.message, key).toContain(`"${key}"`);
    }
    expect(handled).toEqual([]);
  });

  it('refuses 1e308 and NUL bytes in JSON bodies', async () => {
    const huge = await patch('/api/things/7', '{"version":1,"changes":{"area":1e308}}');
    expect(huge.status).toBe(400);
    expect(huge.body.error.details.fields[0].field).toBe('changes.area');
    const nul = await patch('/api/things/7', '{"version":1,"changes":{"name":"a\\u0000b"}}');
    expect(nul.status).toBe(400);
    expect(nul.body.error.details.fields[0].field).toBe('changes.name');
    expect(handled).toEqual([]);
    const ok = await patch('/api/things/7', '{"version":1,"changes":{"name":"北区","area":12.5}}');
    expect(ok).toEqual({ status: 200, body: { id: 7, received: { name: '北区', area: 12.5 } } });
  });

  it('turns an answer that drifts from its contract into a 500 naming the drift (tests run with CONTRACT_CHECK_RESPONSES=1)', async () => {
    expect(process.env.CONTRACT_CHECK_RESPONSES).toBe('1');
    const { status, body } = await get('/api/drift/7');
    expect(status).toBe(500);
    expect(body.error.code).toBe('contract_violation');
    expect(body.error.message).toContain('id: Invalid input: expected number, received string');
  });
});
