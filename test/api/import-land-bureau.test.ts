/**
 * Imports as a land bureau makes them: a file of transferred parcels without a 状态 column (the status given
 * for the whole file), standard field names (YDYHFLDM, 约定动工), land-use codes of the older standards
 * mapped with a warning per row or refused, and the command line on the same file (both databases).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { dbTargets, demoDumpBlob, postgresCopy } from '../helpers/databases.ts';
import { dataChecksum, freeSpot, shapefileZip, square, upload } from '../helpers/importFiles.ts';

/** Squares of 8 m side by side, 11 m apart, in the free part of a zone. */
async function squares(db: Db, n: number) {
  const s = await freeSpot(db, 'SX-YQGX');
  expect(s.radiusM).toBeGreaterThan(6 * n);
  const dLon = 11 / (111_320 * Math.cos((s.centre[1] * Math.PI) / 180));
  return Array.from({ length: n }, (_, k) => square([s.centre[0] + (k - (n - 1) / 2) * dLon, s.centre[1]], 8));
}

const BUREAU_FIELDS = [
  { name: 'DKBH', type: 'text' as const },
  { name: 'YDYHFLDM', type: 'text' as const },
  { name: '出让时间', type: 'text' as const },
  { name: '约定动工', type: 'text' as const },
  { name: '交地时间', type: 'text' as const },
];

