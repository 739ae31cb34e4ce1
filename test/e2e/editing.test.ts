/**
 * Accounts and editing in a real browser: sign in, split a parcel on the map, see its history, get a
 * conflict when saving over someone else's change. Screenshots go to test-output/e2e/.
 */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { waitForMapIdle } from '../helpers/browser.ts';
import { ringCentre } from '../helpers/geo.ts';
import { SHOTS, contextAs as signedInContext, useBrowserApp } from '../helpers/browserApp.ts';

const shots = SHOTS;
const app = useBrowserApp();

const contextAs = (username: string): Promise<BrowserContext> => signedInContext(app.browser, app.server, username);

async function parcel(code: string) {
  const [p] = await app.db.query<{ id: number; code: string; version: number; g: any }>(
    'SELECT id, code, version, ST_AsGeoJSON(geom, 9)::json AS g FROM parcels WHERE code = $1',
    [code],
  );
  return p;
}

async function openParcel(page: Page, p: { id: number; g: any }) {
  const [lon, lat] = ringCentre(p.g.coordinates[0][0]);
  await page.goto(`${app.server.url}/?c=${lon},${lat}&z=17&sel=parcel:${p.id}&layers=zones,parcels`);
  await waitForMapIdle(page);
}

describe('accounts and editing', () => {
  it('asks for sign-in, signs in, and shows who is signed in', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-username').fill('planner');
    await page.getByTestId('login-password').fill('wrong password!');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await page.screenshot({ path: path.join(shots, '10-sign-in.png') });
    await page.getByTestId('login-password').fill('demo-planner-2026');
    await page.getByTestId('login-submit').click();
    await waitForMapIdle(page);
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('规划科');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await page.close();
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
    await page.screenshot({ path: path.join(shots, '11-split-line-drawn.png') });
    await page.getByTestId('editor-save').click();
    await page.getByTestId('geometry-editor').waitFor({ state: 'detached' });

    const pieces = await app.db.query<{ code: string; area_m2: number }>("SELECT code, area_m2 FROM parcels WHERE code IN ('SYJK-0040', 'SYJK-0040-2') ORDER BY code");
    expect(pieces.map((x) => x.code)).toEqual(['SYJK-0040', 'SYJK-0040-2']);
    await page.getByTestId('tab-history').click();
    const first = page.getByTestId('history').locator('li').first();
    await expect(first.textContent()).resolves.toMatch(/planner · 分割[\s\S]*split into SYJK-0040, SYJK-0040-2/);
    await waitForMapIdle(page);
    await page.screenshot({ path: path.join(shots, '12-split-history.png') });
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
    await page.screenshot({ path: path.join(shots, '13-reshape.png') });
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
    await land.getByTestId('parcel-save').click();
    await land.getByTestId('parcel-edit-form').waitFor({ state: 'detached' });

    await planner.locator('input[name="environment_standard"]').fill('执行园区规划环评');
    await planner.getByTestId('parcel-save').click();
    const conflict = planner.getByTestId('conflict');
    await conflict.waitFor();
    const text = await conflict.textContent();
    expect(text).toContain('landbureau');
    expect(text).toContain('土地价格');
    expect(text).toContain('999');
    await planner.screenshot({ path: path.join(shots, '14-conflict.png') });
    const [row] = await app.db.query<{ land_price_wan: number; environment_standard: string | null }>('SELECT land_price_wan, environment_standard FROM parcels WHERE id = $1', [p.id]);
    expect(row.land_price_wan).toBe(999);
    expect(row.environment_standard).not.toBe('执行园区规划环评');
    const entries = await app.db.query("SELECT 1 FROM audit_log WHERE entity = 'parcel' AND entity_id = $1 AND action = 'update'", [p.id]);
    expect(entries).toHaveLength(1);
  });

  it('shows names with HTML as text, never as markup', async () => {
    const [pr] = await app.db.query<{ id: number }>("UPDATE projects SET name = '<img src=x onerror=alert(1)>项目' WHERE id = (SELECT min(id) FROM projects) RETURNING id");
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
    const context = await contextAs('admin');
    const page = await context.newPage();
    await page.goto(`${app.server.url}/admin`);
    await page.getByTestId('admin-page').waitFor();
    await expect(page.getByTestId('users-table').textContent()).resolves.toContain('datong');
    await expect(page.getByTestId('permissions-table').textContent()).resolves.toContain('绘制、修改、分割、合并地块');
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    await expect(page.getByTestId('audit-table').textContent()).resolves.toContain('SYJK-0040');
    await page.screenshot({ path: path.join(shots, '15-admin.png'), fullPage: true });
    await context.close();
  });
});
