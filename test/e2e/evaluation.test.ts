/**
 * 开发区考核 in a real browser, on both databases: a city's ranking shows the API's order with 序时进度 bars,
 * the province ranks its cities, a scheme change moves the ranking in the preview and after saving, and the
 * page fits a phone.
 */
import { describe, expect, it } from 'vitest';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

const CITY = '大同市';

describe.each(browserTargets())('考核 page on $name', (target) => {
  const app = useBrowserApp(target);

  it("shows a city's zones in the API's order with 序时进度 bars, and the province's cities", async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1440, height: 900 });
    const page = await context.newPage();
    const api = (await (await app.server.as('planner')).json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(CITY)}`)).body;
    await page.goto(`${app.server.url}/evaluation?city=${encodeURIComponent(CITY)}&month=2026-10`);
    const rows = page.getByTestId('zone-ranking-row');
    await expect.poll(() => rows.count(), { timeout: 120_000 }).toBe(api.zones.length);
    expect(await page.getByTestId('zone-name').allTextContents()).toEqual(api.zones.map((z: { name: string }) => z.name));
    // 序时进度 of investment to date, as the API has it, with the gap where behind.
    const inv = api.zones[0].indicators.find((i: { key: string }) => i.key === 'investment_completion');
    const bar = rows.first().getByTestId('schedule-investment_completion');
    expect(await bar.textContent()).toContain(inv.progress === null ? '未报' : `${(inv.progress * 100).toFixed(1)}%`);
    if (inv.behind) expect(await bar.textContent()).toContain('差');
    await page.getByTestId('zone-name').first().click();
    await expect.poll(() => page.getByTestId('zone-detail').isVisible()).toBe(true);
    await page.getByTestId('zone-detail').getByRole('button').click();
    await page.screenshot({ path: shotPath(app, '70-evaluation-city'), fullPage: true });

    await page.getByTestId('eval-level').selectOption('');
    const cityRows = page.getByTestId('city-ranking-row');
    const province = (await (await app.server.as('planner')).json('/api/evaluation/results?month=2026-10')).body;
    await expect.poll(() => cityRows.count(), { timeout: 120_000 }).toBe(province.cities.length);
    expect(await page.getByTestId('city-name').allTextContents()).toEqual(province.cities.map((c: { city: string }) => c.city));
    expect(page.url()).toContain('/evaluation?month=2026-10');
    await page.screenshot({ path: shotPath(app, '71-evaluation-province'), fullPage: true });
    await context.close();
  });

  it('a scheme change moves the ranking in the preview, and after saving', async () => {
    const planner = await app.server.as('planner');
    const before = (await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(CITY)}`)).body;
    const last = before.zones[before.zones.length - 1];
    // The last zone gets the best 营商环境 rating; the new scheme weighs only that.
    expect(
      (
        await planner.send('PUT', '/api/evaluation/values', {
          values: [{ zone_id: last.zone_id, month: '2026-10', indicator_key: 'business_environment', value: 108 }],
        })
      ).status,
    ).toBe(200);

    const context = await contextAs(app.browser, app.server, 'planner', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/evaluation?city=${encodeURIComponent(CITY)}&month=2026-10`);
    await expect.poll(() => page.getByTestId('zone-ranking-row').count(), { timeout: 120_000 }).toBe(before.zones.length);
    await page.getByTestId('tab-scheme').click();
    const indicators = page.getByTestId('scheme-indicator');
    await expect.poll(() => indicators.count()).toBeGreaterThan(1);
    for (let i = 0; i < (await indicators.count()); i++) {
      const row = indicators.nth(i);
      const mine = (await row.getAttribute('data-key')) === 'business_environment';
      await row.getByTestId('weight-industrial').fill(mine ? '100' : '0');
      await row.getByTestId('weight-other').fill(mine ? '100' : '0');
      if (mine) await row.locator('input[type=number]').nth(2).fill('1.2');
    }
    await page.getByTestId('scheme-preview').click();
    await expect.poll(() => page.getByTestId('preview-name').first().textContent(), { timeout: 120_000 }).toBe(last.name);
    // Nothing saved yet.
    expect((await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(CITY)}`)).body.zones[0].zone_id).not.toBe(last.zone_id);
    await page.screenshot({ path: shotPath(app, '72-evaluation-preview'), fullPage: true });

    await page.getByTestId('scheme-save').click();
    await expect.poll(() => page.getByTestId('scheme-message').textContent(), { timeout: 120_000 }).toMatch(/已保存为第 \d+ 版/);
    await page.getByTestId('tab-ranking').click();
    await expect.poll(() => page.getByTestId('zone-name').first().textContent(), { timeout: 120_000 }).toBe(last.name);
    expect((await planner.json(`/api/evaluation/results?month=2026-10&city=${encodeURIComponent(CITY)}`)).body.zones[0].zone_id).toBe(last.zone_id);
    await context.close();
  });

  it('fits a phone: the city ranking and the province view do not overflow sideways', async () => {
    const context = await contextAs(app.browser, app.server, 'viewer', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/evaluation?city=${encodeURIComponent(CITY)}&month=2026-10`);
    await expect.poll(() => page.getByTestId('zone-ranking-row').count(), { timeout: 120_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // A viewer reads but has no save button.
    await page.getByTestId('tab-scheme').click();
    await expect.poll(() => page.getByTestId('scheme-preview').isVisible()).toBe(true);
    expect(await page.getByTestId('scheme-save').count()).toBe(0);
    await page.getByTestId('tab-ranking').click();
    await page.screenshot({ path: shotPath(app, '73-evaluation-city-phone'), fullPage: true });
    await page.goto(`${app.server.url}/evaluation?month=2026-10`);
    await expect.poll(() => page.getByTestId('city-ranking-row').count(), { timeout: 120_000 }).toBeGreaterThan(1);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '74-evaluation-province-phone'), fullPage: true });
    await context.close();
  });
});
