/**
 * Every route, fed what once reached the database as a 500 (NUL bytes, 1e308, ids that are not ids, JSON keys
 * such as __proto__): each must answer a 4xx in the one error shape, and nothing may change. The routes come
 * from the contracts, so a route added tomorrow is covered tomorrow.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allContracts } from '../../server/contract/index.ts';
import type { Contract } from '../../server/contract/define.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

/** A harmless value for each path parameter, so that only the part under test is hostile. */
const SAMPLE_PATH_VALUES: Record<string, string> = {
  id: '1',
  entity: 'parcel',
  layer: 'parcels',
  z: '14',
  x: '13520',
  y: '6190',
  token: 'no-such-token',
  format: 'csv',
};

function fill(path: string, override: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => override[name] ?? SAMPLE_PATH_VALUES[name] ?? '1');
}

function keysOf(schema: z.ZodType | undefined): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

interface Probe {
  what: string;
  method: string;
  url: string;
  body?: string;
  /**
   * bad_request: exactly the contract's 400; client_error: any 4xx; no_server_error: anything but a 5xx (a text
   * parameter may legitimately take "1e308" as a search word).
   */
  expect: 'bad_request' | 'client_error' | 'no_server_error';
}

function probesFor(c: Contract): Probe[] {
  const method = c.method.toUpperCase();
  const probes: Probe[] = [];
  const pathParams = [...c.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  for (const name of pathParams) {
    for (const bad of ['%00', '1e308', '-1', '99999999999999']) {
      probes.push({ what: `path ${name}=${bad}`, method, url: fill(c.path, { [name]: bad }), expect: 'client_error' });
    }
  }
  const queryNames = keysOf(c.query);
  for (const name of queryNames.length ? queryNames : ['unknown']) {
    probes.push({ what: `query ${name} with NUL`, method, url: `${fill(c.path)}?${name}=a%00b`, expect: 'bad_request' });
    probes.push({ what: `query ${name}=1e308`, method, url: `${fill(c.path)}?${name}=1e308`, expect: queryNames.length ? 'no_server_error' : 'bad_request' });
  }
  if (c.body && !c.bodyContentType) {
    for (const key of ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty']) {
      probes.push({ what: `body key ${key}`, method, url: fill(c.path), body: `{"${key}":{"polluted":1}}`, expect: 'bad_request' });
    }
    for (const key of keysOf(c.body)) {
      probes.push({ what: `body ${key} NUL`, method, url: fill(c.path), body: JSON.stringify({ [key]: 'a\u0000b' }), expect: 'bad_request' });
      probes.push({ what: `body ${key}=1e308`, method, url: fill(c.path), body: `{"${key}":1e308}`, expect: 'client_error' });
      probes.push({ what: `body ${key} nested __proto__`, method, url: fill(c.path), body: `{"${key}":{"__proto__":{"polluted":1}}}`, expect: 'client_error' });
    }
  }
  return probes;
}

describe.each(dbTargets({ writable: true }))('hostile input to every route on $name', (target) => {
  const ctx = useApiServer(target);

  it('answers every probe with a 4xx in the one error shape and changes nothing', async () => {
    const admin = await ctx.server.as('admin');
    const state = async () =>
      (
        await ctx.db.query<{ audit: number; parcels: number; versions: number }>(
          'SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM parcels) AS parcels, (SELECT coalesce(sum(version), 0) FROM parcels) + (SELECT coalesce(sum(version), 0) FROM zones) AS versions',
        )
      )[0];
    const before = await state();
    const probes = allContracts.flatMap(probesFor);
    // The contracts cover the API: a handful of routes would mean the registry lost them.
    expect(allContracts.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const probe of probes) {
      const headers: Record<string, string> = { Cookie: admin.cookie!, 'X-CSRF-Token': admin.csrfToken! };
      if (probe.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(ctx.server.url + probe.url, { method: probe.method, headers, body: probe.body });
      const text = await res.text();
      let error: { code?: unknown; message?: unknown } | undefined;
      try {
        error = JSON.parse(text).error;
      } catch {
        error = undefined;
      }
      const ok =
        probe.expect === 'bad_request' ? res.status === 400 : probe.expect === 'client_error' ? res.status >= 400 && res.status < 500 : res.status < 500;
      const shaped = res.status < 400 || (typeof error?.code === 'string' && typeof error?.message === 'string');
      if (!ok || !shaped) {
        failures.push(`${probe.method} ${probe.url} (${probe.what}) → ${res.status} ${text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await state()).toEqual(before);
    console.log(`${probes.length} hostile requests to ${allContracts.length} routes on ${target.name}: all refused, nothing changed`);
  });
});
