/**
 * Project supervision and zone indicators over HTTP, on both databases: the rates against a count made
 * here in SQL, the 三未 and light reports and their exports, settings, monthly figures (form and upload,
 * all-or-nothing), the briefing's PDF, and a parcel following its project.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

const AS_OF = '2026-10-31';
const REACHED = (stage: 'started' | 'producing' | 'at_capacity') => {
  const later = { started: ['started', 'producing', 'at_capacity'], producing: ['producing', 'at_capacity'], at_capacity: ['at_capacity'] }[stage];
  return `(${later.map((s) => `pr.${s}_date <= '${AS_OF}'`).join(' OR ')})`;
};

describe.each(dbTargets({ writable: true }))('project supervision on $name', (target) => {
  const ctx = useApiServer(target);

  it('lists the rounds with their batches', async () => {
    const { status, body } = await ctx.server.json('/api/supervision/rounds');
    expect(status).toBe(200);
    const [count] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM project_round_entries');
    expect(body.rounds.length).toBeGreaterThanOrEqual(2);
    expect(body.rounds.reduce((s: number, r: any) => s + r.signed + r.started + r.producing, 0)).toBe(count.n);
    expect(body.rounds.map((r: any) => r.held_on)).toEqual([...body.rounds.map((r: any) => r.held_on)].sort());
  });

  it('gives the three rates by count and by investment, equal to a count made in SQL, with the projects behind them', async () => {
    const [round] = await ctx.db.query<{ id: number }>("SELECT id FROM project_rounds WHERE name = '2025年第一次'");
    const [sql] = await ctx.db.query<{ base: number; hit: number; base_wan: number; hit_wan: number }>(
      `SELECT count(*)::int AS base, (count(*) FILTER (WHERE ${REACHED('started')}))::int AS hit,
         sum(pr.total_investment_wan) AS base_wan, coalesce(sum(pr.total_investment_wan) FILTER (WHERE ${REACHED('started')}), 0) AS hit_wan
       FROM project_round_entries e JOIN projects pr ON pr.id = e.project_id WHERE e.round_id = $1 AND e.batch = 'signed'`,
      [round.id],
    );
    const count = (await ctx.server.json(`/api/supervision/rates?rounds=${round.id}&basis=count&asOf=${AS_OF}`)).body;
    expect(count.basis).toBe('count');
    expect(count.start.base.length).toBe(sql.base);
    expect(count.start.achieved.length).toBe(sql.hit);
    expect(count.start.share).toBeCloseTo(sql.hit / sql.base, 12);
    const inv = (await ctx.server.json(`/api/supervision/rates?rounds=${round.id}&basis=investment&asOf=${AS_OF}`)).body;
    expect(inv.start.denominator).toBeCloseTo(sql.base_wan, 6);
    expect(inv.start.numerator).toBeCloseTo(sql.hit_wan, 6);
    // 开工投产率 by investment: completed investment of the producing ÷ total of the started batch.
    const [p] = await ctx.db.query<{ num: number; den: number }>(
      `SELECT coalesce(sum(pr.completed_investment_wan) FILTER (WHERE ${REACHED('producing')}), 0) AS num, sum(pr.total_investment_wan) AS den
       FROM project_round_entries e JOIN projects pr ON pr.id = e.project_id WHERE e.round_id = $1 AND e.batch = 'started'`,
      [round.id],
    );
    expect(inv.produce.share).toBeCloseTo(p.num / p.den, 12);
    // Every id behind a number is described in the projects list.
    const ids = new Set(inv.projects.map((x: any) => x.id));
    for (const r of [inv.start, inv.produce, inv.capacity]) for (const id of r.base) expect(ids.has(id)).toBe(true);
    expect(inv.rounds.map((r: any) => r.id)).toEqual([round.id]);
  });

  it('narrows rates to a zone or a city, takes ranges of rounds, and gives "—" (null) when a batch is empty', async () => {
    const all = (await ctx.server.json(`/api/supervision/rates?basis=count&asOf=${AS_OF}`)).body;
    const city = (await ctx.server.json(`/api/supervision/rates?city=${encodeURIComponent('朔州市')}&basis=count&asOf=${AS_OF}`)).body;
    expect(city.scope.label).toBe('朔州市');
    expect(city.start.base.length).toBeLessThan(all.start.base.length);
    expect(city.projects.every((p: any) => p.zone_name && p.zone_id)).toBe(true);
    const rounds = (await ctx.server.json('/api/supervision/rounds')).body.rounds;
    const range = (await ctx.server.json(`/api/supervision/rates?rounds=${rounds[0].id}-${rounds[1].id}&basis=count&asOf=${AS_OF}`)).body;
    expect(range.rounds.map((r: any) => r.id)).toEqual([rounds[0].id, rounds[1].id]);
    // A date before any project started: nothing reached → 0, and a zone with no listed project → null.
    const early = (await ctx.server.json(`/api/supervision/rates?rounds=${rounds[0].id}&basis=count&asOf=1990-01-01`)).body;
    // The first round's 签约一批 lists projects (21 in the demo), none of them started by 1990: exactly 0.
    const [signed] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM project_round_entries WHERE round_id = $1 AND batch = 'signed'", [
      rounds[0].id,
    ]);
    expect(signed.n).toBeGreaterThan(0);
    expect(early.start.share).toBe(0);
    // A zone none of whose projects is listed in the second round: an empty batch has no rate (null, shown "—").
    const [emptyZone] = await ctx.db.query<{ id: number }>(
      'SELECT z.id FROM zones z WHERE NOT EXISTS (SELECT 1 FROM projects pr JOIN project_round_entries e ON e.project_id = pr.id WHERE pr.zone_id = z.id AND e.round_id = $1) ORDER BY z.id LIMIT 1',
      [rounds[1].id],
    );
    expect(emptyZone).toBeDefined();
    const none = (await ctx.server.json(`/api/supervision/rates?rounds=${rounds[1].id}&zone=${emptyZone.id}`)).body;
    expect(none.start.share).toBeNull();
  });

  it('refuses bad parameters with a clear 400', async () => {
    const bad = async (q: string, re: RegExp) => {
      const r = await ctx.server.json(`/api/supervision/rates?${q}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(re);
      return r;
    };
    // The form of each parameter is the route's contract's: it names the field, in English and Chinese.
    const basis = await bad('basis=money', /basis: Invalid option: expected one of "investment"\|"count"/);
    expect(basis.body.error.details.fields).toEqual([expect.objectContaining({ field: 'basis', message_zh: expect.stringMatching(/无效选项/) })]);
    await bad('rounds=abc', /rounds: must be a list of round ids "1,2" or a range "1-3"/);
    await bad('rounds=999', /Unknown round 999/);
    await bad('rounds=5-1', /runs backwards/);
    await bad(`city=${encodeURIComponent('无此市')}`, /Unknown city/);
    await bad(`zone=1&city=${encodeURIComponent('朔州市')}`, /either "zone" or "city"/);
    await bad('asOf=2026-13-01', /asOf: is not a real calendar date/);
    // Before 1990: the contract's one date rule (1990–2100), with its Chinese text.
    const early = await bad('asOf=1980-01-01', /asOf: is not a real calendar date between 1990 and 2100/);
    expect(early.body.error.details.fields).toEqual([expect.objectContaining({ field: 'asOf', message_zh: '不是 1990–2100 年间的有效日期' })]);
    await bad('colour=red', /unknown parameter "colour"; allowed: rounds, zone, city, county, basis, asOf/);
    expect((await ctx.server.json('/api/supervision/lights?light=blue')).status).toBe(400);
    expect((await ctx.server.json('/api/supervision/sanwei?kind=lazy')).status).toBe(400);
    expect((await ctx.server.anonymous.json('/api/supervision/rates')).status).toBe(401);
  });

  it('lists the 三未 projects with how long they are stuck, and exports them to Excel and CSV', async () => {
    const { body } = await ctx.server.json(`/api/supervision/sanwei?asOf=${AS_OF}`);
    expect(body.projects.length).toBeGreaterThan(10);
    const kinds = new Set(body.projects.map((p: any) => p.kind));
    expect([...kinds].sort()).toEqual(['landed_not_producing', 'producing_not_effective', 'signed_not_landed']);
    for (const p of body.projects) {
      expect(p.days).toBe(Math.round((Date.parse(AS_OF) - Date.parse(p.since)) / 86_400_000));
      if (p.kind === 'signed_not_landed') expect(p.landed_date === null || p.landed_date > AS_OF).toBe(true);
      if (p.kind === 'producing_not_effective') expect(p.output_share < 1 || p.tax_share < 1).toBe(true);
    }
    const zoneTotal = body.zones.reduce((s: number, z: any) => s + z.signed_not_landed + z.landed_not_producing + z.producing_not_effective, 0);
    expect(zoneTotal).toBe(body.projects.length);

    const xlsx = await ctx.server.get(`/api/supervision/sanwei?asOf=${AS_OF}&format=xlsx`);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['签而未落', '落而未投', '投而未效', '开发区汇总']);
    const sheet = book.getWorksheet('签而未落')!;
    expect(sheet.getRow(1).getCell(8).value).toBe('滞留天数');
    expect(sheet.rowCount - 1).toBe(body.projects.filter((p: any) => p.kind === 'signed_not_landed').length);

    const csv = await ctx.server.get(`/api/supervision/sanwei?asOf=${AS_OF}&format=csv&kind=landed_not_producing`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\n');
    expect(lines.length - 1).toBe(body.projects.filter((p: any) => p.kind === 'landed_not_producing').length);
  });

  it('counts the lights per zone; the map pins carry and filter by them; thresholds are an audited administrator setting', async () => {
    const before = (await ctx.server.json(`/api/supervision/lights?asOf=${AS_OF}`)).body;
    const [n] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects');
    expect(Object.values(before.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(n.n);
    expect(before.counts.red).toBeGreaterThan(0);
    expect(before.counts.green).toBeGreaterThan(0);
    expect(before.counts.yellow).toBeGreaterThan(0);
    for (const p of before.projects) {
      if (p.light === 'red') expect(p.days_late).toBeGreaterThan(before.thresholds.redAfterDays);
      if (p.light === 'yellow') expect(p.days_late).toBeGreaterThan(before.thresholds.yellowAfterDays);
    }
    const zone = before.zones[0];
    const one = (await ctx.server.json(`/api/supervision/lights?zone=${zone.zone_id}&light=red&asOf=${AS_OF}`)).body;
    expect(one.projects.length).toBe(zone.counts.red);
    const pins = (await ctx.server.json(`/api/projects?zone=${zone.zone_id}&light=red&asOf=${AS_OF}`)).body;
    expect(pins.features.map((f: any) => f.id).sort()).toEqual(one.projects.map((p: any) => p.id).sort());
    expect(pins.features.every((f: any) => f.properties.light === 'red')).toBe(true);

    const planner = await ctx.server.as('planner');
    expect((await planner.send('PUT', '/api/supervision/settings', { version: 0, lights: { yellowAfterDays: 30, redAfterDays: 365 } })).status).toBe(403);
    const admin = await ctx.server.as('admin');
    const wrong = await admin.send('PUT', '/api/supervision/settings', { version: 0, lights: { yellowAfterDays: 30, redAfterDays: 10 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/红灯天数须大于黄灯天数/);
    const saved = await admin.send('PUT', '/api/supervision/settings', { version: 0, lights: { yellowAfterDays: 30, redAfterDays: 365 } });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    expect((await admin.send('PUT', '/api/supervision/settings', { version: 0, lights: { yellowAfterDays: 1, redAfterDays: 2 } })).status).toBe(409);
    const after = (await ctx.server.json(`/api/supervision/lights?asOf=${AS_OF}`)).body;
    expect(after.thresholds).toEqual({ yellowAfterDays: 30, redAfterDays: 365 });
    expect(after.counts.red).toBeLessThan(before.counts.red);
    const [audit] = await ctx.db.query<{ username: string; after: any }>(
      "SELECT username, after FROM audit_log WHERE entity = 'setting' AND note = 'project_light_thresholds' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.username).toBe('admin');
    expect(audit.after.redAfterDays).toBe(365);
  });
});

describe.each(dbTargets({ writable: true }))('zone monthly indicators on $name', (target) => {
  const ctx = useApiServer(target);
  const zoneId = async (code: string) => (await ctx.db.query<{ id: number }>('SELECT id FROM zones WHERE code = $1', [code]))[0].id;

  it('gives 朔州经开区 the reported H1 2025 figures: 19.27 亿元, −9.8 %', async () => {
    const id = await zoneId('SX-SZJK');
    const { status, body } = await ctx.server.json(`/api/indicators/monthly?zone=${id}&month=2025-06`);
    expect(status).toBe(200);
    const june = body.indicators.value_added.series[5];
    expect(june.month).toBe('2025-06');
    expect(june.cumulativeWan).toBeCloseTo(192700, 2);
    expect(june.growthPct).toBeCloseTo(-9.8, 2);
    expect(body.indicators.investment.series[5].growthPct).toBeCloseTo(-14.5, 2);
    expect(june.warning).toBe(june.targetPct !== null && june.growthPct < june.targetPct);
    expect(body.indicators.value_added.series).toHaveLength(6);
  });

  it('ranks the zones of a city by growth and flags those behind target with the gap', async () => {
    const { body } = await ctx.server.json(`/api/indicators/ranking?month=2025-06&city=${encodeURIComponent('朔州市')}&indicator=investment`);
    expect(body.zones.length).toBe(6);
    const growths = body.zones.filter((z: any) => z.rank !== null).map((z: any) => z.status.growthPct);
    expect(growths).toEqual([...growths].sort((a: number, b: number) => b - a));
    const pinglu = body.zones.find((z: any) => z.name === '平鲁经济技术开发区');
    expect(pinglu.status.growthPct).toBeCloseTo(-42.8, 2);
    expect(pinglu.status.warning).toBe(true);
    expect(pinglu.status.gapPct).toBeCloseTo(pinglu.status.targetPct + 42.8, 2);
    expect(body.warnings).toBe(body.zones.filter((z: any) => z.status.warning).length);
    expect((await ctx.server.json('/api/indicators/ranking?month=2025-6')).status).toBe(400);
    expect((await ctx.server.json('/api/indicators/ranking?month=2025-06&indicator=gdp')).status).toBe(400);
  });

  it("enters a month's figures from the form: planners yes, viewers no, zone-limited users only their zones; audited", async () => {
    const id = await zoneId('SX-PLJK');
    const body = { zone_id: id, month: '2026-11', industrial_value_added_wan: 4321.5, industrial_investment_wan: 1200 };
    expect((await (await ctx.server.as('viewer')).send('PUT', '/api/indicators/monthly', body)).status).toBe(403);
    expect((await (await ctx.server.as('datong')).send('PUT', '/api/indicators/monthly', body)).status).toBe(403);
    const planner = await ctx.server.as('planner');
    const bad = await planner.send('PUT', '/api/indicators/monthly', { ...body, month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/月份“2026-13”不是 YYYY-MM 格式/);
    const ok = await planner.send('PUT', '/api/indicators/monthly', body);
    expect(ok.status).toBe(200);
    expect(ok.body.indicators.value_added.series[10].monthWan).toBe(4321.5);
    const [audit] = await ctx.db.query<{ username: string; after: any; note: string }>(
      "SELECT username, after, note FROM audit_log WHERE entity = 'zone_indicator' AND entity_id = $1 ORDER BY id DESC LIMIT 1",
      [id],
    );
    expect(audit).toMatchObject({ username: 'planner', note: '2026-11' });
    expect(audit.after.industrial_value_added_wan).toBe(4321.5);
  });

  it('imports a CSV upload whole or not at all, reporting every bad row with its line', async () => {
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'planner');
    const upload = (body: string, type: string) =>
      fetch(`${ctx.server.url}/api/indicators/upload`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': type }, body });
    const count = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM zone_monthly_indicators'))[0].n;
    const n0 = await count();
    const bad = [
      '开发区,月份,规上工业增加值（万元）,工业投资（万元）',
      '朔州经济技术开发区,2026-11,5000,2000',
      '无名开发区,2026-11,1,2',
      'SX-HRJK,2026-11,abc,',
      '"怀仁经济技术开发区",2026-11,,',
    ].join('\n');
    const r = await upload(bad, 'text/csv');
    expect(r.status).toBe(422);
    const e = await r.json();
    expect(e.error.details.rows.map((x: any) => x.line)).toEqual([3, 4, 5]);
    expect(e.error.message).toMatch(/第 3 行：未知的开发区“无名开发区”/);
    expect(e.error.message).toMatch(/line 4: value added "abc"/);
    expect(await count()).toBe(n0);

    const good = '\uFEFF开发区,月份,规上工业增加值（万元）,工业投资（万元）\n朔州经济技术开发区,2026-11,"5,000.5",2000\nSX-HRJK,2026/11,3000,\n';
    const ok = await upload(good, 'text/csv; charset=utf-8');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ imported: 2, months: ['2026-11'] });
    const id = await zoneId('SX-SZJK');
    const series = (await ctx.server.json(`/api/indicators/monthly?zone=${id}&month=2026-11`)).body;
    expect(series.indicators.value_added.series[10].monthWan).toBe(5000.5);
    expect(await count()).toBe(n0 + 2);
    const audits = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'zone_indicator' AND action = 'import'");
    expect(audits[0].n).toBe(2);
    // A viewer may not upload at all.
    const viewer = await signIn(ctx.server.url, 'viewer');
    const v = await fetch(`${ctx.server.url}/api/indicators/upload`, {
      method: 'POST',
      headers: { Cookie: viewer.cookie, 'X-CSRF-Token': viewer.csrfToken, 'Content-Type': 'text/csv' },
      body: good,
    });
    expect(v.status).toBe(403);
  });

  it('imports an Excel upload, months typed as dates too', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('月度指标');
    sheet.addRow(['开发区', '月份', '规上工业增加值（万元）', '工业投资（万元）']);
    sheet.addRow(['应县经济技术开发区', '2026-11', 800, 300]);
    sheet.addRow(['平鲁经济技术开发区', new Date(Date.UTC(2026, 10, 1)), 900, null]);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    const { cookie, csrfToken } = await signIn(ctx.server.url, 'admin');
    const res = await fetch(`${ctx.server.url}/api/indicators/upload`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: buffer,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).imported).toBe(2);
    const [row] = await ctx.db.query<{ v: number }>(
      "SELECT industrial_value_added_wan AS v FROM zone_monthly_indicators WHERE zone_id = $1 AND month = '2026-11-01'",
      [await zoneId('SX-YXIA')],
    );
    expect(row.v).toBe(800);
    const garbage = await fetch(`${ctx.server.url}/api/indicators/upload`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: Buffer.from('not a zip'),
    });
    expect(garbage.status).toBe(400);
    // A small workbook that would inflate far beyond its size (a zip bomb) is refused before it is inflated.
    const bomb = new JSZip();
    bomb.file('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024));
    const bombRes = await fetch(`${ctx.server.url}/api/indicators/upload`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: new Uint8Array(await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })),
    });
    expect(bombRes.status).toBe(400);
    expect((await bombRes.json()).error.message).toMatch(/zip bomb/);
  });

  it('counts by default every round held by the as-of date, the same rounds and rates as the briefing', async () => {
    const id = await zoneId('SX-SZJK');
    // Rounds held by 2025-06-30, listed here from the table: the demo's first three (2024 ×2, 2025-03-20).
    const held = await ctx.db.query<{ id: number; name: string }>("SELECT id, name FROM project_rounds WHERE held_on <= '2025-06-30' ORDER BY held_on, id");
    expect(held.map((r) => r.name)).toEqual(['2024年第一次', '2024年第二次', '2025年第一次']);
    const byDefault = (await ctx.server.json(`/api/supervision/rates?zone=${id}&asOf=2025-06-30`)).body;
    expect(byDefault.rounds.map((r: any) => r.id)).toEqual(held.map((r) => r.id));
    const chosen = (await ctx.server.json(`/api/supervision/rates?zone=${id}&asOf=2025-06-30&rounds=${held.map((r) => r.id).join(',')}`)).body;
    expect(byDefault.start).toEqual(chosen.start);
    const briefing = (await ctx.server.json(`/api/supervision/briefing?zone=${id}&month=2025-06`)).body;
    expect(briefing.rates.rounds).toEqual(byDefault.rounds);
    for (const k of ['start', 'produce', 'capacity']) expect(briefing.rates[k]).toEqual(byDefault[k]);
  });

  it('prints a briefing for a zone and a city as a PDF with the zone name (read back with pdftotext)', async () => {
    const id = await zoneId('SX-SZJK');
    const json = (await ctx.server.json(`/api/supervision/briefing?zone=${id}&month=2025-06`)).body;
    expect(json.title).toBe('朔州经济技术开发区 2025年6月项目建设与经济运行简报');
    expect(json.rates.basis).toBe('investment');
    const res = await ctx.server.get(`/api/supervision/briefing?city=${encodeURIComponent('朔州市')}&month=2025-06&format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'briefing-'));
    writeFileSync(path.join(dir, 'b.pdf'), pdf);
    const text = execFileSync('/usr/bin/pdftotext', [path.join(dir, 'b.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('朔州市 2025年6月项目建设与经济运行简报');
    expect(text).toContain('签约项目开工率');
    expect(text).toContain('平鲁经济技术开发区');
    expect(execFileSync('/usr/bin/pdfinfo', [path.join(dir, 'b.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    // The city with the most zones still gets one page.
    const big = await ctx.server.get(`/api/supervision/briefing?city=${encodeURIComponent('晋中市')}&month=2026-09&format=pdf`);
    writeFileSync(path.join(dir, 'big.pdf'), Buffer.from(await big.arrayBuffer()));
    expect(execFileSync('/usr/bin/pdfinfo', [path.join(dir, 'big.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    expect((await ctx.server.json('/api/supervision/briefing?month=2025-06')).status).toBe(400);
    expect((await ctx.server.json(`/api/supervision/briefing?zone=${id}`)).status).toBe(400);
    expect((await ctx.server.json(`/api/supervision/briefing?zone=${id},2&month=2025-06`)).status).toBe(400);
  });

  it('moves the linked parcel along when its project lands, and refuses stage dates out of order', async () => {
    const [pr] = await ctx.db.query<{ id: number; zone_id: number; version: number; signed_date: string }>(
      "SELECT id, zone_id, version, to_char(signed_date, 'YYYY-MM-DD') AS signed_date FROM projects WHERE stage = 'signed' AND parcel_id IS NULL ORDER BY id LIMIT 1",
    );
    const [parcel] = await ctx.db.query<{ id: number }>(
      "SELECT id FROM parcels WHERE zone_id = $1 AND status = 'available' AND NOT EXISTS (SELECT 1 FROM projects WHERE parcel_id = parcels.id) ORDER BY id LIMIT 1",
      [pr.zone_id],
    );
    const planner = await ctx.server.as('planner');
    const outOfOrder = await planner.send('PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { stage: 'landed', landed_date: '2000-01-01' } });
    expect(outOfOrder.status).toBe(400);
    expect(outOfOrder.body.error.message).toMatch(/stages must come in order/);
    const landed = await planner.send('PATCH', `/api/projects/${pr.id}`, {
      version: pr.version,
      parcel_id: parcel.id,
      changes: { stage: 'landed', landed_date: '2026-10-15' },
    });
    expect(landed.status).toBe(200);
    const [after] = await ctx.db.query<{ status: string; supplied_date: string }>(
      "SELECT status, to_char(supplied_date, 'YYYY-MM-DD') AS supplied_date FROM parcels WHERE id = $1",
      [parcel.id],
    );
    expect(after).toEqual({ status: 'supplied', supplied_date: '2026-10-15' });
    const [audit] = await ctx.db.query<{ note: string }>("SELECT note FROM audit_log WHERE entity = 'parcel' AND entity_id = $1 ORDER BY id DESC LIMIT 1", [
      parcel.id,
    ]);
    expect(audit.note).toBe(`follows project ${pr.id}`);
    // The form links by code; it then starts, and the parcel starts with it. Its light and 三未 state follow.
    const [{ code }] = await ctx.db.query<{ code: string }>('SELECT code FROM parcels WHERE id = $1', [parcel.id]);
    const unknown = await planner.send('PATCH', `/api/projects/${pr.id}`, { version: landed.body.project.version, parcel_code: 'NO-SUCH-CODE' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/没有编号为“NO-SUCH-CODE”的地块/);
    const started = await planner.send('PATCH', `/api/projects/${pr.id}`, {
      version: landed.body.project.version,
      parcel_code: code,
      changes: {
        stage: 'started',
        started_date: '2026-10-20',
        plan_landed_date: '2026-09-01',
        plan_started_date: '2026-10-01',
        plan_producing_date: '2040-10-01',
        plan_at_capacity_date: '2041-10-01',
      },
    });
    expect(started.body.error?.message).toBeUndefined();
    expect(started.status).toBe(200);
    const [p2] = await ctx.db.query<{ status: string; started_date: string }>(
      "SELECT status, to_char(started_date, 'YYYY-MM-DD') AS started_date FROM parcels WHERE id = $1",
      [parcel.id],
    );
    expect(p2).toEqual({ status: 'started', started_date: '2026-10-20' });
    const record = (await ctx.server.json(`/api/projects/${pr.id}`)).body;
    expect(record.timeline.find((s: any) => s.stage === 'started')).toEqual({ stage: 'started', date: '2026-10-20', planned: '2026-10-01' });
    expect(record.sanwei.kind).toBe('landed_not_producing');
    // Started (late, but started): production, planned for 2040-10-01, is the next step and not yet due → green.
    expect(record.light).toMatchObject({ light: 'green', dueStage: 'producing', dueDate: '2040-10-01', daysLate: 0 });
    const badPlan = await planner.send('PATCH', `/api/projects/${pr.id}`, {
      version: started.body.project.version,
      changes: { plan_landed_date: '2027-01-01', plan_started_date: '2026-12-01' },
    });
    expect(badPlan.status).toBe(400);
    expect(badPlan.body.error.message).toMatch(/plans must come in stage order/);
  });
});

describe.each(dbTargets({ writable: true }))('configurable project stages on $name', (target) => {
  const ctx = useApiServer(target);

  it('lets administrators add a stage; projects move into it with its date; a stage in use cannot be removed', async () => {
    const initial = (await ctx.server.json('/api/supervision/stages')).body;
    expect(initial.version).toBe(0);
    expect(initial.stages.map((s: any) => s.key)).toEqual(['planned', 'signed', 'landed', 'started', 'producing', 'at_capacity']);
    const completed = { key: 'completed', zh: '竣工', en: 'Completed', color: '#805ad5', builtin: false };
    const list = [...initial.stages.slice(0, 4), completed, ...initial.stages.slice(4)];
    expect((await (await ctx.server.as('planner')).send('PUT', '/api/supervision/stages', { version: 0, stages: list })).status).toBe(403);
    const admin = await ctx.server.as('admin');
    const swapped = await admin.send('PUT', '/api/supervision/stages', {
      version: 0,
      stages: [initial.stages[0], initial.stages[2], initial.stages[1], ...initial.stages.slice(3)],
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body.error.message).toMatch(/须全部保留并保持顺序/);
    const saved = await admin.send('PUT', '/api/supervision/stages', { version: 0, stages: list });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);

    const [pr] = await ctx.db.query<{ id: number; version: number; started_date: string }>(
      "SELECT id, version, to_char(started_date, 'YYYY-MM-DD') AS started_date FROM projects WHERE stage = 'started' AND started_date < '2026-06-01' ORDER BY id LIMIT 1",
    );
    const planner = await ctx.server.as('planner');
    const missing = await planner.send('PATCH', `/api/projects/${pr.id}`, { version: pr.version, changes: { stage: 'completed' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/current stage \(completed\)/);
    const moved = await planner.send('PATCH', `/api/projects/${pr.id}`, {
      version: pr.version,
      changes: { stage: 'completed', extra_stage_dates: { completed: '2026-06-15' } },
    });
    expect(moved.status).toBe(200);
    const record = (await ctx.server.json(`/api/projects/${pr.id}`)).body;
    expect(record.timeline.map((s: any) => s.stage)).toEqual(list.map((s: any) => s.key));
    expect(record.timeline.find((s: any) => s.stage === 'completed').date).toBe('2026-06-15');
    expect(record.sanwei?.kind).toBe('landed_not_producing');
    const pins = (await ctx.server.json('/api/projects?stage=completed')).body.features;
    expect(pins.map((f: any) => f.id)).toEqual([pr.id]);
    expect((await ctx.server.json('/api/projects?stage=finished')).status).toBe(400);

    const removing = await admin.send('PUT', '/api/supervision/stages', { version: 1, stages: initial.stages });
    expect(removing.status).toBe(409);
    expect(removing.body.error.message).toMatch(/1 个项目仍使用要删除的阶段（completed）/);
    const [audit] = await ctx.db.query<{ after: any }>(
      "SELECT after FROM audit_log WHERE entity = 'setting' AND note = 'project_stages' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.after.stages.map((s: any) => s.key)).toContain('completed');
  });
});
