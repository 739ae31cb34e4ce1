/**
 * 链长制 / 招商图谱 through the API on both databases: a link with no firm and no project in the scope is
 * missing, placing a project on it makes it weak (audited, zone limits kept), the map gives places and land
 * for the gaps, and none of it is open to the public or to roles that do not read leads.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

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
