/**
 * Whose things are whose: a promoter's shortlists (their notes about investors and the links sent) are theirs;
 * the history of accounts and shortlists is for administrators; a public token never appears in any history.
 */
import { describe, expect, it } from 'vitest';
import { createUser } from '../../server/accounts.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('ownership on $name', (target) => {
  const ctx = useApiServer(target);

  /** A second promoter, signed in: fetch with their cookie and CSRF token. */
  async function otherPromoter() {
    await createUser(ctx.db, null, { username: 'promoter2', password: 'Jinzhong-Solar-2026!', role: 'promoter', display_name: '另一位招商员' });
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'promoter2', 'Jinzhong-Solar-2026!');
    return {
      get: (path: string) => fetch(ctx.server.url + path, { headers: { Cookie: cookie } }),
      post: (path: string) =>
        fetch(ctx.server.url + path, {
          method: 'POST',
          headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
          body: '{}',
        }),
    };
  }

  it('shows a promoter only their own shortlists and refuses to withdraw another’s; an administrator sees and withdraws all', async () => {
    const promoter = await ctx.server.as('promoter');
    const ids = (await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 2")).map((r) => r.id);
    const created = await promoter.send('POST', '/api/shortlists', { title: '给光伏客户', note: '客户预算每亩 18 万元', parcel_ids: ids });
    expect(created.status).toBe(201);

    const other = await otherPromoter();
    const seen = await (await other.get('/api/shortlists')).json();
    expect(seen.shortlists).toEqual([]);
    const refused = await other.post(`/api/shortlists/${created.body.id}/withdraw`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/只有清单的创建人/);
    const [still] = await ctx.db.query<{ withdrawn_at: string | null }>('SELECT withdrawn_at FROM shortlists WHERE id = $1', [created.body.id]);
    expect(still.withdrawn_at).toBeNull();

    const own = await promoter.json('/api/shortlists');
    expect(own.body.shortlists.map((s: { id: number }) => s.id)).toEqual([created.body.id]);
    const admin = await ctx.server.as('admin');
    expect((await admin.json('/api/shortlists')).body.shortlists.map((s: { id: number }) => s.id)).toContain(created.body.id);
    expect((await admin.send('POST', `/api/shortlists/${created.body.id}/withdraw`)).status).toBe(200);
  });

  it('keeps the history of accounts and shortlists for administrators, and never shows a token', async () => {
    const promoter = await ctx.server.as('promoter');
    const ids = (await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 1")).map((r) => r.id);
    const created = await promoter.send('POST', '/api/shortlists', { title: '储能客户', parcel_ids: ids });
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.json('/api/history/user/1')).status).toBe(403);
    expect((await viewer.json(`/api/history/shortlist/${created.body.id}`)).status).toBe(403);
    expect((await promoter.json(`/api/history/shortlist/${created.body.id}`)).status).toBe(403);

    const admin = await ctx.server.as('admin');
    const history = await admin.json(`/api/history/shortlist/${created.body.id}`);
    expect(history.status).toBe(200);
    expect(history.body.entries).toHaveLength(1);
    expect(history.body.entries[0].changes.map((c: { field: string }) => c.field)).toContain('title');
    expect(JSON.stringify(history.body)).not.toContain(created.body.token);
    const log = await admin.json('/api/audit?entity=shortlist');
    expect(JSON.stringify(log.body)).not.toContain(created.body.token);
    const [stored] = await ctx.db.query<{ after: Record<string, unknown> }>("SELECT after FROM audit_log WHERE entity = 'shortlist' AND entity_id = $1", [
      created.body.id,
    ]);
    expect(stored.after).not.toHaveProperty('token');
    // Other records' history stays open to every signed-in user.
    expect((await viewer.json('/api/history/parcel/1')).status).toBe(200);
  });

  it('refuses NUL bytes, unknown keys and impossible ids in shortlist and account bodies, in both languages, writing nothing', async () => {
    const count = async () => (await ctx.db.query<{ n: number }>('SELECT ((SELECT count(*) FROM shortlists) + (SELECT count(*) FROM users))::int AS n'))[0].n;
    const promoter = await ctx.server.as('promoter');
    const admin = await ctx.server.as('admin');
    const before = await count();
    const [{ id }] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 1");
    const nul = await promoter.send('POST', '/api/shortlists', { title: 'a\u0000b', parcel_ids: [id] });
    expect(nul.status).toBe(400);
    expect(nul.body.error.details.fields).toEqual([
      { field: 'title', message: 'must not contain a NUL character (\\u0000)', message_zh: '不能包含空字符（\\u0000）' },
    ]);
    const proto = await promoter.send('POST', '/api/shortlists', JSON.parse(`{"title":"x","parcel_ids":[${id}],"__proto__":{"admin":true}}`));
    expect(proto.status).toBe(400);
    expect(proto.body.error.details.fields).toEqual([
      {
        field: 'body',
        message: 'unknown field "__proto__"; allowed: title, note, parcel_ids, contact_name, contact_phone',
        message_zh: '不支持的参数：__proto__',
      },
    ]);
    const huge = await promoter.send('POST', '/api/shortlists', { title: 'x', parcel_ids: [1e308] });
    expect(huge.status).toBe(400);
    expect(new Set(huge.body.error.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set(['parcel_ids.0']));
    const user = await admin.send('POST', '/api/users', { username: 'nul\u0000user', password: 'a-good-password', role: 'planner' });
    expect(user.status).toBe(400);
    expect(user.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['username']);
    const change = await admin.send('PATCH', '/api/users/1', JSON.parse('{"constructor":{"role":"admin"}}'));
    expect(change.status).toBe(400);
    expect(change.body.error.message).toMatch(/^The request body is not valid: body: unknown field "constructor"; allowed: version, display_name, /);
    expect(await count()).toBe(before);
  });
});
