/**
 * 三个一批 rounds and yearly targets as data people edit, over HTTP on both databases: creating, renaming
 * and deleting rounds, putting projects into their batches and taking them out (duplicates refused, roles
 * and zones enforced, every write audited), the rates following the batches, and zone targets feeding the
 * 预警. Every refusal leaves the database exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

const AS_OF = '2026-10-31';

describe.each(dbTargets({ writable: true }))('三个一批 rounds as data on $name', (target) => {
  const ctx = useApiServer(target);
  /** Everything a refused write must leave alone. */
  const state = async () => ({
    rounds: await ctx.db.query("SELECT id, name, to_char(held_on, 'YYYY-MM-DD') AS held_on, version FROM project_rounds ORDER BY id"),
    entries: await ctx.db.query('SELECT round_id, project_id, batch FROM project_round_entries ORDER BY round_id, project_id'),
    audit: (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action NOT IN ('login', 'logout')"))[0].n,
  });
  /** Projects that have started by AS_OF and ones that have not even landed, in a zone (for the zone-limited user). */
  const projects = async () => {
    const [dtjk] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const started = await ctx.db.query<{ id: number; name: string; zone_id: number; total_investment_wan: number }>(
      `SELECT id, name, zone_id, total_investment_wan FROM projects WHERE started_date <= $1 AND total_investment_wan > 0 AND zone_id <> $2 ORDER BY id LIMIT 2`,
      [AS_OF, dtjk.id],
    );
    const [notStarted] = await ctx.db.query<{ id: number; name: string; zone_id: number; total_investment_wan: number }>(
      `SELECT id, name, zone_id, total_investment_wan FROM projects WHERE signed_date <= $1 AND started_date IS NULL AND producing_date IS NULL AND at_capacity_date IS NULL
         AND total_investment_wan > 0 AND zone_id <> $2 ORDER BY id LIMIT 1`,
      [AS_OF, dtjk.id],
    );
    const [inDatong] = await ctx.db.query<{ id: number }>('SELECT id FROM projects WHERE zone_id = $1 ORDER BY id LIMIT 1', [dtjk.id]);
    return { started, notStarted, inDatong };
  };

  it('creates a round (planners and administrators only), refuses a duplicate or bad name, and audits it', async () => {
    const round = { name: '2026年第二次', held_on: '2026-09-20' };
    const before = await state();
    for (const who of ['viewer', 'promoter', 'landbureau']) {
      const r = await (await ctx.server.as(who)).send('POST', '/api/supervision/rounds', round);
      expect(r.status, who).toBe(403);
    }
    // A zone committee's planner adds projects to rounds but does not create the shared rounds.
    const datong = await (await ctx.server.as('datong')).send('POST', '/api/supervision/rounds', round);
    expect(datong.status).toBe(403);
    expect(datong.body.error.message).toMatch(/轮次由全部开发区共用/);
    const planner = await ctx.server.as('planner');
    expect((await planner.send('POST', '/api/supervision/rounds', round, { csrf: false })).status).toBe(403);
    const bad = async (body: unknown, re: RegExp) => {
      const r = await planner.send('POST', '/api/supervision/rounds', body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(re);
    };
    await bad({ name: '   ', held_on: '2026-09-20' }, /轮次须有名称/);
    await bad({ name: 'x'.repeat(41), held_on: '2026-09-20' }, /at most 40 characters/);
    await bad({ name: '第一行\n第二行', held_on: '2026-09-20' }, /不能包含换行/);
    await bad({ name: '2026年第二次', held_on: '2026-02-30' }, /YYYY-MM-DD/);
    // Not text at all: the route's contract refuses it before the rule runs, naming the field.
    await bad({ name: 42, held_on: '2026-09-20' }, /name: Invalid input: expected string, received number/);
    await bad({ name: '2026年第二次', held_on: '2026-09-20', round: 2 }, /unknown field "round"/);
    const taken = await planner.send('POST', '/api/supervision/rounds', { name: '2025年第一次', held_on: '2025-03-21' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/已有名为“2025年第一次”的轮次/);
    expect(await state()).toEqual(before);

    const created = await planner.send('POST', '/api/supervision/rounds', { name: ' 2026年第二次 ', held_on: '2026-09-20' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '2026年第二次', held_on: '2026-09-20', version: 1, entries: [] });
    const listed = (await ctx.server.json('/api/supervision/rounds')).body.rounds;
    expect(listed.at(-1)).toEqual({ id: created.body.id, name: '2026年第二次', held_on: '2026-09-20', signed: 0, started: 0, producing: 0 });
    const [audit] = await ctx.db.query<{ username: string; action: string; after: any; entity_version: number }>(
      "SELECT username, action, after, entity_version FROM audit_log WHERE entity = 'round' AND entity_id = $1 ORDER BY id",
      [created.body.id],
    );
    expect(audit).toMatchObject({ username: 'planner', action: 'create', entity_version: 1 });
    expect(audit.after).toMatchObject({ name: '2026年第二次', held_on: '2026-09-20', entries: [] });
    // An empty round has no rates: "—", not 0 %.
    const rates = (await ctx.server.json(`/api/supervision/rates?rounds=${created.body.id}&basis=count&asOf=${AS_OF}`)).body;
    expect(rates.start.share).toBeNull();
  });

  it('puts projects into batches and takes them out; the rates follow; duplicates, unknown projects and other zones are refused', async () => {
    const admin = await ctx.server.as('admin');
    const round = (await admin.send('POST', '/api/supervision/rounds', { name: '2026年第三次', held_on: '2026-10-20' })).body;
    const { started, notStarted, inDatong } = await projects();
    const rates = async (basis = 'count') => (await ctx.server.json(`/api/supervision/rates?rounds=${round.id}&basis=${basis}&asOf=${AS_OF}`)).body;
    const planner = await ctx.server.as('planner');
    const add = (projectId: unknown, batch: unknown, who = planner) =>
      who.send('POST', `/api/supervision/rounds/${round.id}/entries`, { project_id: projectId, batch });

    expect((await add(started[0].id, 'signed')).status).toBe(201);
    let r = await rates();
    expect(r.start).toMatchObject({ base: [started[0].id], achieved: [started[0].id], share: 1 });
    const added = await add(notStarted.id, 'signed');
    expect(added.status).toBe(201);
    expect(added.body.entries.map((e: any) => [e.project_id, e.batch]).sort()).toEqual(
      [
        [started[0].id, 'signed'],
        [notStarted.id, 'signed'],
      ].sort(),
    );
    r = await rates();
    expect(r.start.share).toBe(0.5);
    const inv = await rates('investment');
    expect(inv.start.share).toBeCloseTo(started[0].total_investment_wan / (started[0].total_investment_wan + notStarted.total_investment_wan), 12);
    // The round list counts them.
    const listed = (await ctx.server.json('/api/supervision/rounds')).body.rounds.find((x: any) => x.id === round.id);
    expect(listed).toMatchObject({ signed: 2, started: 0, producing: 0 });

    const before = await state();
    const same = await add(notStarted.id, 'signed');
    expect(same.status).toBe(409);
    expect(same.body.error.message).toMatch(/已在本轮的签约一批中/);
    const other = await add(notStarted.id, 'started');
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/一个项目在一轮中只列入一个批次/);
    const unknown = await add(999999, 'signed');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/没有编号为 999999 的项目/);
    expect((await add(started[1].id, 'finished')).status).toBe(400);
    expect((await add('12', 'signed')).status).toBe(400);
    expect((await planner.send('POST', '/api/supervision/rounds/999999/entries', { project_id: started[1].id, batch: 'signed' })).status).toBe(404);
    expect((await add(started[1].id, 'signed', await ctx.server.as('viewer'))).status).toBe(403);
    expect((await add(started[1].id, 'signed', await ctx.server.as('promoter'))).status).toBe(403);
    // A zone committee adds its own zone's projects only.
    const datong = await ctx.server.as('datong');
    const foreign = await add(started[1].id, 'signed', datong);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/只能添加本人负责的开发区的项目/);
    expect(await state()).toEqual(before);
    expect((await add(inDatong.id, 'producing', datong)).status).toBe(201);
    expect((await datong.send('DELETE', `/api/supervision/rounds/${round.id}/entries/${notStarted.id}`)).status).toBe(403);
    expect((await datong.send('DELETE', `/api/supervision/rounds/${round.id}/entries/${inDatong.id}`)).status).toBe(200);

    // The same project in another round is fine (a project may be in several rounds).
    const [latest] = await ctx.db.query<{ id: number }>("SELECT id FROM project_rounds WHERE name = '2026年第一次'");
    // Out of that round first (the demo may have put it there), so that the addition below always runs.
    await ctx.db.query('DELETE FROM project_round_entries WHERE round_id = $1 AND project_id = $2', [latest.id, notStarted.id]);
    expect((await planner.send('POST', `/api/supervision/rounds/${latest.id}/entries`, { project_id: notStarted.id, batch: 'signed' })).status).toBe(201);
    const [both] = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM project_round_entries WHERE round_id = ANY($1::int[]) AND project_id = $2',
      [[round.id, latest.id], notStarted.id],
    );
    expect(both.n).toBe(2);

    // Taking one out changes the rate back; taking it out twice is a clear 404.
    const removed = await planner.send('DELETE', `/api/supervision/rounds/${round.id}/entries/${notStarted.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.entries.map((e: any) => e.project_id)).toEqual([started[0].id]);
    expect((await rates()).start.share).toBe(1);
    const again = await planner.send('DELETE', `/api/supervision/rounds/${round.id}/entries/${notStarted.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/不在本轮的任何批次中/);

    const audits = await ctx.db.query<{ username: string; action: string; note: string; before: any; after: any }>(
      "SELECT username, action, note, before, after FROM audit_log WHERE entity = 'round' AND entity_id = $1 ORDER BY id",
      [round.id],
    );
    expect(audits.map((a) => [a.username, a.action, a.note])).toEqual([
      ['admin', 'create', null],
      ['planner', 'add_project', `signed ${started[0].id}`],
      ['planner', 'add_project', `signed ${notStarted.id}`],
      ['datong', 'add_project', `producing ${inDatong.id}`],
      ['datong', 'remove_project', `producing ${inDatong.id}`],
      ['planner', 'remove_project', `signed ${notStarted.id}`],
    ]);
    expect(audits[5].before.entries).toHaveLength(2);
    expect(audits[5].after.entries).toEqual([{ project_id: started[0].id, batch: 'signed' }]);
    // The round's history is readable like any record's.
    const history = (await ctx.server.json(`/api/history/round/${round.id}`)).body;
    expect(history.entries).toHaveLength(6);
  });

  it('renames a round with its version, refuses a stale version or a taken name, and deletes only an empty round', async () => {
    const planner = await ctx.server.as('planner');
    const round = (await planner.send('POST', '/api/supervision/rounds', { name: '2027年第一次', held_on: '2027-03-20' })).body;
    const renamed = await planner.send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 1, name: '2027年第一次（春季）', held_on: '2027-03-22' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '2027年第一次（春季）', held_on: '2027-03-22', version: 2 });
    const before = await state();
    const stale = await (await ctx.server.as('admin')).send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 1, name: '别的名称' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/changed by planner/);
    const taken = await planner.send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 2, name: '2024年第一次' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/已有名为“2024年第一次”的轮次/);
    expect((await planner.send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 2, name: '' })).status).toBe(400);
    expect((await planner.send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 2 })).status).toBe(400);
    expect((await planner.send('PATCH', `/api/supervision/rounds/${round.id}`, { name: '无版本' })).status).toBe(400);
    expect((await planner.send('PATCH', '/api/supervision/rounds/999999', { version: 1, name: '无此轮' })).status).toBe(404);
    expect((await (await ctx.server.as('viewer')).send('PATCH', `/api/supervision/rounds/${round.id}`, { version: 2, name: '只读' })).status).toBe(403);
    expect(await state()).toEqual(before);

    const [project] = await ctx.db.query<{ id: number }>('SELECT id FROM projects ORDER BY id LIMIT 1');
    expect((await planner.send('POST', `/api/supervision/rounds/${round.id}/entries`, { project_id: project.id, batch: 'started' })).status).toBe(201);
    const full = await planner.send('DELETE', `/api/supervision/rounds/${round.id}`);
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/仍列有 1 个项目/);
    expect((await (await ctx.server.as('promoter')).send('DELETE', `/api/supervision/rounds/${round.id}`)).status).toBe(403);
    expect((await planner.send('DELETE', `/api/supervision/rounds/${round.id}/entries/${project.id}`)).status).toBe(200);
    const deleted = await planner.send('DELETE', `/api/supervision/rounds/${round.id}`);
    expect(deleted.status).toBe(200);
    expect((await ctx.server.json(`/api/supervision/rounds/${round.id}`)).status).toBe(404);
    const [audit] = await ctx.db.query<{ action: string; before: any; after: any }>(
      "SELECT action, before, after FROM audit_log WHERE entity = 'round' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [round.id],
    );
    expect(audit).toMatchObject({ action: 'delete', after: null });
    expect(audit.before.name).toBe('2027年第一次（春季）');
  });
});

