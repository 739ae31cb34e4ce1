/**
 * 招商活动 through the API on both databases: recorded and changed with a version (audited, zone limits kept),
 * listed for the period exactly as the figures count "events held", with the leads each produced; internal.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

describe.each(dbTargets({ writable: true }))('promotion events on $name', (target) => {
  const ctx = useApiServer(target);

  it('records, changes and lists events; the list equals the figure "events held" and shows the leads produced', async () => {
    const [zone] = await ctx.db.query<{ id: number; city: string }>("SELECT id, city FROM zones WHERE code = 'SX-DTJK'");
    const promoter = await ctx.server.as('promoter');
    const created = await promoter.send('POST', '/api/events', {
      name: '大同经开区储能产业推介会',
      kind: 'promotion',
      held_on: '2026-11-10',
      place: '深圳',
      organiser: '大同经开区管委会',
      zone_id: zone.id,
      agreements_signed: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '大同经开区储能产业推介会', city: zone.city, leads: 0, version: 1 });
    const lead = await promoter.send('POST', '/api/leads', {
      zone_id: zone.id,
      investor_name: '活动测试储能有限公司',
      project_name: '储能系统集成项目',
      source: 'event',
      event_id: created.body.id,
      lead_date: '2026-11-10',
    });
    expect(lead.status).toBe(201);
    const detail = await promoter.json(`/api/events/${created.body.id}`);
    expect(detail.body.leads).toBe(1);
    expect(detail.body.lead_list.map((l: { id: number }) => l.id)).toEqual([lead.body.id]);

    const changed = await promoter.send('PATCH', `/api/events/${created.body.id}`, { version: 1, changes: { place: '广州', agreements_signed: 3 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ place: '广州', agreements_signed: 3, version: 2 });
    const stale = await promoter.send('PATCH', `/api/events/${created.body.id}`, { version: 1, changes: { place: '上海' } });
    expect(stale.status).toBe(409);
    const history = await promoter.json(`/api/history/promotion_event/${created.body.id}`);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);

    for (const scope of [`zone=${zone.id}`, `city=${encodeURIComponent(zone.city)}`, '']) {
      const q = `from=2026-10-01&to=2026-11-27${scope ? `&${scope}` : ''}`;
      const list = await promoter.json(`/api/events?${q}`);
      const figures = await promoter.json(`/api/leads/figures?${q}`);
      expect(list.body.events.length, scope).toBe(figures.body.eventsHeld);
      expect(list.body.events.map((e: { id: number }) => e.id)).toContain(created.body.id);
    }
  });

  it('keeps zone limits and is internal', async () => {
    const [other] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-SZJK'");
    const admin = await ctx.server.as('admin');
    const [mine] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    await admin.send('POST', '/api/users', {
      username: 'dtevents',
      display_name: '大同招商',
      password: 'Tuv-7890-Wxyz-q',
      role: 'promoter',
      zone_ids: [mine.id],
    });
    const session = await signIn(ctx.server.url, 'dtevents', 'Tuv-7890-Wxyz-q');
    const limited = {
      send: (method: string, path: string, body: unknown) =>
        fetch(`${ctx.server.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken },
          body: JSON.stringify(body),
        }),
    };
    const refused = await limited.send('POST', '/api/events', { name: '朔州推介会', kind: 'promotion', held_on: '2026-11-01', zone_id: other.id });
    expect(refused.status).toBe(403);
    expect((await limited.send('POST', '/api/events', { name: '全省推介会', kind: 'promotion', held_on: '2026-11-01' })).status).toBe(403);
    expect((await limited.send('POST', '/api/events', { name: '大同推介会', kind: 'promotion', held_on: '2026-11-01', zone_id: mine.id })).status).toBe(201);
    expect((await ctx.server.anonymous.get('/api/events')).status).toBe(401);
    expect((await (await ctx.server.as('viewer')).get('/api/events')).status).toBe(403);
  });

  it("puts the month's and quarter's 招商 figures into the briefing, equal to /api/leads/figures, for lead readers only", async () => {
    const [zone] = await ctx.db.query<{ city: string }>("SELECT city FROM zones WHERE code = 'SX-DTJK'");
    const city = encodeURIComponent(zone.city);
    const promoter = await ctx.server.as('promoter');
    const briefing = await promoter.json(`/api/supervision/briefing?month=2026-11&city=${city}`);
    expect(briefing.status).toBe(200);
    const quarter = (await promoter.json(`/api/leads/figures?from=2026-10-01&to=2026-11-30&city=${city}`)).body;
    expect(briefing.body.leads.quarter).toEqual({
      from: '2026-10-01',
      to: '2026-11-30',
      eventsHeld: quarter.eventsHeld,
      stages: quarter.funnel.map((f: { key: string; reached: number; reachedInvestmentWan: number }) => ({
        key: f.key,
        reached: f.reached,
        reachedInvestmentWan: f.reachedInvestmentWan,
      })),
      inNegotiation: { count: quarter.inNegotiation.count, investmentWan: quarter.inNegotiation.investmentWan, atLeast10Yi: quarter.inNegotiation.atLeast10Yi },
      signed: { count: quarter.signed.count, investmentWan: quarter.signed.investmentWan },
      signedShareOfAll: quarter.signedShareOfAll,
    });
    const month = (await promoter.json(`/api/leads/figures?from=2026-11-01&to=2026-11-30&city=${city}`)).body;
    expect(briefing.body.leads.month.inNegotiation.count).toBe(month.inNegotiation.count);
    expect(briefing.body.leads.month.eventsHeld).toBe(month.eventsHeld);
    // A viewer reads the briefing, not the leads.
    const viewer = await (await ctx.server.as('viewer')).json(`/api/supervision/briefing?month=2026-11&city=${city}`);
    expect(viewer.status).toBe(200);
    expect(viewer.body.leads).toBeNull();
    const pdf = await promoter.get(`/api/supervision/briefing?month=2026-11&city=${city}&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');
  });
});
