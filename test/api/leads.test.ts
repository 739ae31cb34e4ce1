/**
 * 招商 leads through the API on both databases: who may see and write them, a lead followed from first contact
 * to 签约 becoming a project, a dropped lead, the figures against an independent SQL count, land matching
 * turned into a shortlist, and nothing reaching the public routes.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('招商 leads on $name', (target) => {
  const ctx = useApiServer(target);
  const auditCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log'))[0].n;
  const zoneOf = async (code: string) => (await ctx.db.query<{ id: number; city: string }>('SELECT id, city FROM zones WHERE code = $1', [code]))[0];

  const newLead = (zoneId: number, extra: Record<string, unknown> = {}) => ({
    zone_id: zoneId,
    investor_name: '深圳测试储能科技有限公司',
    project_name: '年产2GWh储能系统项目',
    industry: '储能',
    source: 'chain_owner',
    planned_investment_wan: 120_000,
    land_need_min_mu: 30,
    land_need_max_mu: 400,
    contact_name: '周经理',
    contact_phone: '13900001111',
    lead_date: '2026-11-02',
    contact_date: '2026-11-05',
    ...extra,
  });

  it('is internal: viewers and land bureaus are refused, planners read without the investor contact, promoters write', async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    const created = await promoter.send('POST', '/api/leads', newLead(zone.id));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stage: 'contact', contact_name: '周经理', zone_id: zone.id, version: 1, promoter_name: '招商局' });

    for (const who of ['viewer', 'landbureau']) {
      const res = await (await ctx.server.as(who)).get(`/api/leads/${created.body.id}`);
      expect(res.status, who).toBe(403);
    }
    const planner = await ctx.server.as('planner');
    const seen = await planner.json(`/api/leads/${created.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.investor_name).toBe('深圳测试储能科技有限公司');
    expect(seen.body.contact_name).toBeNull();
    expect(seen.body.contact_phone).toBeNull();
    const listed = await planner.json(`/api/leads?zone=${zone.id}&q=${encodeURIComponent('测试储能')}`);
    expect(listed.body.leads.map((l: { id: number }) => l.id)).toContain(created.body.id);
    expect(listed.body.leads.every((l: { contact_phone: string | null }) => l.contact_phone === null)).toBe(true);
    const write = await planner.send('PATCH', `/api/leads/${created.body.id}`, { version: 1, changes: { leader: '主任' } });
    expect(write.status).toBe(403);

    // Nothing of it on the public routes.
    const publicText = JSON.stringify(await (await ctx.server.anonymous.get('/api/public/parcels')).json());
    expect(publicText).not.toContain('测试储能');
    expect((await ctx.server.anonymous.get('/api/leads')).status).toBe(401);
  });

  it('keeps zone limits on writes', async () => {
    const admin = await ctx.server.as('admin');
    const [mine, other] = await Promise.all([zoneOf('SX-DTJK'), zoneOf('SX-SZJK')]);
    const user = await admin.send('POST', '/api/users', {
      username: 'dtpromoter',
      display_name: '大同招商',
      password: 'Tuv-7890-Wxyz-q',
      role: 'promoter',
      zone_ids: [mine.id],
    });
    expect(user.status).toBe(201);
    const session = await signIn(ctx.server.url, 'dtpromoter', 'Tuv-7890-Wxyz-q');
    const send = (body: unknown) =>
      fetch(`${ctx.server.url}/api/leads`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify(body),
      });
    const before = await auditCount();
    const refused = await send(newLead(other.id));
    expect(refused.status).toBe(403);
    expect(await auditCount()).toBe(before);
    expect((await send(newLead(mine.id))).status).toBe(201);
  });

  it('refuses dates out of order in both languages, and a stale version with 409, changing nothing', async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    const before = await auditCount();
    const bad = await promoter.send('POST', '/api/leads', newLead(zone.id, { visit_date: '2026-11-03' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual([
      {
        field: 'visit_date',
        message: 'Site visit (2026-11-03) cannot come before first contact (2026-11-05).',
        message_zh: '考察日期（2026-11-03）不能早于初步接洽日期（2026-11-05）。',
      },
    ]);
    expect(await auditCount()).toBe(before);

    const created = await promoter.send('POST', '/api/leads', newLead(zone.id));
    const first = await promoter.send('PATCH', `/api/leads/${created.body.id}`, { version: 1, changes: { visit_date: '2026-11-10' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stage: 'visit', version: 2 });
    const stale = await promoter.send('PATCH', `/api/leads/${created.body.id}`, { version: 1, changes: { negotiation_date: '2026-11-12' } });
    expect(stale.status).toBe(409);
    expect((await ctx.db.query<{ stage: string }>('SELECT stage FROM leads WHERE id = $1', [created.body.id]))[0].stage).toBe('visit');
  });

  it('follows a lead to 签约: contacts logged, then one step makes the project, linked both ways', async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    const created = await promoter.send('POST', '/api/leads', newLead(zone.id, { visit_date: '2026-11-08', negotiation_date: '2026-11-12' }));
    const logged = await promoter.send('POST', `/api/leads/${created.body.id}/contacts`, {
      happened_on: '2026-11-13',
      kind: 'meeting',
      with_whom: '周经理',
      summary: '确认用地需求 300 亩',
      next_follow_up: '2026-11-30',
    });
    expect(logged.status).toBe(201);
    expect(logged.body.contacts).toEqual([
      expect.objectContaining({ happened_on: '2026-11-13', kind: 'meeting', summary: '确认用地需求 300 亩', recorded_by_name: 'promoter' }),
    ]);
    expect(logged.body.next_follow_up).toBe('2026-11-30');

    const projectsBefore = (await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM projects'))[0].n;
    const signed = await promoter.send('POST', `/api/leads/${created.body.id}/sign`, { version: logged.body.version, signed_on: '2026-11-20' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ stage: 'signed', signed_date: '2026-11-20', next_follow_up: null });
    const project = await promoter.json(`/api/projects/${signed.body.project_id}`);
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({
      name: '年产2GWh储能系统项目',
      stage: 'signed',
      zone_id: zone.id,
      total_investment_wan: 120_000,
      signed_date: '2026-11-20',
    });
    expect((await ctx.db.query<{ n: number }>('SELECT count(*) AS n FROM projects'))[0].n).toBe(projectsBefore + 1);
    const history = await promoter.json(`/api/history/lead/${created.body.id}`);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['sign', 'contact', 'create']);
    // The history is as internal as the lead: a viewer is refused, a planner sees it without the investor's phone.
    expect((await (await ctx.server.as('viewer')).get(`/api/history/lead/${created.body.id}`)).status).toBe(403);
    const plannerHistory = await (await ctx.server.as('planner')).json(`/api/history/lead/${created.body.id}`);
    expect(plannerHistory.status).toBe(200);
    expect(JSON.stringify(plannerHistory.body)).not.toContain('13900001111');
    expect(JSON.stringify(history.body)).toContain('13900001111');

    const again = await promoter.send('POST', `/api/leads/${created.body.id}/sign`, { version: signed.body.version, signed_on: '2026-11-21' });
    expect(again.status).toBe(409);
    const drop = await promoter.send('POST', `/api/leads/${created.body.id}/drop`, {
      version: signed.body.version,
      reason: 'elsewhere',
      dropped_on: '2026-11-21',
    });
    expect(drop.status).toBe(409);
  });

  it('gives figures that agree with an independent count of the same leads, each listing its leads', async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    const a = await promoter.send('POST', '/api/leads', newLead(zone.id, { lead_date: '2026-11-03', contact_date: null, planned_investment_wan: 5_000 }));
    const b = await promoter.send('POST', '/api/leads', newLead(zone.id, { lead_date: '2026-11-04', contact_date: '2026-11-06' }));
    const dropped = await promoter.send('POST', `/api/leads/${b.body.id}/drop`, { version: 1, reason: 'land', note: '面积不足', dropped_on: '2026-11-15' });
    expect(dropped.body).toMatchObject({ dropped_on: '2026-11-15', drop_reason: 'land' });

    const from = '2026-11-01';
    const to = '2026-11-27';
    const figures = await promoter.json(`/api/leads/figures?zone=${zone.id}&from=${from}&to=${to}`);
    expect(figures.status).toBe(200);
    const [count] = await ctx.db.query<{ negotiating: number; negotiating_wan: number; signed: number; dropped: number; cohort: number; large: number }>(
      `SELECT
         count(*) FILTER (WHERE coalesce(signed_date, intent_date, negotiation_date, visit_date, contact_date) <= $2::date
                            AND (signed_date IS NULL OR signed_date > $2::date) AND (dropped_on IS NULL OR dropped_on > $2::date)) AS negotiating,
         coalesce(sum(planned_investment_wan) FILTER (WHERE coalesce(signed_date, intent_date, negotiation_date, visit_date, contact_date) <= $2::date
                            AND (signed_date IS NULL OR signed_date > $2::date) AND (dropped_on IS NULL OR dropped_on > $2::date)), 0) AS negotiating_wan,
         count(*) FILTER (WHERE coalesce(signed_date, intent_date, negotiation_date, visit_date, contact_date) <= $2::date
                            AND (signed_date IS NULL OR signed_date > $2::date) AND (dropped_on IS NULL OR dropped_on > $2::date) AND planned_investment_wan >= 100000) AS large,
         count(*) FILTER (WHERE signed_date BETWEEN $1::date AND $2::date) AS signed,
         count(*) FILTER (WHERE dropped_on BETWEEN $1::date AND $2::date) AS dropped,
         count(*) FILTER (WHERE lead_date BETWEEN $1::date AND $2::date) AS cohort
       FROM leads WHERE zone_id = $3`,
      [from, to, zone.id],
    );
    expect(figures.body.inNegotiation).toMatchObject({ count: count.negotiating, investmentWan: count.negotiating_wan, atLeast10Yi: count.large });
    expect(figures.body.signed.count).toBe(count.signed);
    expect(figures.body.dropped).toMatchObject({ count: count.dropped });
    expect(figures.body.dropped.byReason.land).toBeGreaterThanOrEqual(1);
    expect(figures.body.dropped.ids).toContain(b.body.id);
    expect(figures.body.funnel[0].reached).toBe(count.cohort);
    expect(figures.body.funnel[0].ids).toContain(a.body.id);
    // Lead a never got a contact: it is in the cohort but not at 初步接洽, and not 在谈.
    expect(figures.body.funnel[1].ids).not.toContain(a.body.id);
    expect(figures.body.inNegotiation.ids).not.toContain(a.body.id);

    const badPeriod = await promoter.json(`/api/leads/figures?zone=${zone.id}&from=2026-02-30&to=${to}`);
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error.details.fields[0]).toMatchObject({ field: 'from', message_zh: '不是 1990–2100 年间的有效日期' });
  });

  it('ranks available land for a lead, within its area range, and the promoter shares the best as a shortlist', async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    const lead = await promoter.send('POST', '/api/leads', newLead(zone.id, { land_need_min_mu: 10, land_need_max_mu: 2000 }));
    const res = await promoter.json(`/api/leads/${lead.body.id}/matches?limit=5`);
    expect(res.status).toBe(200);
    const matches = res.body.matches as { id: number; score: number; area_mu: number; reasons: { key: string }[] }[];
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.length).toBeLessThanOrEqual(5);
    const scores = matches.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const statuses = await ctx.db.query<{ status: string; area_m2: number }>('SELECT status, area_m2 FROM parcels WHERE id = ANY($1::int[])', [
      matches.map((m) => m.id),
    ]);
    expect(statuses.every((p) => p.status === 'available' && p.area_m2 / 666.6666666666666 >= 10 && p.area_m2 / 666.6666666666666 <= 2000)).toBe(true);
    expect(matches[0].reasons.map((r) => r.key)).toEqual(expect.arrayContaining(['area', 'industry', 'location', 'standard_land']));

    const shortlist = await promoter.send('POST', '/api/shortlists', { title: '储能项目推荐地块', parcel_ids: matches.slice(0, 3).map((m) => m.id) });
    expect(shortlist.status).toBe(201);
    const shared = await ctx.server.anonymous.get(`/api/public/shortlists/${shortlist.body.token}`);
    expect(shared.status).toBe(200);
  });

  it("offers standard factories whose vacant floor area covers the lead's floor need, beside parcels, and not the others", async () => {
    const zone = await zoneOf('SX-DTJK');
    const promoter = await ctx.server.as('promoter');
    // Vacant floor area as the supply page counts it, straight from the tables.
    const vacant = await ctx.db.query<{ id: number; name: string; vacant: number }>(
      'SELECT id, name, floor_area_m2 - leased_area_m2 AS vacant FROM factory_buildings WHERE floor_area_m2 > leased_area_m2 ORDER BY id',
    );
    const enough = vacant.filter((b) => b.vacant >= 2000);
    const short = vacant.filter((b) => b.vacant < 2000);
    expect(enough.length).toBeGreaterThan(0);
    expect(short.length).toBeGreaterThan(0);
    expect(enough.length).toBeLessThan(90);

    const lead = await promoter.send('POST', '/api/leads', newLead(zone.id, { land_need_min_mu: 10, land_need_max_mu: 2000, floor_need_m2: 2000 }));
    const res = await promoter.json(`/api/leads/${lead.body.id}/matches?limit=100`);
    expect(res.status).toBe(200);
    type Item = { id: number; kind: string; name?: string; vacant_area_m2?: number; code?: string; reasons: { key: string; zh: string }[] };
    const matches = res.body.matches as Item[];
    const factories = matches.filter((m) => m.kind === 'factory');
    expect(matches.some((m) => m.kind === 'parcel' && typeof m.code === 'string')).toBe(true);
    // Every factory with enough vacant area may rank among 100; check the best-fitting ones are there and no short one is.
    expect(factories.length).toBeGreaterThan(0);
    const shortIds = new Set(short.map((b) => b.id));
    expect(factories.filter((f) => shortIds.has(f.id))).toEqual([]);
    for (const f of factories) {
      const row = enough.find((b) => b.id === f.id)!;
      expect(f.name).toBe(row.name);
      expect(Math.abs(f.vacant_area_m2! - row.vacant)).toBeLessThan(0.01);
      expect(f.reasons.find((r) => r.key === 'floor')!.zh).toBe(`空置面积 ${Math.round(row.vacant).toLocaleString('en-US')} m²，满足 2,000 m² 需求`);
      expect(f.reasons.map((r) => r.key)).not.toContain('standard_land');
    }

    // Without a floor need, no factory is offered.
    const plain = await promoter.send('POST', '/api/leads', newLead(zone.id, { land_need_min_mu: 10, land_need_max_mu: 2000 }));
    const none = (await promoter.json(`/api/leads/${plain.body.id}/matches?limit=100`)).body.matches as Item[];
    expect(none.filter((m) => m.kind === 'factory')).toEqual([]);
  });

  it("gives, for a lead on a chain link, each parcel's distance to the chain's nearest firm, as PostGIS measures it", async () => {
    const promoter = await ctx.server.as('promoter');
    const [lead] = await ctx.db.query<{ id: number; chain_id: number }>(
      `SELECT l.id, cl.chain_id FROM leads l JOIN chain_links cl ON cl.id = l.chain_link_id
       WHERE EXISTS (SELECT 1 FROM chain_links x JOIN chain_link_enterprises m ON m.link_id = x.id WHERE x.chain_id = cl.chain_id)
       ORDER BY l.id LIMIT 1`,
    );
    const matches = (
      (await promoter.json(`/api/leads/${lead.id}/matches?limit=5`)).body.matches as { id: number; kind: string; reasons: { key: string; zh: string }[] }[]
    ).filter((m) => m.kind === 'parcel');
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) {
      const reason = m.reasons.find((r) => r.key === 'chain')!;
      const km = Number(/距产业链企业 ([\d.]+) km/.exec(reason.zh)![1]);
      // Independently: the sphere distance from the parcel to every firm of the chain at its main parcel.
      const [{ nearest }] = await ctx.db.query<{ nearest: number }>(
        `SELECT min(ST_DistanceSphere(ST_PointOnSurface(target.geom), ST_PointOnSurface(fp.geom))) / 1000 AS nearest
         FROM parcels target, chain_link_enterprises m JOIN chain_links cl ON cl.id = m.link_id
           JOIN LATERAL (SELECT p.geom FROM parcel_uses u JOIN parcels p ON p.id = u.parcel_id WHERE u.enterprise_id = m.enterprise_id
                         ORDER BY (u.role = 'owner') DESC, u.area_m2 DESC, p.id LIMIT 1) fp ON true
         WHERE target.id = $1 AND cl.chain_id = $2`,
        [m.id, lead.chain_id],
      );
      expect(Math.abs(km - nearest)).toBeLessThan(0.06);
    }
  });
});
