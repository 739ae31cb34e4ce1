import { todayIso } from '../../domain/dates.ts';
/**
 * The projects page in a real browser: rates equal the API's and list the projects they count, a month's
 * upload updates the indicator chart, the briefing prints to a PDF with the zone's name, and a 三个一批
 * round created on the page takes projects into its batches with its rate following.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../domain/format.ts';
import { SHOTS, contextAs, useBrowserApp } from '../helpers/browserApp.ts';

const app = useBrowserApp();

async function open(username: string, url: string) {
  const context = await contextAs(app.browser, app.server, username, { width: 1400, height: 1000 });
  const page = await context.newPage();
  await page.goto(`${app.server.url}${url}`);
  return { context, page };
}

const pdftotext = (file: string) => {
  if (!existsSync('/usr/bin/pdftotext')) throw new Error('pdftotext is missing: apt-get install poppler-utils');
  return execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};

describe('projects page', () => {
  it('shows the rates the API gives, by investment and by count, and lists the projects behind a rate', async () => {
    const { context, page } = await open('planner', '/projects');
    const today = todayIso(); // China's date, as the page's
    const rounds = (await app.server.json('/api/supervision/rounds')).body.rounds;
    // By default every round held by today, as the briefing counts them (the latest alone reads 0 % after its meeting).
    const held = rounds.filter((r: any) => r.held_on <= today);
    expect(held.length).toBeGreaterThan(1);
    const api = async (basis: string) =>
      (await app.server.json(`/api/supervision/rates?rounds=${held.map((r: any) => r.id).join(',')}&basis=${basis}&asOf=${today}`)).body;

    const inv = await api('investment');
    await expect.poll(() => page.getByTestId('pj-rate-start-value').textContent()).toBe(formatPercent(inv.start.share));
    // The page says which rounds it counts, and that this is the default.
    const counted = await page.getByTestId('pj-rounds-counted').textContent();
    expect(counted).toContain(`统计轮次：${held.map((r: any) => r.name).join('、')}`);
    expect(counted).toContain('与月度简报相同');
    for (const r of held) await expect(page.getByTestId(`pj-round-${r.id}`).isChecked()).resolves.toBe(true);
    expect(await page.getByTestId('pj-rate-produce-value').textContent()).toBe(formatPercent(inv.produce.share));
    expect(await page.getByTestId('pj-rate-capacity-value').textContent()).toBe(formatPercent(inv.capacity.share));
    expect(await page.getByTestId('pj-basis-note').textContent()).toContain('口径：按投资额');

    // Two earlier rounds together, by count: a project listed in both counts once.
    const picked = rounds.filter((r: any) => r.name === '2024年第二次' || r.name === '2025年第一次').map((r: any) => r.id);
    for (const r of rounds) if (!picked.includes(r.id)) await page.getByTestId(`pj-round-${r.id}`).uncheck();
    await expect.poll(() => page.getByTestId('pj-rounds-counted').textContent()).toContain('自选轮次');
    await page.getByTestId('pj-basis-count').check();
    const count = (await app.server.json(`/api/supervision/rates?rounds=${picked.join(',')}&basis=count&asOf=${today}`)).body;
    await expect.poll(() => page.getByTestId('pj-basis-note').textContent()).toContain('口径：按项目数');
    await expect.poll(() => page.getByTestId('pj-rate-start-value').textContent()).toBe(formatPercent(count.start.share));
    expect(await page.getByTestId('pj-rate-produce-value').textContent()).toBe(formatPercent(count.produce.share));

    // Clicking a rate lists exactly the projects it counts, the ones that reached the next step marked.
    await page.getByTestId('pj-rate-start').click();
    const rows = page.getByTestId('pj-rate-projects').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(count.start.base.length + count.start.withoutFigures.length);
    const ids = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-project-id'))))).sort((a, b) => a - b);
    expect(ids).toEqual([...count.start.base, ...count.start.withoutFigures].sort((a: number, b: number) => a - b));
    const achieved = (
      await page
        .getByTestId('pj-rate-projects')
        .locator('tr.achieved')
        .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-project-id'))))
    ).sort((a, b) => a - b);
    expect(achieved).toEqual([...count.start.achieved].sort((a: number, b: number) => a - b));
    const first = count.projects.find((p: any) => p.id === count.start.base[0]);
    expect(await page.getByTestId('pj-rate-projects').textContent()).toContain(first.name);
    await page.getByTestId('pj-rates').screenshot({ path: path.join(SHOTS, '51-project-rates.png') });
    await page.screenshot({ path: path.join(SHOTS, '52-projects-page.png'), fullPage: true });
    await context.close();
  });

  it('says it is loading, not 0 or 无, until the rates, lights and 三未 arrive', async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1400, height: 1000 });
    const page = await context.newPage();
    // The figures are held back until the page has been looked at while waiting for them.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(
      (url) => /\/api\/supervision\/(rates|lights|sanwei)$/.test(url.pathname),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto(`${app.server.url}/projects`);
    await page.getByTestId('pj-rates-loading').waitFor();
    await page.getByTestId('pj-lights-loading').waitFor();
    expect(await page.getByTestId('pj-sanwei-signed_not_landed').textContent()).toContain('…');
    expect(await page.getByTestId('pj-sanwei').locator('tbody').textContent()).toContain('加载中');
    expect(await page.getByTestId('pj-sanwei').locator('tbody').textContent()).not.toContain('无');
    expect(await page.getByTestId('pj-rate-start-value').count()).toBe(0);
    release();
    await page.getByTestId('pj-rate-start-value').waitFor();
    await page.getByTestId('pj-lights-list').waitFor();
    await expect.poll(() => page.getByTestId('pj-rates-loading').count()).toBe(0);
    await context.close();
  });

  it('updates the monthly indicator chart after a month is uploaded, and lists every bad row of a bad upload', async () => {
    const [zone] = await app.db.query<{ id: number; name: string }>("SELECT id, name FROM zones WHERE code = 'SX-SZJK'");
    const { context, page } = await open('planner', '/projects');
    await page.getByTestId('scope-zone').selectOption(String(zone.id));
    await page.getByTestId('pj-indicator-month').fill('2026-11');
    const chart = page.getByTestId('pj-indicator-chart');
    const plotted = async () => JSON.parse((await chart.getAttribute('data-series')) ?? '[[]]') as (number | null)[][];
    await expect.poll(async () => (await plotted())[0].length).toBe(11);
    expect((await plotted())[0][10]).toBeNull();

    const bad = path.join(SHOTS, 'upload-bad.csv');
    writeFileSync(
      bad,
      `开发区,月份,规上工业增加值（万元）,工业投资（万元）\n${zone.name},2026-11,6100,2500\n不存在的开发区,2026-11,1,1\n${zone.name},2026-14,x,\n`,
    );
    await page.getByTestId('pj-upload').setInputFiles(bad);
    const errors = page.getByTestId('pj-upload-errors').locator('li');
    await expect.poll(() => errors.count()).toBe(2);
    expect(await errors.nth(0).textContent()).toBe('第 3 行：未知的开发区“不存在的开发区”');
    expect(await errors.nth(1).textContent()).toContain('第 4 行：月份“2026-14”不是 YYYY-MM 格式');
    expect((await plotted())[0][10]).toBeNull();

    const good = path.join(SHOTS, 'upload-good.csv');
    writeFileSync(good, `开发区,月份,规上工业增加值（万元）,工业投资（万元）\n${zone.name},2026-11,6100,2500\n`);
    await page.getByTestId('pj-upload').setInputFiles(good);
    await expect.poll(() => page.getByTestId('pj-upload-message').textContent()).toBe('已导入 1 行');
    await expect.poll(async () => (await plotted())[0][10]).toBe(6100);
    const api = (await app.server.json(`/api/indicators/monthly?zone=${zone.id}&month=2026-11`)).body;
    const growth = api.indicators.value_added.series[10].growthPct;
    expect((await plotted())[1][10]).toBeCloseTo(growth, 2);
    expect(await page.getByTestId('pj-indicator-series').locator('tr[data-month="2026-11"] [data-field="month"]').textContent()).toBe('6,100.00');
    await page.waitForTimeout(600);
    await page.getByTestId('pj-indicators').screenshot({ path: path.join(SHOTS, '53-monthly-indicators.png') });
    await context.close();
  });

  it("sets a zone's yearly growth target in the form; the ranking's target, gap and 预警 follow", async () => {
    const [zone] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-SZJK'");
    const { context, page } = await open('planner', '/projects');
    await page.getByTestId('scope-zone').selectOption(String(zone.id));
    await page.getByTestId('pj-indicator-month').fill('2025-06');
    const row = page.getByTestId('pj-ranking').locator(`tr[data-zone-id="${zone.id}"]`);
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('-9.80%');
    // A target the zone's −9.8 % does not reach: behind by 14.80 points, flagged.
    await page.getByTestId('pj-target-va').fill('5');
    await page.getByTestId('pj-targets-save').click();
    await expect.poll(() => page.getByTestId('pj-targets-message').textContent()).toBe('目标已保存');
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('+5.00%');
    expect(await row.locator('td').nth(5).textContent()).toBe('14.80');
    expect(await row.textContent()).toContain('预警');
    // The chart's growth axis takes in the target above the negative growth: the dashed target line is drawn.
    const chart = page.getByTestId('pj-indicator-chart');
    const growthSeries = async () => (JSON.parse((await chart.getAttribute('data-series')) ?? '[[],[]]')[1] as (number | null)[]).filter((v) => v !== null);
    await expect.poll(async () => Math.min(...(await growthSeries()))).toBeLessThan(0);
    const lowest = Math.min(...(await growthSeries()));
    await expect
      .poll(async () => {
        const [, growthAxis] = JSON.parse((await chart.getAttribute('data-y-extents')) ?? '[]') as [number, number][];
        return growthAxis && growthAxis[0] <= lowest && growthAxis[1] >= 5;
      })
      .toBe(true);
    expect(await page.getByTestId('pj-warning-hint').textContent()).toContain('低于年度目标');
    await page.waitForTimeout(600);
    await page.getByTestId('pj-indicators').screenshot({ path: path.join(SHOTS, '53b-negative-growth-target.png') });
    const saved = (await app.server.json(`/api/indicators/targets?year=2025&zone=${zone.id}`)).body.zones[0];
    expect(saved.value_added_growth_target_pct).toBe(5);
    // Out of range: refused on the page, nothing saved.
    await page.getByTestId('pj-target-va').fill('250');
    await page.getByTestId('pj-targets-save').click();
    await expect.poll(() => page.getByTestId('pj-targets-message').textContent()).toContain('不超过 200%');
    expect((await app.server.json(`/api/indicators/targets?year=2025&zone=${zone.id}`)).body.zones[0].value_added_growth_target_pct).toBe(5);
    await context.close();
  });

  it('prints the briefing of a zone: one page, the PDF has the zone name, and so has the server-made PDF', async () => {
    const [zone] = await app.db.query<{ id: number; name: string }>("SELECT id, name FROM zones WHERE code = 'SX-PLJK'");
    const { context, page } = await open('viewer', '/projects');
    await page.getByTestId('scope-zone').selectOption(String(zone.id));
    await page.getByTestId('pj-briefing-month').fill('2025-06');
    await page.getByTestId('pj-open-briefing').click();
    await expect.poll(() => page.getByTestId('briefing-title').textContent()).toBe(`${zone.name} 2025年6月项目建设与经济运行简报`);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(SHOTS, '54-briefing-print.png'), fullPage: true });
    const printed = path.join(SHOTS, 'briefing-printed.pdf');
    writeFileSync(printed, await page.pdf({ format: 'A4', printBackground: true }));
    // The printed page as people see it on paper.
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-singlefile', printed, path.join(SHOTS, '55-briefing-printed-page')]);
    const text = pdftotext(printed);
    expect(text).toContain(zone.name);
    expect(text).toContain('签约项目开工率');

    // The download: the server's PDF (pdfkit), non-empty, with the zone's name.
    const href = await page.getByTestId('briefing-pdf').getAttribute('href');
    const res = await context.request.get(`${app.server.url}${href}`);
    expect(res.status()).toBe(200);
    const body = await res.body();
    expect(body.length).toBeGreaterThan(1000);
    const downloaded = path.join(SHOTS, 'briefing-app.server.pdf');
    writeFileSync(downloaded, body);
    expect(pdftotext(downloaded)).toContain(zone.name);
    await context.close();
  });

  it('filters the map pins by light and counts a zone’s lights in its panel', async () => {
    const [zone] = await app.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const api = (await app.server.json(`/api/supervision/lights?zone=${zone.id}`)).body;
    const { context, page } = await open('viewer', `/?sel=zone:${zone.id}`);
    await page.getByTestId('zone-lights').waitFor();
    for (const l of ['green', 'yellow', 'red', 'none']) expect(Number(await page.getByTestId(`zone-light-${l}`).textContent())).toBe(api.counts[l]);
    await page.waitForFunction(() => (window as any).__parkAtlas?.map?.getSource('projects'));
    await page.getByTestId('light-filter').selectOption('red');
    const all = (await app.server.json('/api/projects?light=red')).body.features.length;
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const src = (window as any).__parkAtlas.map.getSource('projects');
          const data = await src.getData();
          return data.features.length;
        }),
      )
      .toBe(all);
    expect(await page.getByTestId('legend-projects').textContent()).toContain('红灯');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, '57-map-red-lights.png') });
    // The filter is in the link: opened again, the page shows the same pins.
    await expect.poll(() => new URL(page.url()).searchParams.get('light')).toBe('red');
    const again = await context.newPage();
    await again.goto(page.url());
    await again.waitForFunction(() => (window as any).__parkAtlas?.map?.getSource('projects'));
    expect(await again.getByTestId('light-filter').inputValue()).toBe('red');
    await expect.poll(() => again.evaluate(async () => (await (window as any).__parkAtlas.map.getSource('projects').getData()).features.length)).toBe(all);
    await context.close();
  });

  it("creates a 三个一批 round on the page, puts projects into its 签约一批, and the round's rate follows", async () => {
    const today = todayIso(); // China's date, as the page's
    const [started] = await app.db.query<{ id: number; name: string }>(
      'SELECT id, name FROM projects WHERE started_date <= $1 AND total_investment_wan > 0 ORDER BY id LIMIT 1',
      [today],
    );
    const [notStarted] = await app.db.query<{ id: number; name: string }>(
      'SELECT id, name FROM projects WHERE signed_date <= $1 AND started_date IS NULL AND producing_date IS NULL AND at_capacity_date IS NULL AND total_investment_wan > 0 ORDER BY id LIMIT 1',
      [today],
    );
    const { context, page } = await open('planner', '/projects');
    await page.getByTestId('pj-new-round-name').fill('2026年第二次');
    await page.getByTestId('pj-new-round-date').fill('2026-09-20');
    await page.getByTestId('pj-new-round-create').click();
    await expect.poll(() => page.getByTestId('pj-round-message').textContent()).toBe('已新建轮次');
    const rounds = (await app.server.json('/api/supervision/rounds')).body.rounds;
    const round = rounds.find((r: any) => r.name === '2026年第二次');
    expect(round).toMatchObject({ held_on: '2026-09-20', signed: 0 });
    await expect.poll(() => page.getByTestId('pj-edit-round').inputValue()).toBe(String(round.id));

    // Find each project by name and put it into the 签约一批.
    const addSigned = async (p: { id: number; name: string }) => {
      await page.getByTestId('pj-round-batch').selectOption('signed');
      await page.getByTestId('pj-round-search').fill(p.name);
      const hit = page.getByTestId('pj-round-found').locator(`li[data-project-id="${p.id}"] button`);
      await expect.poll(() => hit.textContent()).toBe('+ 签约一批');
      await hit.click();
      await expect.poll(() => page.getByTestId('pj-round-message').textContent()).toBe(`已将“${p.name}”列入签约一批`);
      await expect.poll(() => page.getByTestId('pj-round-batch-signed').locator(`tr[data-project-id="${p.id}"]`).count()).toBe(1);
      // Listed now: the search result says where, and cannot be added twice.
      await expect.poll(() => hit.isDisabled()).toBe(true);
    };
    await addSigned(started);

    // The rates section offers the new round; by count, its 签约项目开工率 is what the API says (the one project started).
    const roundBox = page.getByTestId(`pj-round-${round.id}`);
    await roundBox.waitFor();
    await roundBox.check();
    for (const r of rounds) if (r.id !== round.id) await page.getByTestId(`pj-round-${r.id}`).uncheck();
    await page.getByTestId('pj-basis-count').check();
    const rate = async () => (await app.server.json(`/api/supervision/rates?rounds=${round.id}&basis=count&asOf=${today}`)).body.start;
    expect(await rate()).toMatchObject({ base: [started.id], achieved: [started.id], share: 1 });
    await expect.poll(() => page.getByTestId('pj-rate-start-value').textContent()).toBe(formatPercent(1));

    // A second project that has not started halves it, on the page without reloading it.
    await addSigned(notStarted);
    expect((await rate()).share).toBe(0.5);
    await expect.poll(() => page.getByTestId('pj-rate-start-value').textContent()).toBe(formatPercent(0.5));
    expect(await page.getByTestId('pj-rate-start').textContent()).toContain('1/2');
    await page.getByTestId('pj-rate-start').click();
    await expect.poll(() => page.getByTestId('pj-rate-projects').locator('tbody tr').count()).toBe(2);

    await page.getByTestId('pj-round-search').fill('');
    // The rates and the round's batches in one picture: a tall window, the page scrolled to the top.
    await page.setViewportSize({ width: 1400, height: 2400 });
    await page.getByTestId('projects-dashboard').evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(300);
    const rates = await page.getByTestId('pj-rates').boundingBox();
    const editor = await page.getByTestId('pj-rounds-editor').boundingBox();
    await page.screenshot({
      path: path.join(SHOTS, '58-rounds.png'),
      clip: { x: 0, y: rates!.y - 8, width: 1400, height: editor!.y + editor!.height - rates!.y + 16 },
    });

    // Taking one out brings the rate back.
    await page.getByTestId('pj-round-batch-signed').locator(`tr[data-project-id="${notStarted.id}"] button`).click();
    await expect.poll(() => page.getByTestId('pj-rate-start-value').textContent()).toBe(formatPercent(1));
    expect((await app.server.json(`/api/supervision/rounds/${round.id}`)).body.entries.map((e: any) => e.project_id)).toEqual([started.id]);
    await context.close();
  });
});

describe('project stages', () => {
  it('lets an administrator add a stage on the page; the map legend then shows it', async () => {
    const { context, page } = await open('admin', '/projects');
    await page.getByTestId('pj-stages-editor').locator('summary').click();
    await page.getByTestId('pj-stage-add-3').click();
    await page.getByTestId('pj-stage-key-4').fill('completed');
    await page.getByTestId('pj-stage-zh-4').fill('竣工');
    await page.getByTestId('pj-stage-en-4').fill('Completed');
    await page.getByTestId('pj-stages-save').click();
    await expect
      .poll(async () => (await app.server.json('/api/supervision/stages')).body.stages.map((s: any) => s.key))
      .toEqual(['planned', 'signed', 'landed', 'started', 'completed', 'producing', 'at_capacity']);
    await page.getByTestId('pj-stages-editor').screenshot({ path: path.join(SHOTS, '56-project-stages.png') });
    await page.goto(`${app.server.url}/`);
    await expect.poll(() => page.getByTestId('legend').textContent()).toContain('竣工');
    await context.close();
  });

  it("imports a round's list from a file: a bad row is listed and nothing written, a good file is previewed then imported", async () => {
    const created = await (await app.server.as('planner')).send('POST', '/api/supervision/rounds', { name: '2026年第七次', held_on: '2026-11-20' });
    expect(created.status).toBe(201);
    const roundId = created.body.id as number;
    const free = await app.db.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_round_entries e WHERE e.project_id = p.id)
         AND (SELECT count(*) FROM projects q WHERE q.name = p.name) = 1 ORDER BY p.id LIMIT 2`,
    );
    const { context, page } = await open('planner', '/projects');
    await expect.poll(() => page.getByTestId('pj-edit-round').locator(`option[value="${roundId}"]`).count()).toBe(1);
    await page.getByTestId('pj-edit-round').selectOption(String(roundId));
    const entries = async () => (await app.server.json(`/api/supervision/rounds/${roundId}`)).body.entries as { project_id: number; batch: string }[];

    const bad = path.join(SHOTS, 'round-list-bad.csv');
    writeFileSync(bad, `项目名称,批次\n${free[0].name},签约一批\n并不存在的项目,开工\n`);
    await page.getByTestId('pj-round-import-file').setInputFiles(bad);
    const errors = page.getByTestId('pj-round-import-errors').locator('li');
    await expect.poll(() => errors.count()).toBe(1);
    expect(await errors.first().getAttribute('data-line')).toBe('3');
    expect(await errors.first().textContent()).toContain('没有名为“并不存在的项目”的项目');
    expect(await page.getByTestId('pj-round-message').textContent()).toContain('1 行有误，未导入任何数据');
    expect(await page.getByTestId('pj-round-import-commit').count()).toBe(0);
    expect(await entries()).toEqual([]);

    const good = path.join(SHOTS, 'round-list-good.csv');
    writeFileSync(good, `项目编号,批次\n${free[0].id},签约一批\n${free[1].id},投产\n`);
    await page.getByTestId('pj-round-import-file').setInputFiles(good);
    const preview = page.getByTestId('pj-round-import-preview');
    await expect.poll(() => preview.locator('tr').count()).toBe(2);
    expect(await preview.textContent()).toContain(free[1].name);
    // Previewed only: nothing written until the import is confirmed.
    expect(await entries()).toEqual([]);
    await page.getByTestId('pj-round-import-commit').click();
    await expect.poll(() => page.getByTestId('pj-round-message').textContent()).toBe('已导入 2 个项目');
    await expect.poll(() => page.getByTestId('pj-round-batch-signed').locator(`tr[data-project-id="${free[0].id}"]`).count()).toBe(1);
    await expect.poll(() => page.getByTestId('pj-round-batch-producing').locator(`tr[data-project-id="${free[1].id}"]`).count()).toBe(1);
    expect((await entries()).map((e) => [e.project_id, e.batch]).sort()).toEqual(
      [
        [free[0].id, 'signed'],
        [free[1].id, 'producing'],
      ].sort(),
    );
    await page.getByTestId('pj-rounds-editor').screenshot({ path: path.join(SHOTS, '59-round-import.png') });
    await context.close();
  });
});
