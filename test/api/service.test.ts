/**
 * 前期手续, 包联 and the problem list through the API on both databases: who may change what (an agent only on
 * the projects assigned to them, zone limits), impossible dates refused with the database unchanged, items moved
 * to done making a project ready, problems escalated to the province, imports all or nothing, the figures against
 * an independent count, the to-do list, the webhook reminder reaching a local receiver, and the audit log.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { todayIso } from '../../domain/dates.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(dbTargets({ writable: true }))('前期手续 and problems on $name', (target) => {
  const ctx = useApiServer(target);
  const auditCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n;
  const zoneOf = async (code: string) => (await ctx.db.query<{ id: number }>('SELECT id FROM zones WHERE code = $1', [code]))[0].id;
  const userId = async (username: string) => (await ctx.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0].id;

  /** A project of the agent's zone the agent answers for, and one it does not. */
  async function agentProjects() {
    const daiban = await userId('daiban');
    const dtjk = await zoneOf('SX-DTJK');
    const mine = await ctx.db.query<{ id: number }>(
      'SELECT DISTINCT p.id FROM projects p JOIN project_people pp ON pp.project_id = p.id WHERE pp.user_id = $1 AND p.zone_id = $2 ORDER BY p.id',
      [daiban, dtjk],
    );
    const others = await ctx.db.query<{ id: number }>(
      `SELECT p.id FROM projects p WHERE p.zone_id = $2 AND EXISTS (SELECT 1 FROM project_service_items pi WHERE pi.project_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM project_people pp WHERE pp.project_id = p.id AND pp.user_id = $1)
         AND NOT EXISTS (SELECT 1 FROM project_service_items pi WHERE pi.project_id = p.id AND pi.agent_user_id = $1) ORDER BY p.id`,
      [daiban, dtjk],
    );
    return { mine: mine[0].id, other: others[0].id };
  }
  const openItemOf = async (projectId: number) =>
    (
      await ctx.db.query<{ id: number; version: number }>(
        "SELECT id, version FROM project_service_items WHERE project_id = $1 AND state IN ('not_started', 'accepted', 'in_progress') ORDER BY state = 'not_started' DESC, id LIMIT 1",
        [projectId],
      )
    )[0];

  it('is internal: anonymous callers are refused, viewers read but do not write, nothing reaches the public routes', async () => {
    const { mine } = await agentProjects();
    expect((await ctx.server.anonymous.get(`/api/service/projects/${mine}`)).status).toBe(401);
    expect((await ctx.server.anonymous.get('/api/todo')).status).toBe(401);
    const viewer = await ctx.server.as('viewer');
    const seen = await viewer.json(`/api/service/projects/${mine}`);
    expect(seen.status).toBe(200);
    expect(seen.body.items.length).toBeGreaterThan(5);
    expect(seen.body.can_edit).toBe(false);
    expect(seen.body.people.map((p: { role: string }) => p.role)).toEqual(expect.arrayContaining(['leader', 'head', 'agent']));
    const item = await openItemOf(mine);
    const refused = await viewer.send('PATCH', `/api/service/items/${item.id}`, { version: item.version, changes: { note: '只读用户' } });
    expect(refused.status).toBe(403);
    const raise = await viewer.send('POST', '/api/service/problems', { project_id: mine, kind: 'land', title: '只读用户的问题' });
    expect(raise.status).toBe(403);
    const publicText = JSON.stringify(await (await ctx.server.anonymous.get('/api/public/parcels')).json());
    expect(publicText).not.toContain('代办');
  });

  it('lets an agent update the items of the projects assigned to them, and no others (403, nothing written)', async () => {
    const { mine, other } = await agentProjects();
    const agent = await ctx.server.as('daiban');
    const own = await openItemOf(mine);
    const today = todayIso();
    const before = await auditCount();
    const ok = await agent.send('PATCH', `/api/service/items/${own.id}`, { version: own.version, changes: { state: 'accepted', accepted_on: today } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ state: 'accepted', accepted_on: today, version: own.version + 1, light: 'green' });
    expect(await auditCount()).toBe(before + 1);
    const [entry] = await ctx.db.query<{ username: string; entity: string; before: { state: string }; after: { state: string } }>(
      "SELECT username, entity, before, after FROM audit_log WHERE entity = 'project_service_item' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [own.id],
    );
    expect(entry).toMatchObject({ username: 'daiban', after: { state: 'accepted' } });

    // Not assigned: refused, nothing changes.
    const foreign = await openItemOf(other);
    const refused = await agent.send('PATCH', `/api/service/items/${foreign.id}`, { version: foreign.version, changes: { note: '越权' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('代办员只能更新本人负责项目的事项');
    // Another zone: refused as well.
    const [away] = await ctx.db.query<{ id: number; version: number }>(
      'SELECT pi.id, pi.version FROM project_service_items pi JOIN projects p ON p.id = pi.project_id WHERE p.zone_id <> $1 ORDER BY pi.id LIMIT 1',
      [await zoneOf('SX-DTJK')],
    );
    expect((await agent.send('PATCH', `/api/service/items/${away.id}`, { version: away.version, changes: { note: '越权' } })).status).toBe(403);
    // An agent neither reassigns agents nor edits the catalogue.
    expect((await agent.send('PATCH', `/api/service/items/${own.id}`, { version: own.version + 1, changes: { agent_name: '别人' } })).status).toBe(403);
    expect((await agent.send('POST', '/api/service/catalogue', { name: '代办员新事项', department: '某局', limit_working_days: 5 })).status).toBe(403);
    expect(await auditCount()).toBe(before + 1);
    const [after] = await ctx.db.query<{ version: number; note: string | null }>('SELECT version, note FROM project_service_items WHERE id = $1', [foreign.id]);
    expect(after.version).toBe(foreign.version);
  });

  it('keeps zone limits: a zone committee changes only its own projects', async () => {
    const [away] = await ctx.db.query<{ id: number; version: number; project_id: number }>(
      'SELECT pi.id, pi.version, pi.project_id FROM project_service_items pi JOIN projects p ON p.id = pi.project_id WHERE p.zone_id <> $1 ORDER BY pi.id LIMIT 1',
      [await zoneOf('SX-DTJK')],
    );
    const datong = await ctx.server.as('datong');
    expect((await datong.send('PATCH', `/api/service/items/${away.id}`, { version: away.version, changes: { note: '越区' } })).status).toBe(403);
    expect((await datong.send('POST', `/api/service/projects/${away.project_id}/people`, { role: 'team', name: '越区专班' })).status).toBe(403);
    expect((await datong.send('POST', '/api/service/problems', { project_id: away.project_id, kind: 'land', title: '越区问题' })).status).toBe(403);
  });

  it('refuses impossible dates with a clear 400 and changes nothing', async () => {
    const planner = await ctx.server.as('planner');
    const { other } = await agentProjects();
    const item = await openItemOf(other);
    const before = await auditCount();
    const cases = [
      { changes: { state: 'done', accepted_on: '2026-03-10', done_on: '2026-03-01' }, field: 'done_on' },
      { changes: { state: 'done', accepted_on: null, done_on: '2026-03-01' }, field: 'accepted_on' },
      { changes: { state: 'in_progress', accepted_on: '2026-03-10', started_on: '2026-03-05' }, field: 'started_on' },
      { changes: { state: 'accepted', accepted_on: '2099-01-01' }, field: 'accepted_on' },
      { changes: { state: 'finished' }, field: 'changes.state' },
      { changes: { accepted_on: '2026-02-30' }, field: 'changes.accepted_on' },
    ];
    for (const c of cases) {
      const res = await planner.send('PATCH', `/api/service/items/${item.id}`, { version: item.version, changes: c.changes });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(c.field);
      expect(res.body.error.details.fields[0].message_zh).toBeTruthy();
    }
    // 承诺制 on an item that may not go under it.
    const [noCommit] = await ctx.db.query<{ id: number; version: number }>(
      'SELECT pi.id, pi.version FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id WHERE NOT s.may_commit AND pi.project_id = $1 LIMIT 1',
      [other],
    );
    expect((await planner.send('PATCH', `/api/service/items/${noCommit.id}`, { version: noCommit.version, changes: { committed: true } })).status).toBe(400);
    // A stale version: 409.
    expect((await planner.send('PATCH', `/api/service/items/${item.id}`, { version: item.version + 5, changes: { note: 'x' } })).status).toBe(409);
    expect(await auditCount()).toBe(before);
    const [row] = await ctx.db.query<{ version: number }>('SELECT version FROM project_service_items WHERE id = $1', [item.id]);
    expect(row.version).toBe(item.version);
  });

  it('makes a project ready (具备开工条件) when its last required items are done', async () => {
    const planner = await ctx.server.as('planner');
    const [project] = await ctx.db.query<{ project_id: number }>(
      `SELECT pi.project_id FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id
       WHERE s.required_before_start AND pi.state NOT IN ('done', 'not_applicable') GROUP BY pi.project_id ORDER BY pi.project_id LIMIT 1`,
    );
    const start = (await planner.json(`/api/service/projects/${project.project_id}`)).body;
    expect(start.ready).toBe(false);
    const today = todayIso();
    const pending = start.items.filter(
      (i: { required_before_start: boolean; state: string }) => i.required_before_start && !['done', 'not_applicable'].includes(i.state),
    );
    for (const [n, i] of pending.entries()) {
      const changes = n === 0 ? { state: 'not_applicable' } : { state: 'done', accepted_on: i.accepted_on ?? today, started_on: i.started_on, done_on: today };
      const res = await planner.send('PATCH', `/api/service/items/${i.id}`, { version: i.version, changes });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const end = (await planner.json(`/api/service/projects/${project.project_id}`)).body;
    expect(end.ready).toBe(true);
    expect(end.required_done).toBe(end.required);
  });

  it('adds items from the catalogue, the whole catalogue at once, and people', async () => {
    const planner = await ctx.server.as('planner');
    const [bare] = await ctx.db.query<{ id: number }>(
      'SELECT id FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_service_items pi WHERE pi.project_id = p.id) ORDER BY id LIMIT 1',
    );
    const [{ n: active }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM service_items WHERE active');
    const one = await planner.send('POST', `/api/service/projects/${bare.id}/items`, { item_ids: [1] });
    expect(one.status).toBe(200);
    expect(one.body.items).toHaveLength(1);
    const all = await planner.send('POST', `/api/service/projects/${bare.id}/items`, { all: true });
    expect(all.body.items).toHaveLength(active);
    expect(all.body.ready).toBe(false);
    expect((await planner.send('POST', `/api/service/projects/${bare.id}/items`, { item_ids: [999999] })).status).toBe(400);
    expect((await planner.send('POST', `/api/service/projects/${bare.id}/items`, {})).status).toBe(400);
    const agent = await userId('daiban');
    const people = await planner.send('POST', `/api/service/projects/${bare.id}/people`, { role: 'agent', user_id: agent });
    expect(people.status).toBe(201);
    expect(people.body.people[0]).toMatchObject({ role: 'agent', user_id: agent, name: '代办服务中心代办员' });
    expect((await planner.send('POST', `/api/service/projects/${bare.id}/people`, { role: 'leader' })).status).toBe(400);
    const leader = await planner.send('POST', `/api/service/projects/${bare.id}/people`, {
      role: 'leader',
      name: '县级包联领导',
      title: '副县长',
      phone: '0351-1234567',
    });
    expect(leader.body.people.map((p: { role: string }) => p.role)).toEqual(['leader', 'agent']);
  });

  it('raises, answers, escalates county → city → province and closes a problem, with its history', async () => {
    const { other } = await agentProjects();
    const promoter = await ctx.server.as('promoter');
    const planner = await ctx.server.as('planner');
    const daiban = await userId('daiban');
    const raised = await promoter.send('POST', '/api/service/problems', {
      project_id: other,
      kind: 'power',
      title: '测试：110千伏专线未接入',
      department: '供电公司',
      assignee_user_id: daiban,
      due_on: '2026-12-31',
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body).toMatchObject({ status: 'open', level: 'county', assignee_name: '代办服务中心代办员', raised_by_name: '招商局' });
    const id = raised.body.id;
    // The promoter is not the assignee and does not manage problems.
    expect((await promoter.send('POST', `/api/service/problems/${id}/answer`, { version: 1, answer: '不是我' })).status).toBe(403);
    // The assignee answers.
    const answered = await (await ctx.server.as('daiban')).send('POST', `/api/service/problems/${id}/answer`, { version: 1, answer: '已协调供电公司' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).toBe('answered');
    let version = answered.body.version;
    for (const level of ['city', 'province']) {
      const up = await planner.send('POST', `/api/service/problems/${id}/escalate`, { version, note: `上报${level}` });
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ level, status: 'open' });
      version = up.body.version;
    }
    const before = await auditCount();
    const top = await planner.send('POST', `/api/service/problems/${id}/escalate`, { version, note: '再上报' });
    expect(top.status).toBe(400);
    expect(top.body.error.details.message_zh).toContain('省级');
    expect(await auditCount()).toBe(before);
    const closed = await planner.send('POST', `/api/service/problems/${id}/close`, { version });
    expect(closed.body.status).toBe('closed');
    expect(closed.body.events.map((e: { action: string }) => e.action)).toEqual(['raise', 'answer', 'escalate', 'escalate', 'close']);
    expect(closed.body.events[3]).toMatchObject({ from_level: 'city', to_level: 'province' });
    expect((await planner.send('POST', `/api/service/problems/${id}/close`, { version: closed.body.version })).status).toBe(409);
    const audit = await ctx.db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'project_problem' AND entity_id = $1 ORDER BY id", [id]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'answer', 'escalate', 'escalate', 'close']);
    // Bad dates: a due date before the day raised.
    const bad = await promoter.send('POST', '/api/service/problems', {
      project_id: other,
      kind: 'land',
      title: 'x',
      raised_on: '2026-11-01',
      due_on: '2026-10-01',
    });
    expect(bad.status).toBe(400);
  });

  it('lists problems by zone, kind, status, overdue and person, with counts that add up', async () => {
    const planner = await ctx.server.as('planner');
    const today = todayIso();
    const listed = await planner.json('/api/service/problems?limit=500');
    expect(listed.status, JSON.stringify(listed.body).slice(0, 400)).toBe(200);
    const all = listed.body;
    const [{ n }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM project_problems');
    expect(all.total).toBe(n);
    expect(Object.values(all.counts.by_kind as Record<string, number>).reduce((s, v) => s + v, 0)).toBe(n);
    expect(all.counts.zones.reduce((s: number, z: { total: number }) => s + z.total, 0)).toBe(n);
    const overdue = (await planner.json('/api/service/problems?overdue=1&limit=500')).body;
    const [{ n: late }] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM project_problems WHERE status <> 'closed' AND due_on < $1::date", [
      today,
    ]);
    expect(overdue.total).toBe(late);
    expect(late).toBeGreaterThan(0);
    expect(overdue.problems.every((p: { overdue: boolean }) => p.overdue)).toBe(true);
    const land = (await planner.json('/api/service/problems?kind=land,energy&status=open,answered')).body;
    expect(land.problems.every((p: { kind: string; status: string }) => ['land', 'energy'].includes(p.kind) && p.status !== 'closed')).toBe(true);
    const dtjk = await zoneOf('SX-DTJK');
    const zone = (await planner.json(`/api/service/problems?zone=${dtjk}`)).body;
    expect(zone.problems.every((p: { zone_id: number }) => p.zone_id === dtjk)).toBe(true);
    const mine = (await planner.json(`/api/service/problems?person=${await userId('daiban')}`)).body;
    expect(mine.total).toBeGreaterThan(0);
    expect((await planner.json('/api/service/problems?kind=nonsense')).status).toBe(400);
  });

  it("shows a person's to-do list: overdue problems first, the agent's own among them", async () => {
    const todo = (await (await ctx.server.as('daiban')).json('/api/todo')).body;
    expect(todo.today).toBe(todayIso());
    expect(todo.projects.length).toBeGreaterThan(0);
    const flags = todo.problems.map((p: { overdue: boolean }) => p.overdue);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    const own = todo.problems.filter((p: { assignee_name: string }) => p.assignee_name === '代办服务中心代办员');
    expect(own.some((p: { overdue: boolean; title: string }) => p.overdue && p.title === '施工许可材料需补正')).toBe(true);
    expect(todo.items.every((i: { overdue: boolean; due_soon: boolean }) => i.overdue || i.due_soon)).toBe(true);
    if (todo.items.length) expect(todo.items[0].overdue || !todo.items.some((i: { overdue: boolean }) => i.overdue)).toBe(true);
    // A viewer answers for nothing.
    const none = (await (await ctx.server.as('viewer')).json('/api/todo')).body;
    expect(none).toMatchObject({ items: [], problems: [], projects: [] });
  });

  it('computes the figures as an independent count does, and exports them to Excel', async () => {
    const planner = await ctx.server.as('planner');
    const dtjk = await zoneOf('SX-DTJK');
    const today = todayIso();
    const from = `${today.slice(0, 4)}-01-01`;
    const f = await planner.json(`/api/service/figures?zone=${dtjk}&from=${from}&to=${today}`);
    expect(f.status).toBe(200);
    const [count] = await ctx.db.query<{ projects: number; applicable: number; done: number; committed: number; agent: number }>(
      `SELECT count(DISTINCT pi.project_id)::int AS projects, count(*) FILTER (WHERE pi.state <> 'not_applicable')::int AS applicable,
         count(*) FILTER (WHERE pi.state = 'done' AND pi.done_on <= $2::date)::int AS done,
         count(*) FILTER (WHERE pi.committed AND pi.state <> 'not_applicable')::int AS committed,
         count(*) FILTER (WHERE (pi.agent_user_id IS NOT NULL OR pi.agent_name IS NOT NULL) AND pi.state <> 'not_applicable')::int AS agent
       FROM project_service_items pi JOIN projects p ON p.id = pi.project_id WHERE p.zone_id = $1`,
      [dtjk, today],
    );
    expect(f.body.projects).toBe(count.projects);
    expect(f.body.items.applicable).toBe(count.applicable);
    expect(f.body.items.done).toBe(count.done);
    expect(f.body.committed.items).toBe(count.committed);
    expect(f.body.agent.items).toBe(count.agent);
    expect(f.body.items.doneShare).toBeCloseTo(count.done / count.applicable, 10);
    expect((await planner.json(`/api/service/figures?from=${today}&to=${from}`)).status).toBe(400);
    const file = await planner.get(`/api/service/figures.xlsx?zone=${dtjk}&from=${from}&to=${today}`);
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await file.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('指标 Figure');
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const applicable = rows.find((r) => String(r[1]).startsWith('适用事项'));
    expect(applicable?.[2]).toBe('项');
    expect(applicable?.[3]).toBe(count.applicable);
  });

  it('imports a catalogue and a project’s items all or nothing', async () => {
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'planner');
    const upload = (path: string, body: BodyInit, type: string) =>
      fetch(`${ctx.server.url}${path}`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': type }, body });
    const catalogueCount = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM service_items'))[0].n;
    const n0 = await catalogueCount();
    const audit0 = await auditCount();
    const bad = [
      '事项名称,审批部门,法定时限（工作日）,可承诺制,开工前必备',
      '测试事项甲,测试局,10,是,否',
      '测试事项乙,测试局,abc,是,是',
      ',测试局,5,也许,是',
    ].join('\n');
    const refused = await upload('/api/service/catalogue/import', bad, 'text/csv');
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.error.details.rows.map((r: { line: number }) => r.line)).toEqual([3, 4, 4]);
    expect(await catalogueCount()).toBe(n0);
    expect(await auditCount()).toBe(audit0);
    const good = ['事项名称,审批部门,法定时限（工作日）,可承诺制,开工前必备', '测试事项甲,测试局,10,是,否', '环境影响评价审批,生态环境局,25,是,是'].join('\n');
    const ok = await upload('/api/service/catalogue/import', good, 'text/csv');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ imported: 2, created: 1, updated: 1 });
    const [env] = await ctx.db.query<{ limit_working_days: number }>("SELECT limit_working_days FROM service_items WHERE name = '环境影响评价审批'");
    expect(env.limit_working_days).toBe(25);

    // A project's items from Excel, with real date cells.
    const [project] = await ctx.db.query<{ id: number }>(
      'SELECT id FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_service_items pi WHERE pi.project_id = p.id) ORDER BY id DESC LIMIT 1',
    );
    const workbook = async (rows: unknown[][]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('事项');
      sheet.addRow(['事项名称', '状态', '受理日期', '办理日期', '办结日期', '承诺制', '文号', '备注']);
      for (const r of rows) sheet.addRow(r);
      return Buffer.from(await book.xlsx.writeBuffer());
    };
    const itemsOf = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM project_service_items WHERE project_id = $1', [project.id]))[0].n;
    const badBook = await workbook([
      ['企业投资项目备案（核准）', '已办结', new Date(Date.UTC(2026, 2, 2)), null, new Date(Date.UTC(2026, 2, 4)), '否', '发改备〔2026〕1号', ''],
      ['用地预审与选址意见书', '已办结', new Date(Date.UTC(2026, 2, 10)), null, new Date(Date.UTC(2026, 2, 1)), '否', '', ''],
      ['不存在的事项', '办理中', '2026-03-01', '', '', '', '', ''],
    ]);
    const refusedItems = await upload(`/api/service/projects/${project.id}/items/import`, badBook, XLSX);
    expect(refusedItems.status).toBe(422);
    expect((await refusedItems.json()).error.details.rows.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(await itemsOf()).toBe(0);
    const goodBook = await workbook([
      ['企业投资项目备案（核准）', '已办结', new Date(Date.UTC(2026, 2, 2)), null, new Date(Date.UTC(2026, 2, 4)), '否', '发改备〔2026〕1号', ''],
      ['环境影响评价审批', '办理中', '2026-03-05', '2026-03-06', '', '是', '', '承诺制办理'],
      ['取水许可', '不适用', '', '', '', '', '', ''],
    ]);
    const imported = await upload(`/api/service/projects/${project.id}/items/import`, goodBook, XLSX);
    expect(imported.status, await imported.clone().text()).toBe(200);
    const checklist = (await (await ctx.server.as('planner')).json(`/api/service/projects/${project.id}`)).body;
    expect(checklist.items.map((i: { name: string; state: string; done_on: string | null }) => [i.name, i.state, i.done_on])).toEqual([
      ['企业投资项目备案（核准）', 'done', '2026-03-04'],
      ['环境影响评价审批', 'in_progress', null],
      ['取水许可', 'not_applicable', null],
    ]);
    // The agent may not import.
    const agentSession = await signIn(ctx.server.url, 'daiban');
    const agentUpload = await fetch(`${ctx.server.url}/api/service/catalogue/import`, {
      method: 'POST',
      headers: { Cookie: agentSession.cookie, 'X-CSRF-Token': agentSession.csrfToken, 'Content-Type': 'text/csv' },
      body: good,
    });
    expect(agentUpload.status).toBe(403);
  });

  it('sends the overdue reminders to a webhook receiver, and nothing when none is set', async () => {
    const received: { body: unknown; type: string | undefined }[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ body: JSON.parse(data), type: req.headers['content-type'] });
        res.setHeader('Content-Type', 'application/json');
        res.end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const admin = await ctx.server.as('admin');
      const unset = await admin.send('POST', '/api/service/reminders/send', {});
      expect(unset.status).toBe(200);
      expect(unset.body).toMatchObject({ configured: false, sent: 0 });
      expect(received).toHaveLength(0);
      expect((await (await ctx.server.as('planner')).send('POST', '/api/service/reminders/send', {})).status).toBe(403);
      expect((await admin.send('PUT', '/api/service/reminders/settings', { version: 0, url: 'ftp://example.org/x' })).status).toBe(400);

      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cgi-bin/webhook/send?key=test`;
      const saved = await admin.send('PUT', '/api/service/reminders/settings', { version: 0, url });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ url, from_env: false, version: 1 });
      const sent = await admin.send('POST', '/api/service/reminders/send', {});
      expect(sent.status).toBe(200);
      expect(sent.body.configured).toBe(true);
      expect(sent.body.sent).toBe(sent.body.people);
      expect(sent.body.sent).toBeGreaterThan(0);
      expect(received).toHaveLength(sent.body.sent);
      expect(received[0].type).toContain('application/json');
      const agentMessage = received.find((r) => (r.body as { text: { content: string } }).text.content.includes('代办服务中心代办员'));
      expect(agentMessage?.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('逾期问题') } });
      expect((agentMessage!.body as { text: { content: string } }).text.content).toContain('施工许可材料需补正');
      const [audit] = await ctx.db.query<{ note: string }>("SELECT note FROM audit_log WHERE action = 'remind' ORDER BY id DESC LIMIT 1");
      expect(audit.note).toContain(`${sent.body.sent} sent`);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('keeps the catalogue: planners add and change items, an item in use is not deleted', async () => {
    const planner = await ctx.server.as('planner');
    const created = await planner.send('POST', '/api/service/catalogue', { name: '临时占道许可', department: '城市管理局', limit_working_days: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ may_commit: false, required_before_start: true, used_by: 0, version: 1 });
    expect((await planner.send('POST', '/api/service/catalogue', { name: '临时占道许可', department: '城市管理局', limit_working_days: 5 })).status).toBe(409);
    const changed = await planner.send('PATCH', `/api/service/catalogue/${created.body.id}`, {
      version: 1,
      changes: { limit_working_days: 3, may_commit: true },
    });
    expect(changed.body).toMatchObject({ limit_working_days: 3, may_commit: true, version: 2 });
    expect((await planner.send('DELETE', `/api/service/catalogue/${created.body.id}`)).status).toBe(200);
    expect((await planner.send('DELETE', '/api/service/catalogue/1')).status).toBe(409);
    expect((await planner.send('POST', '/api/service/catalogue', { name: '零时限', department: '某局', limit_working_days: 0 })).status).toBe(400);
    const datong = await ctx.server.as('datong');
    expect((await datong.send('POST', '/api/service/catalogue', { name: '园区自定事项', department: '某局', limit_working_days: 5 })).status).toBe(403);
  });
});