describe.each(dbTargets({ writable: true }))('yearly growth targets on $name', (target) => {
  const ctx = useApiServer(target);
  const targetsRow = async (zoneId: number, year: number) =>
    (
      await ctx.db.query('SELECT value_added_growth_target_pct, investment_growth_target_pct FROM zone_yearly_targets WHERE zone_id = $1 AND year = $2', [
        zoneId,
        year,
      ])
    )[0] ?? null;

  it("sets a zone's targets for a year; the 预警 and the chart's target follow; bad input and other roles change nothing", async () => {
    const [zone] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-SZJK'");
    const series = async () => (await ctx.server.json(`/api/indicators/monthly?zone=${zone.id}&month=2025-06`)).body.indicators.value_added;
    const old = await series();
    const growth = old.series[5].growthPct;
    expect(growth).toBeCloseTo(-9.8, 2);

    const listed = (await ctx.server.json('/api/indicators/targets?year=2025')).body;
    const mine = listed.zones.find((z: any) => z.zone_id === zone.id);
    expect(mine.value_added_growth_target_pct).toBe(old.target_pct);

    const body = { zone_id: zone.id, year: 2025, value_added_growth_target_pct: -12.5, investment_growth_target_pct: 8 };
    const before = await targetsRow(zone.id, 2025);
    const audits = async () => (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'zone_target'"))[0].n;
    const a0 = await audits();
    for (const who of ['viewer', 'promoter']) expect((await (await ctx.server.as(who)).send('PUT', '/api/indicators/targets', body)).status, who).toBe(403);
    expect((await (await ctx.server.as('datong')).send('PUT', '/api/indicators/targets', body)).status).toBe(403);
    const planner = await ctx.server.as('planner');
    const bad = async (b: unknown, re: RegExp) => {
      const r = await planner.send('PUT', '/api/indicators/targets', b);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(re);
    };
    await bad({ ...body, value_added_growth_target_pct: 250 }, /规上工业增加值增速目标须为大于 -100%、不超过 200% 的数/);
    await bad({ ...body, investment_growth_target_pct: -100 }, /工业投资增速目标/);
    await bad({ ...body, investment_growth_target_pct: '8' }, /investment_growth_target_pct: Invalid input: expected number, received string/);
    await bad({ ...body, year: 1899 }, /年份须为 1990—2100 之间的整数/);
    await bad({ ...body, year: 2025.5 }, /year: Invalid input: expected int, received number/);
    await bad({ ...body, value_added_growth_target_pct: 1e308 }, /value_added_growth_target_pct: Too big/);
    await bad({ ...body, zone_id: 999999 }, /Unknown zone 999999/);
    await bad({ ...body, zone_id: undefined }, /zone_id/);
    expect(await targetsRow(zone.id, 2025)).toEqual(before);
    expect(await audits()).toBe(a0);

    const saved = await planner.send('PUT', '/api/indicators/targets', body);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ year: 2025, zone_id: zone.id, value_added_growth_target_pct: -12.5, investment_growth_target_pct: 8 });
    const now = await series();
    expect(now.target_pct).toBe(-12.5);
    expect(now.series[5].gapPct).toBeCloseTo(-12.5 - growth, 10);
    expect(now.series[5].warning).toBe(false);
    const ranking = (await ctx.server.json(`/api/indicators/ranking?month=2025-06&city=${encodeURIComponent('朔州市')}`)).body;
    expect(ranking.zones.find((z: any) => z.zone_id === zone.id).status).toMatchObject({ targetPct: -12.5, warning: false });
    const [audit] = await ctx.db.query<{ username: string; action: string; note: string; before: any; after: any }>(
      "SELECT username, action, note, before, after FROM audit_log WHERE entity = 'zone_target' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [zone.id],
    );
    expect(audit).toMatchObject({ username: 'planner', action: 'update', note: '2025' });
    expect(audit.before?.value_added_growth_target_pct ?? null).toBe(before?.value_added_growth_target_pct ?? null);
    expect(audit.after.value_added_growth_target_pct).toBe(-12.5);

    // A target above the growth flags the zone behind it, with the gap.
    await planner.send('PUT', '/api/indicators/targets', { ...body, value_added_growth_target_pct: 6 });
    const behind = await series();
    expect(behind.series[5]).toMatchObject({ targetPct: 6, warning: true });
    expect(behind.series[5].gapPct).toBeCloseTo(6 - growth, 10);

    // Both empty: no target, no 预警.
    const cleared = await planner.send('PUT', '/api/indicators/targets', {
      zone_id: zone.id,
      year: 2025,
      value_added_growth_target_pct: null,
      investment_growth_target_pct: null,
    });
    expect(cleared.status).toBe(200);
    expect(await targetsRow(zone.id, 2025)).toBeNull();
    expect((await series()).series[5]).toMatchObject({ targetPct: null, warning: false });
    expect((await ctx.server.json('/api/indicators/targets?year=1800')).status).toBe(400);
    expect((await ctx.server.json('/api/indicators/targets?yr=2025')).status).toBe(400);
  });
});
