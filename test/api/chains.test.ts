/**
 * 链长制 / 招商图谱 through the API on both databases: a link with no firm and no project in the scope is
 * missing, placing a project on it makes it weak (audited, zone limits kept), the map gives places and land
 * for the gaps, and none of it is open to the public or to roles that do not read leads.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('industry chains on $name', (target) => {
  const ctx = useApiServer(target);

  it('marks a link with no firm and no project in the zone as missing, and placing a project makes it weak', async () => {
    const [zone] = await ctx.db.query<{ id: number; city: string }>("SELECT id, city FROM zones WHERE code = 'SX-DTJK'");
    // An independent count: links with nothing of the zone on them.
    const empty = await ctx.db.query<{ id: number; chain_id: number }>(
      `SELECT cl.id, cl.chain_id FROM chain_links cl
       WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.chain_link_id = cl.id AND p.zone_id = $1)
         AND NOT EXISTS (SELECT 1 FROM chain_link_enterprises m JOIN parcel_uses u ON u.enterprise_id = m.enterprise_id JOIN parcels pa ON pa.id = u.parcel_id
                         WHERE m.link_id = cl.id AND pa.zone_id = $1)
       ORDER BY cl.id LIMIT 1`,
      [zone.id],
    );
    expect(empty.length).toBe(1);
    const link = empty[0];
    const promoter = await ctx.server.as('promoter');
    const chains = await promoter.json('/api/chains');
    expect(chains.status).toBe(200);
    expect(chains.body.chains.length).toBeGreaterThan(0);
    expect(chains.body.chains.find((c: { id: number }) => c.id === link.chain_id).links.map((l: { id: number }) => l.id)).toContain(link.id);

    const map = await promoter.json(`/api/chains/${link.chain_id}/map?zone=${zone.id}`);
    expect(map.status).toBe(200);
    const before = map.body.links.find((l: { id: number }) => l.id === link.id);
    expect(before).toMatchObject({ status: 'missing', firms: [], projects: [] });
    // Land for the gap: available parcels of the zone, best first.
    expect(before.parcels.length).toBeGreaterThan(0);
    const scores = before.parcels.map((p: { score: number }) => p.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(before.parcels.every((p: { zone_id: number; at: number[] }) => p.zone_id === zone.id && p.at.length === 2)).toBe(true);

    // Place one of the zone's projects on it: one project, no 链主 → weak.
    const [project] = await ctx.db.query<{ id: number }>('SELECT id FROM projects WHERE zone_id = $1 ORDER BY id LIMIT 1', [zone.id]);
    const audits = (await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log'))[0].n;
    const placed = await promoter.send('POST', `/api/chains/links/${link.id}/members`, { kind: 'project', member_id: project.id });
    expect(placed.status).toBe(200);
    expect((await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log'))[0].n).toBe(audits + 1);
    const after = (await promoter.json(`/api/chains/${link.chain_id}/map?zone=${zone.id}`)).body.links.find((l: { id: number }) => l.id === link.id);
    expect(after.status).toBe('weak');
    expect(after.projects.map((p: { id: number; at: number[] }) => p.id)).toEqual([project.id]);
    expect(after.projects[0].at).toHaveLength(2);

    // A 链主 firm of the zone on the link makes it present.
    const [firm] = await ctx.db.query<{ id: number }>(
      'SELECT u.enterprise_id AS id FROM parcel_uses u JOIN parcels p ON p.id = u.parcel_id WHERE p.zone_id = $1 ORDER BY u.enterprise_id LIMIT 1',
      [zone.id],
    );
    const owner = await promoter.send('POST', `/api/chains/links/${link.id}/members`, { kind: 'enterprise', member_id: firm.id, chain_owner: true });
    expect(owner.status).toBe(200);
    expect(owner.body.owners.map((o: { enterprise_id: number }) => o.enterprise_id)).toContain(firm.id);
    const present = (await promoter.json(`/api/chains/${link.chain_id}/map?zone=${zone.id}`)).body.links.find((l: { id: number }) => l.id === link.id);
    expect(present.status).toBe('present');
    expect(present.firms[0]).toMatchObject({ id: firm.id, chain_owner: true, zone_id: zone.id });
    expect(present.parcels).toEqual([]);

    // Off again: missing again.
    expect((await promoter.send('DELETE', `/api/chains/links/${link.id}/members/project/${project.id}`)).status).toBe(200);
    expect((await promoter.send('DELETE', `/api/chains/links/${link.id}/members/enterprise/${firm.id}`)).status).toBe(200);
    const again = (await promoter.json(`/api/chains/${link.chain_id}/map?zone=${zone.id}`)).body.links.find((l: { id: number }) => l.id === link.id);
    expect(again.status).toBe('missing');
  });

  it("sets a chain's 链长 (name and post) with a version, audited; blank clears; zone-limited accounts may not", async () => {
    const [chain] = await ctx.db.query<{ id: number; version: number }>("SELECT id, version FROM industry_chains WHERE key = 'hydrogen'");
    const promoter = await ctx.server.as('promoter');
    const set = await promoter.send('PATCH', `/api/chains/${chain.id}`, { version: chain.version, changes: { leader: '张三', leader_post: '副市长' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: chain.id, leader: '张三', leader_post: '副市长', version: chain.version + 1 });
    const [audit] = await ctx.db.query<{ after: { leader: string; leader_post: string }; username: string }>(
      "SELECT after, username FROM audit_log WHERE entity = 'industry_chain' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [chain.id],
    );
    expect(audit).toMatchObject({ username: 'promoter', after: { leader: '张三', leader_post: '副市长' } });
    // An old version is a conflict; a blank name clears it.
    expect((await promoter.send('PATCH', `/api/chains/${chain.id}`, { version: chain.version, changes: { leader: '李四' } })).status).toBe(409);
    const cleared = await promoter.send('PATCH', `/api/chains/${chain.id}`, { version: chain.version + 1, changes: { leader: '  ' } });
    expect(cleared.body).toMatchObject({ leader: null, leader_post: '副市长' });
    // Too long: 400 with both languages, nothing written.
    const bad = await promoter.send('PATCH', `/api/chains/${chain.id}`, { version: chain.version + 2, changes: { leader_post: '长'.repeat(61) } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/[\u4e00-\u9fff]/);
    expect((await ctx.db.query<{ version: number }>('SELECT version FROM industry_chains WHERE id = $1', [chain.id]))[0].version).toBe(chain.version + 2);

    // A promoter limited to a zone: the province's chains are not theirs to change.
    const [mine] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await (
      await ctx.server.as('admin')
    ).send('POST', '/api/users', {
      username: 'dtchains',
      display_name: '大同招商',
      password: 'Tuv-7890-Wxyz-c',
      role: 'promoter',
      zone_ids: [mine.id],
    });
    const session = await signIn(ctx.server.url, 'dtchains', 'Tuv-7890-Wxyz-c');
    const limited = (method: string, path: string, body?: unknown) =>
      fetch(`${ctx.server.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await limited('PATCH', `/api/chains/${chain.id}`, { version: chain.version + 2, changes: { leader: '王五' } })).status).toBe(403);
    // …and finds only its zone's firms to place.
    const found = (await (await limited('GET', '/api/chains/candidates?kind=enterprise&q=%E5%85%AC%E5%8F%B8')).json()) as {
      candidates: { zone_name: string }[];
    };
    const [zoneName] = await ctx.db.query<{ name: string }>('SELECT name FROM zones WHERE id = $1', [mine.id]);
    expect(found.candidates.length).toBeGreaterThan(0);
    expect(new Set(found.candidates.map((c) => c.zone_name))).toEqual(new Set([zoneName.name]));
  });

  it('finds enterprises, projects and leads by name, those of the asked city first, with the links they sit on', async () => {
    const promoter = await ctx.server.as('promoter');
    const [firm] = await ctx.db.query<{ id: number; name: string; links: number }>(
      `SELECT e.id, e.name, (SELECT count(*) FROM chain_link_enterprises m WHERE m.enterprise_id = e.id)::int AS links
       FROM enterprises e WHERE EXISTS (SELECT 1 FROM chain_link_enterprises m WHERE m.enterprise_id = e.id) ORDER BY e.id LIMIT 1`,
    );
    const byName = await promoter.json(`/api/chains/candidates?kind=enterprise&q=${encodeURIComponent(firm.name)}`);
    expect(byName.status).toBe(200);
    const hit = byName.body.candidates.find((c: { id: number }) => c.id === firm.id);
    expect(hit.placed).toHaveLength(firm.links);
    expect(hit.placed[0]).toContain(' · ');

    // A city's projects first: the first answers are all of that city when it has that many.
    const [zone] = await ctx.db.query<{ city: string }>("SELECT city FROM zones WHERE code = 'SX-DTJK'");
    const [inCity] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM projects p JOIN zones z ON z.id = p.zone_id WHERE z.city = $1 AND p.name LIKE '%项目%'",
      [zone.city],
    );
    const projects = (await promoter.json(`/api/chains/candidates?kind=project&q=${encodeURIComponent('项目')}&city=${encodeURIComponent(zone.city)}`)).body
      .candidates;
    expect(projects.length).toBe(20);
    const leading = projects.slice(0, Math.min(inCity.n, 20));
    expect(leading.every((p: { city: string }) => p.city === zone.city)).toBe(true);

    // Leads by investor name; signed ones are placed through their project instead.
    const [lead] = await ctx.db.query<{ id: number; investor_name: string }>(
      'SELECT id, investor_name FROM leads WHERE signed_date IS NULL ORDER BY id LIMIT 1',
    );
    const leads = (await promoter.json(`/api/chains/candidates?kind=lead&q=${encodeURIComponent(lead.investor_name)}`)).body.candidates;
    expect(leads.map((l: { id: number }) => l.id)).toContain(lead.id);
    expect(leads.every((l: { detail: string }) => l.detail.includes(lead.investor_name))).toBe(true);

    // "%" is a character, not a wildcard; bad kinds are 400; planners and viewers may not search to place.
    expect((await promoter.json('/api/chains/candidates?kind=enterprise&q=%25%25')).body.candidates).toEqual([]);
    expect((await promoter.json('/api/chains/candidates?kind=zone&q=a')).status).toBe(400);
    expect((await (await ctx.server.as('planner')).json('/api/chains/candidates?kind=enterprise&q=a')).status).toBe(403);
    expect((await ctx.server.anonymous.get('/api/chains/candidates?kind=enterprise&q=a')).status).toBe(401);
  });

  it('marks and unmarks a 链主 on its link, audited', async () => {
    const promoter = await ctx.server.as('promoter');
    const [m] = await ctx.db.query<{ link_id: number; enterprise_id: number; chain_id: number }>(
      'SELECT m.link_id, m.enterprise_id, cl.chain_id FROM chain_link_enterprises m JOIN chain_links cl ON cl.id = m.link_id WHERE NOT m.chain_owner ORDER BY m.link_id, m.enterprise_id LIMIT 1',
    );
    const audits = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'industry_chain'"))[0].n;
    const marked = await promoter.send('POST', `/api/chains/links/${m.link_id}/members`, { kind: 'enterprise', member_id: m.enterprise_id, chain_owner: true });
    expect(marked.status).toBe(200);
    expect(marked.body.owners.map((o: { enterprise_id: number }) => o.enterprise_id)).toContain(m.enterprise_id);
    const unmarked = await promoter.send('POST', `/api/chains/links/${m.link_id}/members`, {
      kind: 'enterprise',
      member_id: m.enterprise_id,
      chain_owner: false,
    });
    expect(unmarked.body.owners.map((o: { enterprise_id: number }) => o.enterprise_id)).not.toContain(m.enterprise_id);
    // Still on the link, no longer an owner; two audit entries.
    const [row] = await ctx.db.query<{ chain_owner: boolean }>('SELECT chain_owner FROM chain_link_enterprises WHERE link_id = $1 AND enterprise_id = $2', [
      m.link_id,
      m.enterprise_id,
    ]);
    expect(row.chain_owner).toBe(false);
    expect((await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'industry_chain'"))[0].n).toBe(audits + 2);
  });

  it('keeps the chain map internal: anonymous 401, viewers 403, planners read but do not place', async () => {
    const [chain] = await ctx.db.query<{ id: number }>('SELECT id FROM industry_chains ORDER BY id LIMIT 1');
    expect((await ctx.server.anonymous.get('/api/chains')).status).toBe(401);
    expect((await ctx.server.anonymous.get(`/api/chains/${chain.id}/map`)).status).toBe(401);
    expect((await (await ctx.server.as('viewer')).get(`/api/chains/${chain.id}/map`)).status).toBe(403);
    const planner = await ctx.server.as('planner');
    expect((await planner.json(`/api/chains/${chain.id}/map`)).status).toBe(200);
    const [link] = await ctx.db.query<{ id: number }>('SELECT id FROM chain_links WHERE chain_id = $1 LIMIT 1', [chain.id]);
    expect((await planner.send('POST', `/api/chains/links/${link.id}/members`, { kind: 'project', member_id: 1 })).status).toBe(403);
    expect((await planner.json('/api/chains/999999/map')).status).toBe(404);
  });
});