describe.each(dbTargets({ writable: true }))('a land bureau’s files on $name', (target) => {
  const ctx = useApiServer(target);

  it('a file of transferred parcels without 状态: with 已供应 for the whole file the parcels are supplied with their dates (and idle by the rule); without it, the clear error', async () => {
    const planner = await ctx.server.as('planner');
    const file = await shapefileZip({
      epsg: 4547,
      fields: BUREAU_FIELDS,
      records: [
        { DKBH: 'BUR-1', YDYHFLDM: '100101', 出让时间: '2020-05-01', 约定动工: '2020-11-01', 交地时间: '2020-06-01' },
        { DKBH: 'BUR-2', YDYHFLDM: '110101', 出让时间: '2021年3月9日', 约定动工: '2021/9/9', 交地时间: '' },
      ],
      geometries: await squares(ctx.db, 2),
    });
    const staged = await upload(ctx.server.url, planner, '已出让地块.zip', file);
    expect(staged.status).toBe(201);
    // The standard field names are proposed; 交地时间 has no target and is left out.
    expect(staged.body.mapping.fields).toEqual({ code: 'DKBH', land_use_code: 'YDYHFLDM', supplied_date: '出让时间', agreed_start_date: '约定动工' });
    const before = await dataChecksum(ctx.db);

    // Without a status the parcels would be 储备 with a 出让时间: refused, row by row.
    const bare = await planner.send('POST', `/api/imports/${staged.body.id}/check`, {});
    expect(bare.status).toBe(200);
    expect(bare.body.errors).toBe(2);
    expect(bare.body.issues.filter((i: any) => i.severity === 'error').map((i: any) => [i.code, i.kind, i.message.en])).toEqual([
      ['BUR-1', 'bad_record', 'Supplied date: The parcel is not yet supplied: this date must be empty.'],
      ['BUR-2', 'bad_record', 'Supplied date: The parcel is not yet supplied: this date must be empty.'],
    ]);
    expect((await planner.send('POST', `/api/imports/${staged.body.id}/commit`, {})).status).toBe(422);
    expect(await dataChecksum(ctx.db)).toBe(before);

    // A bad value for the whole file is one 400 that names it, and changes nothing.
    const mapping = staged.body.mapping;
    const bad = await planner.send('POST', `/api/imports/${staged.body.id}/check`, { mapping: { ...mapping, values: { status: '卖掉了' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_whole_file_value');
    expect(bad.body.error.message).toBe(
      'Status, value for the whole file: Unknown status "卖掉了" (use 储备, 可供应, 已供应, 已动工, 已竣工, 已投产, 已达产).',
    );
    expect(bad.body.error.details.message_zh).toMatch(/^供地状态（整个文件的值）：未知的供地状态“卖掉了”/);
    const both = await planner.send('POST', `/api/imports/${staged.body.id}/check`, { mapping: { ...mapping, values: { supplied_date: '2020-01-01' } } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('Supplied date has both a column ("出让时间") and a value for the whole file: choose one.');
    expect(await dataChecksum(ctx.db)).toBe(before);

    const withStatus = { mapping: { ...mapping, values: { status: '已供应' } } };
    const check = await planner.send('POST', `/api/imports/${staged.body.id}/check`, withStatus);
    expect(check.body.errors).toBe(0);
    expect(check.body.toCreate).toBe(2);
    const commit = await planner.send('POST', `/api/imports/${staged.body.id}/commit`, withStatus);
    expect(commit.status).toBe(200);
    const rows = await ctx.db.query(`SELECT code, status, land_use_code, supplied_date, agreed_start_date FROM parcels WHERE code LIKE 'BUR-%' ORDER BY code`);
    expect(rows).toEqual([
      { code: 'BUR-1', status: 'supplied', land_use_code: '100101', supplied_date: '2020-05-01', agreed_start_date: '2020-11-01' },
      { code: 'BUR-2', status: 'supplied', land_use_code: '110101', supplied_date: '2021-03-09', agreed_start_date: '2021-09-09' },
    ]);
    // Supplied, agreed to start in 2020 and not started: the idle-land rule sees it (more than a year late).
    const idle = await planner.json(`/api/land/idle?asOf=2025-06-01&limit=100000`);
    expect(idle.body.parcels.find((p: any) => p.code === 'BUR-1')).toMatchObject({ status: 'supplied', state: 'idle' });
    // The value for the whole file belongs to this batch: the same columns next time are not proposed 已供应.
    const again = await upload(ctx.server.url, planner, '已出让地块.zip', file);
    expect(again.body.mapping.values).toBeUndefined();
    await planner.send('POST', `/api/imports/${again.body.id}/cancel`);
  }, 120_000);

  it('land-use codes of GB/T 21010-2017: each mapping a warning naming both codes, a code with no sound 2023 class refused; auto never reads 0601 as 工业用地', async () => {
    const planner = await ctx.server.as('planner');
    const file = await shapefileZip({
      epsg: 4547,
      fields: [
        { name: 'DKBH', type: 'text' },
        { name: 'DLBM', type: 'text' },
      ],
      records: [
        { DKBH: 'GBT-1', DLBM: '0601' },
        { DKBH: 'GBT-2', DLBM: '1001' },
        { DKBH: 'GBT-3', DLBM: '0906' },
      ],
      geometries: await squares(ctx.db, 3),
    });
    const staged = await upload(ctx.server.url, planner, '三调地类.zip', file);
    expect(staged.body.mapping.fields).toEqual({ code: 'DKBH', land_use_code: 'DLBM' });
    const check = (landUseStandard: string) =>
      planner.send('POST', `/api/imports/${staged.body.id}/check`, { mapping: { ...staged.body.mapping, landUseStandard } });

    const gbt = await check('GB/T 21010-2017');
    expect(gbt.body.warnings).toBe(2);
    expect(gbt.body.issues.map((i: any) => [i.n, i.severity, i.kind, i.message.zh])).toEqual([
      [1, 'warning', 'land_use_crosswalk', '用地分类已转换：GB/T 21010-2017 的 0601 工业用地 → 2023 分类 1001 工业用地。'],
      [2, 'warning', 'land_use_crosswalk', '用地分类已转换：GB/T 21010-2017 的 1001 铁路用地 → 2023 分类 1201 铁路用地。'],
      [
        3,
        'error',
        'unknown_land_use',
        '用地性质（“DLBM”）：GB/T 21010-2017 的 0906 风景名胜设施用地 没有可靠对应的 2023 分类：“风景名胜设施用地”在 2023 分类中没有对应类（按实际用途归类）：请给出 2023 分类代码。',
      ],
    ]);
    expect(gbt.body.issues[2].code).toBe('GBT-3');

    // Auto: 0601 and 1001 are 2023 codes (农村道路, 工业用地) and stay so, each told once; 0906 is GB/T's alone: refused.
    const auto = await check('auto');
    expect(auto.body.issues.map((i: any) => [i.n, i.severity, i.kind])).toEqual([
      [1, 'warning', 'land_use_ambiguous'],
      [2, 'warning', 'land_use_ambiguous'],
      [3, 'error', 'unknown_land_use'],
    ]);
    expect(auto.body.issues[0].message.en).toBe(
      'Land use 0601 is read as 2023 class 农村道路; in GB/T 21010-2017 0601 is 工业用地. If this column uses GB/T 21010-2017, choose that standard.',
    );
    expect(auto.body.issues[2].message.en).toMatch(/^Land use \("DLBM"\): "0906" is not a 2023 code; in GB\/T 21010-2017 it is 风景名胜设施用地\./);
    await planner.send('POST', `/api/imports/${staged.body.id}/cancel`);

    // Without the refused row, GB/T 21010-2017 commits the mapped codes.
    const good = await shapefileZip({
      epsg: 4547,
      fields: [
        { name: 'DKBH', type: 'text' },
        { name: 'DLBM', type: 'text' },
      ],
      records: [
        { DKBH: 'GBT-1', DLBM: '0601' },
        { DKBH: 'GBT-2', DLBM: '1001' },
      ],
      geometries: await squares(ctx.db, 2),
    });
    const staged2 = await upload(ctx.server.url, planner, '三调地类.zip', good);
    const commit = await planner.send('POST', `/api/imports/${staged2.body.id}/commit`, {
      mapping: { ...staged2.body.mapping, landUseStandard: 'GB/T 21010-2017' },
    });
    expect(commit.status).toBe(200);
    expect(await ctx.db.query(`SELECT code, land_use_code FROM parcels WHERE code LIKE 'GBT-%' ORDER BY code`)).toEqual([
      { code: 'GBT-1', land_use_code: '1001' },
      { code: 'GBT-2', land_use_code: '1201' },
    ]);
  }, 120_000);
});

// ------------------------------------------------------------------ the command line, on both databases

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['server/cli/import.ts', ...args], { cwd: root, env: { ...process.env, DEMO_DATA: 'no', LANG: 'C', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** A database the CLI process can open by itself: an embedded data directory, or a PostgreSQL copy. */
interface CliDatabase {
  env: Record<string, string>;
  open(): Promise<Db>;
  drop(): Promise<void>;
}

async function embeddedForCli(): Promise<CliDatabase> {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'pa-cli-db-')), 'pglite');
  const db = await openEmbeddedDb({ dataDir, loadDataDir: demoDumpBlob() });
  await db.close();
  // DATABASE_URL empty: the CLI opens the embedded database in DATA_DIR (one process at a time).
  return { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, open: () => openEmbeddedDb({ dataDir }), drop: async () => undefined };
}

async function postgresForCli(baseUrl: string): Promise<CliDatabase> {
  const copy = await postgresCopy(baseUrl);
  return { env: { DATABASE_URL: copy.url }, open: () => openPostgresDb(copy.url), drop: copy.drop };
}

const pgUrl = inject('postgresUrl');
const cliTargets: { name: string; make: () => Promise<CliDatabase> }[] = [
  { name: 'embedded', make: embeddedForCli },
  ...(pgUrl ? [{ name: 'postgres', make: () => postgresForCli(pgUrl) }] : []),
];

describe.each(cliTargets)('the command line import on $name', ({ make }) => {
  it('stops on a guessed coordinate system, naming it; with --crs, --set status=已供应 and GB/T 21010-2017 it commits, printing every mapping', async () => {
    const cli = await make();
    try {
      let db = await cli.open();
      const geometries = await squares(db, 2);
      await db.close();
      const zip = await shapefileZip({
        epsg: 4547,
        fields: [
          { name: 'DKBH', type: 'text' },
          { name: 'DLBM', type: 'text' },
          { name: '出让时间', type: 'text' },
        ],
        records: [
          { DKBH: 'CLI-B1', DLBM: '0601', 出让时间: '2023-05-01' },
          { DKBH: 'CLI-B2', DLBM: '0604', 出让时间: '2023-06-01' },
        ],
        geometries,
        prj: null,
      });
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'pa-cli-')), '出让地块.zip');
      writeFileSync(file, zip);

      // No .prj, unprefixed eastings: a guess. --commit stops before writing and asks for --crs, naming the guess.
      const guessed = await runCli([file, '--set', 'status=已供应', '--land-use-standard', 'GB/T 21010-2017', '--user', 'planner', '--commit'], cli.env);
      expect(guessed.code).toBe(1);
      expect(guessed.out).toContain('The coordinate system was guessed, not read from a .prj: EPSG:4547');
      expect(guessed.out).toContain('confirm it with --crs EPSG:4547');
      db = await cli.open();
      expect(await db.query(`SELECT code FROM parcels WHERE code LIKE 'CLI-B%'`)).toEqual([]);
      await db.close();

      // Confirmed: every mapping is printed as a warning, and the parcels are 已供应 with their dates.
      const done = await runCli(
        [file, '--crs', 'EPSG:4547', '--set', 'status=已供应', '--land-use-standard', 'GB/T 21010-2017', '--user', 'planner', '--commit'],
        cli.env,
      );
      expect(done.out).toContain('value for the whole file: status=已供应');
      expect(done.out).toContain('warning feature 1 (CLI-B1): Land use mapped: GB/T 21010-2017 0601 工业用地 → 2023 1001 工业用地.');
      expect(done.out).toContain(
        'warning feature 2 (CLI-B2): Land use mapped: GB/T 21010-2017 0604 仓储用地 → 2023 11 仓储用地. The 2023 classification splits storage into 1101 物流仓储用地 and 1102 储备库用地: only the first level is certain.',
      );
      expect(done.out).toMatch(/Imported as import \d+: 2 created, 0 updated\./);
      expect(done.code).toBe(0);
      db = await cli.open();
      expect(await db.query(`SELECT code, status, land_use_code, supplied_date FROM parcels WHERE code LIKE 'CLI-B%' ORDER BY code`)).toEqual([
        { code: 'CLI-B1', status: 'supplied', land_use_code: '1001', supplied_date: '2023-05-01' },
        { code: 'CLI-B2', status: 'supplied', land_use_code: '11', supplied_date: '2023-06-01' },
      ]);
      await db.close();
    } finally {
      await cli.drop();
    }
  }, 600_000);
});
