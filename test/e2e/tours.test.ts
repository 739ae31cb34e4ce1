/**
 * 观摩 in a real browser, on both databases: the demo tour's route drawn on the map with the API's distance;
 * a judge scores on a phone (390×844), one project at a time, and the ranking follows the scores; the
 * results sheet PDF rendered to an image to look at; nothing overflows sideways on a phone.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('观摩 page on $name', (target) => {
  const app = useBrowserApp(target);

  it('draws the demo tour’s route on the map with its length in km, and prints the results sheet', async () => {
    const planner = await app.server.as('planner');
    const { tours } = (await planner.json('/api/tours')).body;
    const closed = tours.find((t: { status: string }) => t.status === 'closed');
    const itinerary = (await planner.json(`/api/tours/${closed.id}/itinerary`)).body;
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/map`);
    await page.getByTestId('open-tours').click();
    await page.getByTestId('tour-item').filter({ hasText: closed.name }).click();
    await expect.poll(() => page.getByTestId('tour-stop').count(), { timeout: 30_000 }).toBe(itinerary.stops.length);
    expect(await page.getByTestId('tour-total-km').textContent()).toBe(`${itinerary.total_km.toFixed(1)} 公里`);
    await page.waitForFunction(() => (window as any).__tourMap?.loaded() && (window as any).__tourMap.getSource('tour-route'), null, { timeout: 60_000 });
    // The route and every stop are drawn (rendered features, not just data).
    await expect
      .poll(() => page.evaluate(() => (window as any).__tourMap.queryRenderedFeatures({ layers: ['tour-route'] }).length), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(
        () =>
          page.evaluate(() => new Set((window as any).__tourMap.queryRenderedFeatures({ layers: ['tour-stops'] }).map((f: any) => f.properties.order)).size),
        { timeout: 60_000 },
      )
      .toBe(itinerary.stops.length);
    await page.screenshot({ path: shotPath(app, '70-tour-route') });

    await page.getByTestId('tab-results').click();
    await expect.poll(() => page.getByTestId('result-row').count()).toBe(itinerary.stops.length);
    expect(await page.getByTestId('result-rank').first().textContent()).toBe('1');
    await page.screenshot({ path: shotPath(app, '71-tour-results'), fullPage: true });

    // The results sheet as the PDF prints it, rendered to an image.
    const res = await planner.get(`/api/tours/${closed.id}/results.pdf`);
    const pdfPath = path.join(SHOTS, `72-tour-results-sheet${app.target === 'embedded' ? '' : '-postgres'}.pdf`);
    writeFileSync(pdfPath, Buffer.from(await res.arrayBuffer()));
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '70', '-singlefile', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
    const text = execFileSync('/usr/bin/pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of itinerary.stops) expect(text).toContain(s.project_name.replace(/\s+/g, ''));

    // On a phone: the route and the list fit the width.
    const phone = await contextAs(app.browser, app.server, 'planner', { width: 390, height: 844 });
    const p = await phone.newPage();
    await p.goto(`${app.server.url}/tours?id=${closed.id}&tab=route`);
    await expect.poll(() => p.getByTestId('tour-stop').count(), { timeout: 30_000 }).toBe(itinerary.stops.length);
    await p.waitForFunction(() => (window as any).__tourMap?.loaded(), null, { timeout: 60_000 });
    await expect
      .poll(() => p.evaluate(() => (window as any).__tourMap.queryRenderedFeatures({ layers: ['tour-route'] }).length), { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(await p.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await p.screenshot({ path: shotPath(app, '73-tour-route-phone') });
    await phone.close();
    await context.close();
  });

  it('lets a judge score on a phone, one project at a time, and the ranking follows', async () => {
    // A small tour: two stops of one city, the viewer as its only judge, open for scoring.
    const [zone] = await app.db.query<{ id: number; city: string }>(
      'SELECT z.id, z.city FROM zones z WHERE (SELECT count(*) FROM projects p WHERE p.zone_id = z.id) >= 2 ORDER BY z.id LIMIT 1',
    );
    const [a, b] = await app.db.query<{ id: number; name: string }>('SELECT id, name FROM projects WHERE zone_id = $1 ORDER BY id LIMIT 2', [zone.id]);
    const [viewerId] = await app.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'viewer'");
    const planner = await app.server.as('planner');
    const created = await planner.send('POST', '/api/tours', { name: '手机评分测试观摩', held_on: '2026-11-25', scope: 'city', city: zone.city });
    const id = created.body.id;
    let v = (await planner.send('PUT', `/api/tours/${id}/stops`, { version: 1, stops: [{ project_id: a.id }, { project_id: b.id }] })).body.version;
    v = (await planner.send('PUT', `/api/tours/${id}/judges`, { version: v, judges: [{ user_id: viewerId.id }] })).body.version;
    expect((await planner.send('PATCH', `/api/tours/${id}`, { version: v, changes: { status: 'scoring' } })).status).toBe(200);

    const context = await contextAs(app.browser, app.server, 'viewer', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/tours?id=${id}&tab=score`);
    const sheet = page.getByTestId('score-sheet');
    await expect.poll(() => page.getByTestId('score-project').textContent(), { timeout: 30_000 }).toBe(a.name);
    const fillAll = async (value: string) => {
      const inputs = sheet.getByTestId('score-input');
      for (let i = 0; i < (await inputs.count()); i++) await inputs.nth(i).fill(value);
    };
    // Project a: every criterion 6 out of 10 → 60 points; then one step up on the first (投资规模, weight 20): 6.5 → 61.
    await fillAll('6');
    await sheet.getByTestId('plus').first().click();
    await expect.poll(() => page.getByTestId('sheet-total').textContent()).toBe('61.00');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '74-tour-score-phone') });
    await page.getByTestId('save-next').click();
    await expect.poll(() => page.getByTestId('score-project').textContent()).toBe(b.name);
    // Project b: every criterion 8 → 80 points: b leads.
    await fillAll('8');
    await page.getByTestId('save-next').click();
    await expect.poll(() => page.getByTestId('tour-notice').textContent()).toContain(b.name);
    await page.getByTestId('tab-results').click();
    await expect.poll(() => page.getByTestId('result-name').allTextContents()).toEqual([b.name, a.name]);
    expect(await page.getByTestId('result-score').allTextContents()).toEqual(['80.00', '61.00']);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '75-tour-results-phone'), fullPage: true });

    // The judge changes their mind on a: all 10 → 100 points; the ranking follows.
    await page.getByTestId('tab-score').click();
    await page.getByTestId('prev-project').click();
    await expect.poll(() => page.getByTestId('score-project').textContent()).toBe(a.name);
    await fillAll('10');
    await page.getByTestId('save-next').click();
    await expect.poll(() => page.getByTestId('tour-notice').textContent()).toContain(a.name);
    await page.getByTestId('tab-results').click();
    await expect.poll(() => page.getByTestId('result-name').allTextContents()).toEqual([a.name, b.name]);
    const stored = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tour_scores WHERE tour_id = $1', [id]);
    expect(stored[0].n).toBe(10);
    await context.close();
  });
});
