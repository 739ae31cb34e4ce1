/**
 * Accounts and editing in a real browser, on the embedded PostGIS and on the real PostgreSQL + PostGIS (their
 * vector tiles come from different code, and clicks read ids from them): sign in, click a parcel, merge and
 * split parcels on the map, see the history, get a conflict when saving over someone else's change.
 * Every test sets up what it needs itself. Screenshots go to test-output/e2e/.
 */

import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { renderedIds, waitForMapIdle } from '../helpers/browser.ts';
import { ringCentre } from '../helpers/geo.ts';
import { browserTargets, contextAs as signedInContext, shotPath, useBrowserApp } from '../helpers/browserApp.ts';

describe.each(browserTargets())('accounts and editing on $name', (target) => {
  const app = useBrowserApp(target);

  // Contexts (and their pages) are closed after each test, also after one that failed half-way: an open page
  // is a live WebGL map that would slow the next tests.
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  const contextAs = async (username: string): Promise<BrowserContext> => {
    const context = await signedInContext(app.browser, app.server, username);
    contexts.push(context);
    return context;
  };

  async function parcel(code: string) {
    const [p] = await app.db.query<{ id: number; code: string; version: number; area_m2: number; g: any }>(
      'SELECT id, code, version, area_m2, ST_AsGeoJSON(geom, 9)::json AS g FROM parcels WHERE code = $1',
      [code],
    );
    return p;
  }

  async function openParcel(page: Page, p: { id: number; g: any }) {
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    await page.goto(`${app.server.url}/?c=${lon},${lat}&z=17&sel=parcel:${p.id}&layers=zones,parcels`);
    await waitForMapIdle(page);
  }

  /** Clicks the map at a parcel's middle, as a person would. */
  async function clickParcel(page: Page, p: { g: any }) {
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    const point = await page.evaluate(([x, y]) => (window as any).__parkAtlas.map.project([x, y]), [lon, lat]);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
  }

  it('asks for sign-in, signs in, and shows who is signed in', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-username').fill('planner');
    await page.getByTestId('login-password').fill('wrong password!');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await page.screenshot({ path: shotPath(app, '10-sign-in') });
    await page.getByTestId('login-password').fill('demo-planner-2026');
    await page.getByTestId('login-submit').click();
    await waitForMapIdle(page);
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('规划科');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await page.close();
  });

  it('opens a parcel clicked on the map, outlines it, and merges a neighbour clicked on the map into it', async () => {
    // Two adjacent parcels of one zone, used by no other test.
    const p = await parcel('SYJK-0100');
    const neighbour = await parcel('SYJK-0101');
    const context = await contextAs('planner');
    const page = await context.newPage();
    const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
    await page.goto(`${app.server.url}/?c=${lon},${lat}&z=16&layers=zones,parcels`);
    await waitForMapIdle(page);

    await clickParcel(page, p);
    await expect(page.getByTestId('parcel-code').textContent()).resolves.toBe('SYJK-0100');
    expect(page.url()).toContain(`sel=parcel:${p.id}`);
    await waitForMapIdle(page);
    expect(await renderedIds(page, ['parcels-selected'])).toEqual([p.id]);

    await page.getByTestId('start-merge').click();
    await clickParcel(page, neighbour);
    // The neighbour is outlined with the parcel, and can be merged once its version has been read.
    await page.locator('[data-testid="editor-save"]:enabled').waitFor();
    await waitForMapIdle(page);
    expect(await renderedIds(page, ['parcels-selected'])).toEqual([p.id, neighbour.id].sort((a, b) => a - b));
    await expect(page.getByTestId('geometry-editor').textContent()).resolves.toContain('SYJK-0101');
    await page.screenshot({ path: shotPath(app, '16-merge-picked') });
    await page.getByTestId('editor-save').click();
    await page.getByTestId('geometry-editor').waitFor({ state: 'detached' });

    const after = await app.db.query<{ id: number; area_m2: number }>("SELECT id, area_m2 FROM parcels WHERE code IN ('SYJK-0100', 'SYJK-0101')");
    expect(after.map((r) => r.id)).toEqual([p.id]);
    // The merged parcel is the two put together: no land lost or gained (seeded areas 20 177 + 20 436 m²).
    expect(after[0].area_m2).toBeCloseTo(p.area_m2 + neighbour.area_m2, 0);
    expect(p.area_m2 + neighbour.area_m2).toBeCloseTo(40613, -1);
    // The map shows the merged shape: the neighbour is gone from the tiles, the survivor still outlined.
    await page.waitForFunction(
      (gone) => !(window as any).__parkAtlas.map.queryRenderedFeatures({ layers: ['parcels-fill'] }).some((f: any) => f.properties.id === gone),
      neighbour.id,
      { timeout: 120_000 },
    );
    await waitForMapIdle(page);
    expect(await renderedIds(page, ['parcels-selected'])).toEqual([p.id]);
    await context.close();
  });

  it('splits a parcel along a line drawn on the map, and shows the split in its history', async () => {
    const context = await contextAs('planner');
    const page = await context.newPage();
    const p = await parcel('SYJK-0040');
    await openParcel(page, p);
    await page.getByTestId('start-split').click();
    const ring: number[][] = p.g.coordinates[0][0];
    const mid = (u: number[], v: number[]) => [(u[0] + v[0]) / 2, (u[1] + v[1]) / 2];
    const m1 = mid(ring[0], ring[1]);
    const m2 = mid(ring[2], ring[3]);
    const beyond = (from: number[], to: number[]) => [to[0] + (to[0] - from[0]) * 0.08, to[1] + (to[1] - from[1]) * 0.08];
    const box = (await page.getByTestId('map').boundingBox())!;
    const points = await page.evaluate(([a, b]) => [a, b].map((q) => (window as any).__parkAtlas.map.project(q)), [beyond(m2, m1), beyond(m1, m2)]);
    // Click the start, the end, and the end again to finish the line.
    for (const q of [points[0], points[1], points[1]]) {
      await page.mouse.click(box.x + q.x, box.y + q.y);
      await page.waitForTimeout(250);
    }
    await expect(page.getByTestId('editor-save').isEnabled()).resolves.toBe(true);
    await page.screenshot({ path: shotPath(app, '11-split-line-drawn') });
    await page.getByTestId('editor-save').click();
    await page.getByTestId('geometry-editor').waitFor({ state: 'detached' });

    const pieces = await app.db.query<{ code: string; area_m2: number }>(
      "SELECT code, area_m2 FROM parcels WHERE code IN ('SYJK-0040', 'SYJK-0040-2') ORDER BY code",
    );
    expect(pieces.map((x) => x.code)).toEqual(['SYJK-0040', 'SYJK-0040-2']);
    await page.getByTestId('tab-history').click();
    const first = page.getByTestId('history').locator('li').first();
    await expect(first.textContent()).resolves.toMatch(/planner · 分割[\s\S]*split into SYJK-0040, SYJK-0040-2/);
    await waitForMapIdle(page);
    await page.screenshot({ path: shotPath(app, '12-split-history') });
    await context.close();
  });

  it('shows the live area while reshaping', async () => {
    const context = await contextAs('planner');
    const page = await context.newPage();
    const p = await parcel('SYJK-0050');
    const [{ area_m2 }] = await app.db.query<{ area_m2: number }>('SELECT area_m2 FROM parcels WHERE id = $1', [p.id]);
    await openParcel(page, p);
    await page.getByTestId('start-reshape').click();
    const text = await page.getByTestId('editor-area').textContent();
    expect(text).toContain(`${Math.round(area_m2).toLocaleString('zh-CN')} m²`);
    await page.screenshot({ path: shotPath(app, '13-reshape') });
    await page.getByTestId('editor-cancel').click();
    await context.close();
  });

  it('refuses to save over a newer change and shows what the other person changed', async () => {
    const p = await parcel('SYJK-0060');
    const planner = await (await contextAs('planner')).newPage();
    const land = await (await contextAs('landbureau')).newPage();
    for (const page of [planner, land]) {
      await openParcel(page, p);
      await page.getByTestId('tab-edit').click();
      await page.getByTestId('parcel-edit-form').waitFor();
    }
    await land.locator('input[name="land_price_wan"]').fill('999');
    await land.getByTestId('form-save').click();
    await land.getByTestId('parcel-edit-form').waitFor({ state: 'detached' });

    await planner.locator('input[name="environment_standard"]').fill('执行园区规划环评');
    await planner.getByTestId('form-save').click();
    const conflict = planner.getByTestId('conflict');
    await conflict.waitFor();
    const text = await conflict.textContent();
    expect(text).toContain('landbureau');
    expect(text).toContain('土地价格');
    expect(text).toContain('999');
    await planner.screenshot({ path: shotPath(app, '14-conflict') });
    const [row] = await app.db.query<{ land_price_wan: number; environment_standard: string | null }>(
      'SELECT land_price_wan, environment_standard FROM parcels WHERE id = $1',
      [p.id],
    );
    expect(row.land_price_wan).toBe(999);
    expect(row.environment_standard).not.toBe('执行园区规划环评');
    const entries = await app.db.query("SELECT 1 FROM audit_log WHERE entity = 'parcel' AND entity_id = $1 AND action = 'update'", [p.id]);
    expect(entries).toHaveLength(1);
  });

  it('shows names with HTML as text, never as markup', async () => {
    const [pr] = await app.db.query<{ id: number }>(
      "UPDATE projects SET name = '<img src=x onerror=alert(1)>项目' WHERE id = (SELECT min(id) FROM projects) RETURNING id",
    );
    const context = await contextAs('viewer');
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await page.goto(`${app.server.url}/?sel=project:${pr.id}`);
    await waitForMapIdle(page);
    await expect(page.getByTestId('panel-title').textContent()).resolves.toBe('<img src=x onerror=alert(1)>项目');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });

  it('lists users, permissions and the audit log on the admin page', async () => {
    // An audited change of its own to find in the log, whatever ran before.
    const p = await parcel('SYJK-0070');
    const planner = await app.server.as('planner');
    const change = await planner.send('PATCH', `/api/parcels/${p.id}`, {
      version: p.version,
      changes: { environment_standard: '执行园区规划环评（管理页测试）' },
    });
    expect(change.status).toBe(200);
    const context = await contextAs('admin');
    const page = await context.newPage();
    await page.goto(`${app.server.url}/admin`);
    await page.getByTestId('admin-page').waitFor();
    // The tables fill in after their requests answer: wait for the rows, not just the headings.
    await expect.poll(() => page.getByTestId('users-table').textContent()).toContain('datong');
    await expect.poll(() => page.getByTestId('permissions-table').textContent()).toContain('绘制、修改、分割、合并地块');
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    // Its row (the newest are the sign-ins that came after it): who, what, which record, the new value.
    const row = page.getByTestId('audit-table').locator('tbody tr', { hasText: '执行园区规划环评（管理页测试）' });
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      expect.any(String),
      'planner',
      // The action and the kind of record in the page's language, as the edit forms name them (domain/fieldLabels.ts).
      '修改',
      `地块 ${p.id} v${p.version + 1}`,
      expect.stringContaining('执行园区规划环评（管理页测试）'),
    ]);
    await page.screenshot({ path: shotPath(app, '15-admin'), fullPage: true });
    await context.close();
  });
});
