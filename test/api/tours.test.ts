/**
 * 观摩 tours through the API on both databases: a small tour planned, scored by its judges and ranked against
 * totals worked out by hand; who may score (judges only, only while scoring, each score 0 … max, nothing
 * written on a refusal); zone limits on organising; audit entries; the itinerary's distances against PostGIS;
 * the PDFs read back with pdftotext; nothing on the public routes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets({ writable: true }))('观摩 tours on $name', (target) => {
  const ctx = useApiServer(target);
  const count = async (sql: string, values: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, values))[0].n;
  const userId = async (username: string) => (await ctx.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0].id;

  /** A city with two zones that have at least two projects each: stops p1, p3 in zone X and p2 in zone Y. */
  async function pickProjects() {
    const zones = await ctx.db.query<{ id: number; city: string; name: string; county: string | null }>(
      `SELECT z.id, z.city, z.name, z.county FROM zones z WHERE (SELECT count(*) FROM projects p WHERE p.zone_id = z.id) >= 2 ORDER BY z.city, z.id`,
    );
    const city = zones.find((z) => zones.filter((o) => o.city === z.city).length >= 2)!.city;
    const [x, y] = zones.filter((z) => z.city === city);
    const projects = async (zoneId: number) =>
      (await ctx.db.query<{ id: number; name: string }>('SELECT id, name FROM projects WHERE zone_id = $1 ORDER BY id LIMIT 2', [zoneId])).map((p) => p);
    const [px, py] = await Promise.all([projects(x.id), projects(y.id)]);
    return { city, x, y, p1: px[0], p2: py[0], p3: px[1] };
  }

  it('plans, scores and ranks a small tour as worked out by hand', async () => {
    const { city, x, y, p1, p2, p3 } = await pickProjects();
    const planner = await ctx.server.as('planner');
    const created = await planner.send('POST', '/api/tours', { name: '测试观摩', held_on: '2026-11-20', scope: 'city', city, min_judges_for_trim: 3 });
    expect(created.status).toBe(201);
    expect(created.body.criteria.map((c: { name: string; weight: number }) => [c.name, c.weight])).toEqual([
      ['投资规模', 20],
      ['建设进度', 25],
      ['产业带动', 20],
      ['亩均效益', 20],
      ['汇报质量', 15],
    ]);
    const id = created.body.id;
    let version = created.body.version;
    const put = async (what: string, body: Record<string, unknown>) => {
      const res = await planner.send('PUT', `/api/tours/${id}/${what}`, { version, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      version = res.body.version;
      return res.body;
    };
    // Weights must make 100: 40 + 50 is refused.
    const badWeights = await planner.send('PUT', `/api/tours/${id}/criteria`, {
      version,
      criteria: [
        { name: 'A', weight: 40, max_score: 10 },
        { name: 'B', weight: 50, max_score: 5 },
      ],
    });
    expect(badWeights.status).toBe(400);
    expect(badWeights.body.error.details.message_zh).toContain('权重合计');
    // Two criteria: A weight 40 out of 10 (4 points a point), B weight 60 out of 5 (12 points a point).
    const tour = await put('criteria', {
      criteria: [
        { name: 'A', weight: 40, max_score: 10 },
        { name: 'B', weight: 60, max_score: 5 },
      ],
    });
    const [a, b] = tour.criteria.map((c: { id: number }) => c.id);
    await put('stops', { stops: [{ project_id: p1.id, planned_time: '09:00', report_by: '项目负责人' }, { project_id: p3.id }, { project_id: p2.id }] });
    // Reorder: p1, p2, p3.
    const reordered = await put('stops', { stops: [{ project_id: p1.id }, { project_id: p2.id }, { project_id: p3.id }] });
    expect(reordered.stops.map((s: { project_id: number; planned_time: string | null }) => [s.project_id, s.planned_time])).toEqual([
      [p1.id, '09:00'],
      [p2.id, null],
      [p3.id, null],
    ]);
    const judges = await put('judges', {
      judges: [{ user_id: await userId('promoter'), name: '评委甲' }, { user_id: await userId('landbureau') }, { user_id: await userId('viewer') }],
    });
    expect(judges.judges.map((j: { name: string }) => j.name)).toEqual(['评委甲', '自然资源局', '只读用户']);

    const promoter = await ctx.server.as('promoter');
    const land = await ctx.server.as('landbureau');
    const viewer = await ctx.server.as('viewer');
    const sheet = (project: number, sa: number, sb: number) => ({
      project_id: project,
      scores: [
        { criterion_id: a, score: sa },
        { criterion_id: b, score: sb },
      ],
    });
    // Not yet open for scoring.
    expect((await promoter.send('PUT', `/api/tours/${id}/scores`, sheet(p1.id, 10, 5))).status).toBe(409);
    const opened = await planner.send('PATCH', `/api/tours/${id}`, { version, changes: { status: 'scoring' } });
    expect(opened.status).toBe(200);
    version = opened.body.version;

    // A non-judge (the administrator) is refused, and nothing is written.
    const auditBefore = await count('SELECT count(*)::int AS n FROM audit_log');
    const admin = await ctx.server.as('admin');
    const notJudge = await admin.send('PUT', `/api/tours/${id}/scores`, sheet(p1.id, 10, 5));
    expect(notJudge.status).toBe(403);
    expect(notJudge.body.error.message).toContain('评委');

    // p1: 10/5 → 40 + 60 = 100; 8/4 → 32 + 48 = 80; 5/2 → 20 + 24 = 44. Three judges = N: drop 100 and 44 → 80.
    const saved = await promoter.send('PUT', `/api/tours/${id}/scores`, sheet(p1.id, 10, 5));
    expect(saved.status).toBe(200);
    expect(saved.body.total).toBeCloseTo(100, 9);
    expect((await land.send('PUT', `/api/tours/${id}/scores`, sheet(p1.id, 8, 4))).status).toBe(200);
    expect((await viewer.send('PUT', `/api/tours/${id}/scores`, sheet(p1.id, 5, 2))).status).toBe(200);
    // p2: 6/3 → 24 + 36 = 60; 10/5 → 100; the viewer skips it. Two judges, not trimmed: (60 + 100) / 2 = 80.
    expect((await promoter.send('PUT', `/api/tours/${id}/scores`, sheet(p2.id, 6, 3))).status).toBe(200);
    expect((await land.send('PUT', `/api/tours/${id}/scores`, sheet(p2.id, 10, 5))).status).toBe(200);
    // p3: 4/1 → 16 + 12 = 28; 6/2 → 24 + 24 = 48; 5/5 → 20 + 60 = 80. Trimmed: 48.
    expect((await promoter.send('PUT', `/api/tours/${id}/scores`, sheet(p3.id, 4, 1))).status).toBe(200);
    expect((await land.send('PUT', `/api/tours/${id}/scores`, sheet(p3.id, 6, 2))).status).toBe(200);

    // Above the maximum (B is out of 5): 400, and nothing changes.
    const scoresBefore = await count('SELECT count(*)::int AS n FROM tour_scores WHERE tour_id = $1', [id]);
    const auditMid = await count('SELECT count(*)::int AS n FROM audit_log');
    const tooHigh = await viewer.send('PUT', `/api/tours/${id}/scores`, sheet(p3.id, 5, 6));
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.error.details.message_zh).toContain('超过满分');
    // A criterion left out: 400 too.
    expect((await viewer.send('PUT', `/api/tours/${id}/scores`, { project_id: p3.id, scores: [{ criterion_id: a, score: 5 }] })).status).toBe(400);
    expect(await count('SELECT count(*)::int AS n FROM tour_scores WHERE tour_id = $1', [id])).toBe(scoresBefore);
    expect(await count('SELECT count(*)::int AS n FROM audit_log')).toBe(auditMid);
    expect((await viewer.send('PUT', `/api/tours/${id}/scores`, sheet(p3.id, 5, 5))).status).toBe(200);

    // The judge sees their own scores on the tour.
    const mine = await viewer.json(`/api/tours/${id}`);
    expect(mine.body.me.scores).toHaveLength(4);
    expect((await admin.json(`/api/tours/${id}`)).body.me).toBeNull();

    const results = (await planner.json(`/api/tours/${id}/results`)).body;
    const byId = Object.fromEntries(results.projects.map((p: { project_id: number }) => [p.project_id, p]));
    expect(byId[p1.id]).toMatchObject({ judges: 3, trimmed: true, rank: 1 });
    expect(byId[p1.id].score).toBeCloseTo(80, 9);
    expect(byId[p2.id]).toMatchObject({ judges: 2, trimmed: false, rank: 1 });
    expect(byId[p2.id].score).toBeCloseTo(80, 9);
    expect(byId[p3.id]).toMatchObject({ judges: 3, trimmed: true, rank: 3 });
    expect(byId[p3.id].score).toBeCloseTo(48, 9);
    // Zones: Y has p2 alone (80); X has p1 and p3: (80 + 48) / 2 = 64.
    expect(results.zones.map((z: { zone_id: number; rank: number }) => [z.zone_id, z.rank])).toEqual([
      [y.id, 1],
      [x.id, 2],
    ]);
    expect(results.zones[1].score).toBeCloseTo(64, 9);
    expect(results.cities).toHaveLength(1);
    // The city: (80 + 80 + 48) / 3 = 69.33.
    expect(results.cities[0].score).toBeCloseTo(208 / 3, 9);
    expect(results.rule.zh).toContain('去掉一个最高分和一个最低分');

    // Audit: the tour's writes and each saved sheet.
    expect(auditBefore).toBeLessThan(await count('SELECT count(*)::int AS n FROM audit_log'));
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'tour' AND entity_id = $1`, [id])).toBeGreaterThanOrEqual(6);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'tour_score' AND entity_id = $1 AND action = 'score'`, [id])).toBe(8);
    const history = await planner.json(`/api/history/tour_score/${id}`);
    expect(history.status).toBe(200);
    expect(history.body.entries.filter((e: { action: string }) => e.action === 'score')).toHaveLength(8);

    // Closed: no more scores.
    const closed = await planner.send('PATCH', `/api/tours/${id}`, { version, changes: { status: 'closed' } });
    expect(closed.status).toBe(200);
    expect((await viewer.send('PUT', `/api/tours/${id}/scores`, sheet(p3.id, 1, 1))).status).toBe(409);
    // A stale version is a conflict.
    expect((await planner.send('PATCH', `/api/tours/${id}`, { version, changes: { name: 'x' } })).status).toBe(409);

    // The results sheet and the itinerary as PDFs, read back.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tour-'));
    for (const [file, url, must] of [
      ['results.pdf', `/api/tours/${id}/results.pdf`, '评分结果'],
      ['itinerary.pdf', `/api/tours/${id}/itinerary.pdf`, '观摩行程'],
    ] as const) {
      const res = await planner.get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      writeFileSync(path.join(dir, file), pdf);
      const text = execFileSync('/usr/bin/pdftotext', [path.join(dir, file), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text).toContain(must);
      for (const p of [p1, p2, p3]) expect(text, p.name).toContain(p.name.replace(/\s+/g, ''));
    }
    expect(execFileSync('/usr/bin/pdfinfo', [path.join(dir, 'results.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
  });

  it('gives the itinerary with each leg in km (checked against PostGIS) and the route as a LineString', async () => {
    const { city, p1, p2, p3 } = await pickProjects();
    const planner = await ctx.server.as('planner');
    const created = await planner.send('POST', '/api/tours', { name: '行程测试', held_on: '2026-12-01', scope: 'city', city });
    const id = created.body.id;
    const stops = await planner.send('PUT', `/api/tours/${id}/stops`, {
      version: created.body.version,
      stops: [{ project_id: p1.id }, { project_id: p2.id }, { project_id: p3.id }],
    });
    expect(stops.status).toBe(200);
    const it = (await planner.json(`/api/tours/${id}/itinerary`)).body;
    expect(it.stops.map((s: { project_id: number }) => s.project_id)).toEqual([p1.id, p2.id, p3.id]);
    expect(it.route.geometry.type).toBe('LineString');
    expect(it.route.geometry.coordinates).toHaveLength(3);
    // PostGIS's sphere (R = 6370986 m) and Turf's (6371008.8 m) differ by 4 parts in a million.
    const [leg] = await ctx.db.query<{ km: number }>(
      'SELECT ST_DistanceSphere(a.geom, b.geom) / 1000 AS km FROM projects a, projects b WHERE a.id = $1 AND b.id = $2',
      [p1.id, p2.id],
    );
    expect(it.stops[0].km_from_previous).toBe(0);
    expect(it.stops[1].km_from_previous).toBeCloseTo(leg.km, 1);
    expect(it.total_km).toBeCloseTo(it.stops[1].km_from_previous + it.stops[2].km_from_previous, 9);
    // Open problems of a stop's project appear; closed ones do not.
    await ctx.db.query(
      `INSERT INTO project_problems (project_id, kind, title, raised_on, status) VALUES ($1, 'power', '双回路供电未落实', '2026-10-01', 'open'),
         ($1, 'land', '已解决的用地问题', '2026-09-01', 'closed')`,
      [p2.id],
    );
    const again = (await planner.json(`/api/tours/${id}/itinerary`)).body;
    expect(again.stops[1].open_problems.map((p: { title: string }) => p.title)).toEqual(['双回路供电未落实']);
    // Optimised order starts from the first stop and keeps every stop.
    const optimised = await planner.send('POST', `/api/tours/${id}/stops/optimise`, { version: stops.body.version });
    expect(optimised.status).toBe(200);
    expect(optimised.body.stops[0].project_id).toBe(p1.id);
    expect(optimised.body.stops.map((s: { project_id: number }) => s.project_id).sort()).toEqual([p1.id, p2.id, p3.id].sort());
    // Outside the city: refused.
    const [elsewhere] = await ctx.db.query<{ id: number }>('SELECT p.id FROM projects p JOIN zones z ON z.id = p.zone_id WHERE z.city <> $1 LIMIT 1', [city]);
    const outside = await planner.send('PUT', `/api/tours/${id}/stops`, { version: optimised.body.version, stops: [{ project_id: elsewhere.id }] });
    expect(outside.status).toBe(400);
    // Opening for scoring without judges: refused with the reason.
    const noJudges = await planner.send('PATCH', `/api/tours/${id}`, { version: optimised.body.version, changes: { status: 'scoring' } });
    expect(noJudges.status).toBe(400);
    expect(noJudges.body.error.details.message_zh).toContain('评委');
    // Unscored: it can be deleted.
    expect((await planner.send('DELETE', `/api/tours/${id}`)).status).toBe(200);
    expect((await planner.json(`/api/tours/${id}`)).status).toBe(404);
  });

  it('has the demo: a closed tour with 6 judges, one of whom missed a stop, and a tour being planned', async () => {
    const { tours } = (await ctx.server.json('/api/tours')).body;
    // The demo's (the other tests of this file close tours of their own).
    const closed = tours.find((t: { status: string; name: string }) => t.status === 'closed' && t.name.endsWith('重点项目观摩'));
    expect(closed).toMatchObject({ scope: 'city', judges: 6, stops: 7 });
    expect(tours.some((t: { status: string }) => t.status === 'planning')).toBe(true);
    const results = (await ctx.server.json(`/api/tours/${closed.id}/results`)).body;
    expect(results.projects.map((p: { judges: number }) => p.judges).sort()).toEqual([5, 6, 6, 6, 6, 6, 6]);
    expect(results.projects.every((p: { trimmed: boolean; rank: number | null }) => p.trimmed && p.rank !== null)).toBe(true);
    expect(results.zones.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps zone limits on organising, and roles and the public out', async () => {
    const admin = await ctx.server.as('admin');
    const zones = await ctx.db.query<{ id: number; code: string; city: string }>("SELECT id, code, city FROM zones WHERE code IN ('SX-DTJK', 'SX-SZJK')");
    const mine = zones.find((z) => z.code === 'SX-DTJK')!;
    const other = zones.find((z) => z.code === 'SX-SZJK')!;
    const datong = await ctx.server.as('datong');
    const before = await count('SELECT count(*)::int AS n FROM tours');
    expect((await datong.send('POST', '/api/tours', { name: '全市观摩', held_on: '2026-12-01', scope: 'city', city: mine.city })).status).toBe(403);
    expect((await datong.send('POST', '/api/tours', { name: '他区观摩', held_on: '2026-12-01', scope: 'zone', zone_id: other.id })).status).toBe(403);
    expect(await count('SELECT count(*)::int AS n FROM tours')).toBe(before);
    const own = await datong.send('POST', '/api/tours', { name: '大同经开区观摩', held_on: '2026-12-01', scope: 'zone', zone_id: mine.id });
    expect(own.status).toBe(201);
    expect(own.body.can_manage).toBe(true);
    const [otherProject] = await ctx.db.query<{ id: number }>('SELECT id FROM projects WHERE zone_id = $1 LIMIT 1', [other.id]);
    expect((await datong.send('PUT', `/api/tours/${own.body.id}/stops`, { version: 1, stops: [{ project_id: otherProject.id }] })).status).toBe(400);
    // A city tour planned by the planner: the zone account reads it but may not change it.
    const planner = await ctx.server.as('planner');
    const cityTour = await planner.send('POST', '/api/tours', { name: '市级观摩', held_on: '2026-12-02', scope: 'city', city: mine.city });
    expect((await datong.json(`/api/tours/${cityTour.body.id}`)).body.can_manage).toBe(false);
    expect((await datong.send('PATCH', `/api/tours/${cityTour.body.id}`, { version: 1, changes: { name: '改名' } })).status).toBe(403);
    // Land bureau and viewers read but do not organise.
    for (const who of ['landbureau', 'viewer', 'promoter']) {
      const client = await ctx.server.as(who);
      expect((await client.json('/api/tours')).status, who).toBe(200);
      expect((await client.send('POST', '/api/tours', { name: 'x', held_on: '2026-12-01', scope: 'city', city: mine.city })).status, who).toBe(403);
    }
    expect((await admin.json('/api/tours/accounts')).status).toBe(200);
    // Never public.
    expect((await ctx.server.anonymous.get('/api/tours')).status).toBe(401);
    expect((await ctx.server.anonymous.get(`/api/tours/${cityTour.body.id}/results.pdf`)).status).toBe(401);
    const publicText = JSON.stringify(await (await ctx.server.anonymous.get('/api/public/parcels')).json());
    expect(publicText).not.toContain('观摩');
  });
});
