import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/accounts.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets({ writable: true }))('accounts and roles on $name', (target) => {
  const ctx = useApiServer(target);

  async function login(username: string, password: string) {
    const res = await fetch(`${ctx.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return { status: res.status, body: await res.json(), cookie: res.headers.get('set-cookie') };
  }

  async function someParcel(zoneCode = 'SX-DTJK') {
    const [p] = await ctx.db.query<{ id: number; version: number }>(
      "SELECT p.id, p.version FROM parcels p JOIN zones z ON z.id = p.zone_id WHERE z.code = $1 AND p.status = 'reserve' ORDER BY p.id LIMIT 1",
      [zoneCode],
    );
    return p;
  }

  it('asks for sign-in on every internal route, and on every write', async () => {
    for (const path of [
      '/api/zones',
      '/api/parcels/1',
      '/api/projects',
      '/api/search?q=a',
      '/api/tiles/zones/7/104/48.pbf',
      '/api/history/parcel/1',
      '/api/users',
    ]) {
      const res = await ctx.server.anonymous.get(path);
      expect(res.status, path).toBe(401);
    }
    const writes: [string, string][] = [
      ['PATCH', '/api/parcels/1'],
      ['POST', '/api/parcels'],
      ['POST', '/api/parcels/1/split'],
      ['POST', '/api/parcels/merge'],
      ['POST', '/api/parcels/check-geometry'],
      ['PATCH', '/api/projects/1'],
      ['PATCH', '/api/zones/1'],
      ['POST', '/api/users'],
      ['PATCH', '/api/users/1'],
      ['POST', '/api/auth/password'],
    ];
    for (const [method, path] of writes) {
      const res = await ctx.server.anonymous.send(method, path, { version: 1 });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // Public: health, config, the API description.
    expect((await ctx.server.anonymous.get('/api/health')).status).toBe(200);
    expect((await ctx.server.anonymous.get('/api/openapi.json')).status).toBe(200);
  });

  it('signs in with an httpOnly, SameSite session cookie and signs out', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.username === 'planner')!;
    const res = await login('planner', account.password);
    expect(res.status).toBe(200);
    expect(res.cookie).toMatch(/pa_session=/);
    expect(res.cookie).toMatch(/HttpOnly/i);
    expect(res.cookie).toMatch(/SameSite=Lax/i);
    const planner = await ctx.server.as('planner');
    const me = await planner.json('/api/auth/me');
    expect(me.body.user).toMatchObject({ username: 'planner', role: 'planner', zone_ids: null });
    expect(me.body.permissions).toContain('parcel.editGeometry');
    expect(me.body.user.password_hash).toBeUndefined();
    expect((await planner.send('POST', '/api/auth/logout')).status).toBe(200);
    expect((await planner.get('/api/zones')).status).toBe(401);
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const a = await login('planner', 'wrong-password-1');
    const b = await login('nobody-here', 'wrong-password-1');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    // The same answer, but for each request's own id.
    expect({ ...a.body.error, requestId: 'x' }).toEqual({ ...b.body.error, requestId: 'x' });
  });

  it('refuses writes without the CSRF token, with a wrong one, or from another site', async () => {
    const planner = await ctx.server.as('planner');
    const p = await someParcel();
    const body = { version: p.version, changes: { land_use_code: '100102' } };
    expect((await planner.send('PATCH', `/api/parcels/${p.id}`, body, { csrf: false })).status).toBe(403);
    expect((await planner.send('PATCH', `/api/parcels/${p.id}`, body, { csrf: false, headers: { 'X-CSRF-Token': 'forged' } })).status).toBe(403);
    const crossSite = await planner.send('PATCH', `/api/parcels/${p.id}`, body, { headers: { Origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.message).toMatch(/Cross-site/);
    const [{ version }] = await ctx.db.query<{ version: number }>('SELECT version FROM parcels WHERE id = $1', [p.id]);
    expect(version).toBe(p.version);
    expect((await planner.send('PATCH', `/api/parcels/${p.id}`, body)).status).toBe(200);
  });

  it('lets each role edit only what the permission table gives it', async () => {
    const p = await someParcel();
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_use_code: '100101' } })).status).toBe(403);
    const land = await ctx.server.as('landbureau');
    expect((await land.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { land_use_code: '100101' } })).status).toBe(403);
    const ok = await land.send('PATCH', `/api/parcels/${p.id}`, { version: p.version, changes: { registered_area_m2: 12345.6 } });
    expect(ok.status).toBe(200);
    expect(ok.body.parcel.registered_area_m2).toBe(12345.6);
    const promoter = await ctx.server.as('admin');
    const [project] = await ctx.db.query<{ id: number; version: number }>('SELECT id, version FROM projects ORDER BY id LIMIT 1');
    expect((await land.send('PATCH', `/api/projects/${project.id}`, { version: project.version, changes: { description: 'x' } })).status).toBe(403);
    expect((await promoter.send('PATCH', `/api/projects/${project.id}`, { version: project.version, changes: { description: '推进顺利' } })).status).toBe(200);
  });

  it("limits a zone committee's account to its own zone", async () => {
    const datong = await ctx.server.as('datong');
    const own = await someParcel('SX-DTJK');
    const other = await someParcel('SX-YQGX');
    const refused = await datong.send('PATCH', `/api/parcels/${other.id}`, { version: other.version, changes: { land_use_code: '100101' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/only the zones you are assigned to/);
    const [{ version }] = await ctx.db.query<{ version: number }>('SELECT version FROM parcels WHERE id = $1', [own.id]);
    expect((await datong.send('PATCH', `/api/parcels/${own.id}`, { version, changes: { land_use_code: '100101' } })).status).toBe(200);
  });

  it('lets administrators manage users, and nobody else', async () => {
    const viewer = await ctx.server.as('viewer');
    expect((await viewer.get('/api/users')).status).toBe(403);
    expect((await viewer.send('POST', '/api/users', { username: 'x1x', password: 'long-enough-1', role: 'admin' })).status).toBe(403);
    const admin = await ctx.server.as('admin');
    const created = await admin.send('POST', '/api/users', {
      username: 'yuci.planner',
      display_name: '榆次规划',
      password: 'a-good-password',
      role: 'planner',
      zone_ids: [2],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'yuci.planner', role: 'planner', zone_ids: [2], active: true });
    expect(created.body.password_hash).toBeUndefined();
    expect((await admin.send('POST', '/api/users', { username: 'yuci.planner', password: 'a-good-password', role: 'planner' })).status).toBe(409);
    expect((await admin.send('POST', '/api/users', { username: 'short', password: 'short', role: 'planner' })).body.error.message).toMatch(/at least 10/);
    expect((await admin.send('POST', '/api/users', { username: 'Bad Name', password: 'a-good-password', role: 'planner' })).status).toBe(400);
    expect((await admin.send('POST', '/api/users', { username: 'someone', password: 'a-good-password', role: 'king' })).status).toBe(400);

    const newUser = await ctx.server.as('yuci.planner').catch(() => null);
    expect(newUser).toBeNull(); // not a demo account: sign in with the password set above
    const signedIn = await login('yuci.planner', 'a-good-password');
    expect(signedIn.status).toBe(200);
    const disabled = await admin.send('PATCH', `/api/users/${created.body.id}`, { active: false });
    expect(disabled.status).toBe(200);
    const cookie = signedIn.cookie!.split(';')[0];
    expect((await fetch(`${ctx.server.url}/api/zones`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await login('yuci.planner', 'a-good-password')).status).toBe(401);
  });

  it('lists the roles and permissions from the one table', async () => {
    const { body } = await ctx.server.json('/api/permissions');
    expect(body.roles.map((r: any) => r.key)).toEqual(['admin', 'planner', 'promoter', 'land_bureau', 'viewer', 'agent']);
    const edit = body.permissions.find((p: any) => p.key === 'parcel.editLandRecord');
    expect(edit.roles).toEqual(['admin', 'planner', 'land_bureau']);
  });

  it('records every write, shows a record its history, and exports the log to administrators only', async () => {
    const planner = await ctx.server.as('planner');
    const p = await someParcel('SX-QXJK');
    const res = await planner.send('PATCH', `/api/parcels/${p.id}`, {
      version: p.version,
      changes: { land_use_code: '1101', environment_standard: '园区规划环评' },
    });
    expect(res.status).toBe(200);
    const history = await planner.json(`/api/history/parcel/${p.id}`);
    const entry = history.body.entries[0];
    expect(entry).toMatchObject({ username: 'planner', action: 'update', entity: 'parcel', entity_id: p.id, version: p.version + 1 });
    expect(entry.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'land_use_code', after: '1101' }),
        expect.objectContaining({ field: 'environment_standard', before: null, after: '园区规划环评' }),
      ]),
    );
    expect((await planner.get('/api/audit')).status).toBe(403);
    const admin = await ctx.server.as('admin');
    const log = await admin.json('/api/audit?entity=parcel&user=planner');
    expect(log.body.total).toBeGreaterThan(0);
    expect(log.body.entries.every((e: any) => e.username === 'planner' && e.entity === 'parcel')).toBe(true);
    const csv = await admin.get('/api/audit.csv?entity=parcel');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A UTF-8 byte-order mark first, so that Excel reads the Chinese headers (fetch's text() would hide it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('序号,时间,用户,操作,对象')).toBe(true);
    // Fields, actions and records named as the app names them; the time as read in Beijing, not UTC ISO.
    expect(text).toContain('用地性质: ');
    expect(text).not.toContain('land_use_code');
    const [{ at }] = await ctx.db.query<{ at: string }>("SELECT at FROM audit_log WHERE entity = 'parcel' AND username = 'planner' ORDER BY id DESC LIMIT 1");
    const beijing = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(text).toContain(`,${beijing},planner,修改,地块,${p.id},`);
    const en = await (await admin.get('/api/audit.csv?entity=parcel&lang=en')).text();
    expect(en.replace(/^\uFEFF/, '').startsWith('No.,Time,User,Action,Record')).toBe(true);
    expect(en).toContain(`,${beijing},planner,changed,Parcel,${p.id},`);
    expect(en).toContain('Land use: ');
  });

  it('cannot change or delete the audit log, not even in SQL', async () => {
    const [{ n }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log');
    expect(n).toBeGreaterThan(0);
    await expect(ctx.db.query("UPDATE audit_log SET username = 'someone-else'")).rejects.toThrow(/append-only/);
    await expect(ctx.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    const [{ n: after }] = await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log');
    expect(after).toBe(n);
  });
});
