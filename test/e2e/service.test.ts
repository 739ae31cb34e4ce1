/**
 * 前期手续 in a real browser, on both databases: a planner moves a project's last required items to done in the
 * side panel's checklist and the project becomes 具备开工条件; the agent's to-do list shows an overdue problem in
 * red; the problem list and figures open; the page fits a phone.
 */
import { describe, expect, it } from 'vitest';
import { browserTargets, contextAs, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('代办 pages on $name', (target) => {
  const app = useBrowserApp(target);

  it('moves the last required items to done in the checklist and the project becomes ready to start', async () => {
    // A project of the agent's zone with required items still open.
    const [project] = await app.db.query<{ project_id: number }>(
      `SELECT pi.project_id FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id JOIN projects p ON p.id = pi.project_id
       JOIN zones z ON z.id = p.zone_id
       WHERE z.code = 'SX-DTJK' AND s.required_before_start AND pi.state NOT IN ('done', 'not_applicable')
       GROUP BY pi.project_id ORDER BY count(*), pi.project_id LIMIT 1`,
    );
    const context = await contextAs(app.browser, app.server, 'planner', { width: 1440, height: 900 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/?sel=project:${project.project_id}`);
    const ready = page.getByTestId('checklist-ready');
    await expect.poll(() => ready.textContent(), { timeout: 30_000 }).toContain('尚不具备开工条件');
    await page.screenshot({ path: shotPath(app, '70-checklist-before'), fullPage: true });
    const pending = await app.db.query<{ id: number }>(
      `SELECT pi.id FROM project_service_items pi JOIN service_items s ON s.id = pi.item_id
       WHERE pi.project_id = $1 AND s.required_before_start AND pi.state NOT IN ('done', 'not_applicable') ORDER BY s.sort_order`,
      [project.project_id],
    );
    for (const { id } of pending) {
      await page.getByTestId(`item-state-${id}`).selectOption('done');
      await expect
        .poll(async () => (await app.db.query<{ state: string }>('SELECT state FROM project_service_items WHERE id = $1', [id]))[0].state)
        .toBe('done');
      await expect.poll(() => page.getByTestId(`item-state-${id}`).isEnabled()).toBe(true);
    }
    await expect.poll(() => ready.textContent()).toContain('✔ 具备开工条件');
    const api = (await (await app.server.as('planner')).json(`/api/service/projects/${project.project_id}`)).body;
    expect(api.ready).toBe(true);
    await page.getByTestId('checklist').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shotPath(app, '71-checklist-ready'), fullPage: true });
    await context.close();

    // The same checklist on a phone: it fits, its table scrolls within the panel.
    const phone = await contextAs(app.browser, app.server, 'daiban', { width: 390, height: 844 });
    const small = await phone.newPage();
    await small.goto(`${app.server.url}/?sel=project:${project.project_id}`);
    await expect.poll(() => small.getByTestId('checklist-ready').textContent(), { timeout: 30_000 }).toContain('具备开工条件');
    await small.getByTestId('checklist').scrollIntoViewIfNeeded();
    const overflow = await small.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await small.screenshot({ path: shotPath(app, '76-checklist-phone') });
    await phone.close();
  });

  it("shows the agent's overdue problem in red in the to-do list, on a desktop and on a phone", async () => {
    for (const viewport of [
      { width: 1440, height: 900, shot: '72-todo-desktop' },
      { width: 390, height: 844, shot: '73-todo-phone' },
    ]) {
      const context = await contextAs(app.browser, app.server, 'daiban', { width: viewport.width, height: viewport.height });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/service`);
      const overdue = page.locator('[data-testid="todo-problem"][data-overdue="true"]');
      await expect.poll(() => overdue.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      const own = overdue.filter({ hasText: '施工许可材料需补正' });
      expect(await own.count()).toBeGreaterThan(0);
      const colour = await own.first().evaluate((el) => getComputedStyle(el).borderLeftColor);
      expect(colour).toBe('rgb(197, 48, 48)');
      expect(await page.getByTestId('todo-project').count()).toBeGreaterThan(0);
      const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: shotPath(app, viewport.shot), fullPage: viewport.width > 400 });
      await context.close();
    }
  });

  it('lists problems with counts, escalates one, and shows the figures with units; the phone does not overflow', async () => {
    const context = await contextAs(app.browser, app.server, 'planner', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.server.url}/service?tab=problems`);
    await expect.poll(() => page.getByTestId('problem-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('problem-counts').locator('tbody tr').count()).toBeGreaterThan(0);
    const first = page
      .getByTestId('problem-row')
      .filter({ has: page.getByTestId('problem-escalate') })
      .first();
    const title = await first.locator('strong').textContent();
    await first.getByTestId('problem-escalate').click();
    await page.getByTestId('problem-step-text').fill('县级无法协调，上报市级');
    await page.getByTestId('problem-step-save').click();
    await expect
      .poll(
        async () =>
          (
            await app.db.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM project_problem_events WHERE action = 'escalate' AND note = '县级无法协调，上报市级'",
            )
          )[0].n,
      )
      .toBe(1);
    expect(title).toBeTruthy();
    let overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '74-problems-phone') });

    await page.getByTestId('tab-figures').click();
    await expect.poll(() => page.getByTestId('sf-done').textContent(), { timeout: 30_000 }).toMatch(/项 · \d/);
    const from = await page.getByTestId('sf-from').inputValue();
    const to = await page.getByTestId('sf-to').inputValue();
    const api = (await (await app.server.as('planner')).json(`/api/service/figures?from=${from}&to=${to}`)).body;
    expect(await page.getByTestId('sf-ready').locator('strong').textContent()).toBe(String(api.ready.projects));
    overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shotPath(app, '75-figures-phone'), fullPage: true });
    await context.close();
  });
});
