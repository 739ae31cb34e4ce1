/**
 * The promoter's loop (issue 13): a shortlist is extended from the catalogue by its author only, keeping its
 * link; the extension is audited; and the contact the author publishes reaches the public page.
 */
import { describe, expect, it } from 'vitest';
import { createUser } from '../../server/accounts.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('extending a shortlist on $name', (target) => {
  const ctx = useApiServer(target);
  const available = async (n: number, offset = 0) =>
    (await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT $1 OFFSET $2", [n, offset])).map((r) => r.id);
  const stored = async (id: number) => (await ctx.db.query<{ parcel_ids: number[] }>('SELECT parcel_ids FROM shortlists WHERE id = $1', [id]))[0].parcel_ids;

  it('adds parcels to the author’s own list, keeps its link, skips repeats and writes the audit log', async () => {
    const promoter = await ctx.server.as('promoter');
    const [a, b, c] = await available(3);
    const created = await promoter.send('POST', '/api/shortlists', { title: '光伏客户', parcel_ids: [a] });
    expect(created.status).toBe(201);
    const res = await promoter.send('POST', `/api/shortlists/${created.body.id}/parcels`, { parcel_ids: [b, a, c] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: created.body.id, token: created.body.token, path: created.body.path, added: 2, count: 3 });
    expect(await stored(created.body.id)).toEqual([a, b, c]);
    const open = await ctx.server.anonymous.json(`/api/public/shortlists/${created.body.token}`);
    expect(open.body.parcels.features.map((f: { id: number }) => f.id)).toEqual([a, b, c]);

    const log = await ctx.db.query<{ action: string; before: { parcel_ids: number[] }; after: { parcel_ids: number[] }; note: string | null }>(
      "SELECT action, before, after, note FROM audit_log WHERE entity = 'shortlist' AND entity_id = $1 ORDER BY id",
      [created.body.id],
    );
    expect(log.map((l) => l.action)).toEqual(['create', 'update']);
    expect(log[1].before.parcel_ids).toEqual([a]);
    expect(log[1].after.parcel_ids).toEqual([a, b, c]);
    expect(log[1].note).toBe('parcels added');

    // Nothing new: nothing written, nothing logged.
    const again = await promoter.send('POST', `/api/shortlists/${created.body.id}/parcels`, { parcel_ids: [b] });
    expect(again.body).toMatchObject({ added: 0, count: 3 });
    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'shortlist' AND entity_id = $1", [
      created.body.id,
    ]);
    expect(n).toBe(2);
  });

  it('refuses another promoter’s list (403), an unknown list (404), anonymous visitors (401) and viewers (403), changing nothing', async () => {
    const promoter = await ctx.server.as('promoter');
    const [a, b] = await available(2, 3);
    const created = await promoter.send('POST', '/api/shortlists', { title: '储能客户', parcel_ids: [a] });
    await createUser(ctx.db, null, { username: 'promoter3', password: 'Shuozhou-Wind-2026!', role: 'promoter', display_name: '第三位招商员' });
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'promoter3', 'Shuozhou-Wind-2026!');
    const other = await fetch(`${ctx.server.url}/api/shortlists/${created.body.id}/parcels`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ parcel_ids: [b] }),
    });
    expect(other.status).toBe(403);
    const message = (await other.json()).error.message;
    expect(message).toMatch(/只有清单的创建人/);
    expect(message).toMatch(/Only its author/);

    // An administrator sees every list but adds nothing to another's: what goes on a list is its author's.
    const admin = await ctx.server.as('admin');
    expect((await admin.send('POST', `/api/shortlists/${created.body.id}/parcels`, { parcel_ids: [b] })).status).toBe(403);
    expect((await promoter.send('POST', '/api/shortlists/999999/parcels', { parcel_ids: [b] })).status).toBe(404);
    expect((await ctx.server.anonymous.send('POST', `/api/shortlists/${created.body.id}/parcels`, { parcel_ids: [b] })).status).toBe(401);
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.send('POST', `/api/shortlists/${created.body.id}/parcels`, { parcel_ids: [b] })).status).toBe(403);
    expect(await stored(created.body.id)).toEqual([a]);
  });

  it('refuses parcels not on offer, more than 50 in all, a withdrawn list and malformed bodies, in both languages', async () => {
    const promoter = await ctx.server.as('promoter');
    const ids = await available(51, 5);
    const created = await promoter.send('POST', '/api/shortlists', { title: '大客户', parcel_ids: ids.slice(0, 30) });
    const url = `/api/shortlists/${created.body.id}/parcels`;
    const [supplied] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'supplied' LIMIT 1");
    const notOffered = await promoter.send('POST', url, { parcel_ids: [ids[30], supplied.id] });
    expect(notOffered.status).toBe(400);
    expect(notOffered.body.error.message).toContain(`不在供：${supplied.id}`);
    expect(notOffered.body.error.message).toContain(`not available: ${supplied.id}`);
    const tooMany = await promoter.send('POST', url, { parcel_ids: ids.slice(25, 51) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/最多 50 个地块（已有 30 个，新增 21 个）/);
    const bad = await promoter.send('POST', url, { parcel_ids: [], title: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.every((f: { message_zh: string }) => f.message_zh)).toBe(true);
    expect(await stored(created.body.id)).toEqual(ids.slice(0, 30));

    expect((await promoter.send('POST', `/api/shortlists/${created.body.id}/withdraw`)).status).toBe(200);
    const withdrawn = await promoter.send('POST', url, { parcel_ids: [ids[30]] });
    expect(withdrawn.status).toBe(409);
    expect(withdrawn.body.error.message).toMatch(/已撤回.*withdrawn/);
  });

  it('lets a zone-limited promoter offer only its zones’ parcels', async () => {
    const [{ zone_id }] = await ctx.db.query<{ zone_id: number }>(
      "SELECT zone_id FROM parcels WHERE status = 'available' GROUP BY zone_id ORDER BY count(*) DESC LIMIT 1",
    );
    const [own] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' AND zone_id = $1 LIMIT 1", [zone_id]);
    const [foreign] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' AND zone_id <> $1 LIMIT 1", [zone_id]);
    await createUser(ctx.db, null, { username: 'zonepromoter', password: 'Datong-Zone-2026!', role: 'promoter', zone_ids: [zone_id] });
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'zonepromoter', 'Datong-Zone-2026!');
    const post = (path: string, body: unknown) =>
      fetch(ctx.server.url + path, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/shortlists', { title: '本区推介', parcel_ids: [own.id, foreign.id] })).status).toBe(403);
    const created = await post('/api/shortlists', { title: '本区推介', parcel_ids: [own.id] });
    expect(created.status).toBe(201);
    const refused = await post(`/api/shortlists/${(await created.json()).id}/parcels`, { parcel_ids: [foreign.id] });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain(`只能推介本人负责的开发区的地块：${foreign.id}`);
  });

  it('publishes the contact the author chose, and refuses a phone that is not one', async () => {
    const promoter = await ctx.server.as('promoter');
    const ids = await available(2, 60);
    const badPhone = await promoter.send('POST', '/api/shortlists', { title: '客户', parcel_ids: ids, contact_phone: 'call me' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.details.fields[0]).toMatchObject({ field: 'contact_phone', message_zh: '应为电话号码' });
    const created = await promoter.send('POST', '/api/shortlists', { title: '客户', parcel_ids: ids, contact_name: '王经理', contact_phone: '0352-5101234' });
    const open = await ctx.server.anonymous.json(`/api/public/shortlists/${created.body.token}`);
    expect(open.body.contact).toEqual({ name: '王经理', phone: '0352-5101234' });
    const none = await promoter.send('POST', '/api/shortlists', { title: '客户', parcel_ids: ids });
    expect((await ctx.server.anonymous.json(`/api/public/shortlists/${none.body.token}`)).body.contact).toBeNull();
    const mine = (await promoter.json('/api/shortlists')).body.shortlists.find((s: { id: number }) => s.id === created.body.id);
    expect(mine).toMatchObject({ contact_name: '王经理', contact_phone: '0352-5101234', own: true });
  });
});
