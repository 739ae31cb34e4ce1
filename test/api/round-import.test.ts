/**
 * A 三个一批 round's list imported from Excel or CSV, over HTTP on both databases: a good file of N rows puts
 * N projects into their batches (a dry run first writes nothing), one audit entry; a file with any bad row
 * writes nothing and names every bad row with its line and reason (unknown or ambiguous project, a project
 * already in another batch of the round, outside the user's zones, unknown batch or round).
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';
import { signIn } from '../helpers/server.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Generous: signing in hashes passwords, and the machine is shared.
describe.each(dbTargets({ writable: true }))('三个一批 list import on $name', { timeout: 240_000 }, (target) => {
  const ctx = useApiServer(target);
  const state = async () => ({
    entries: await ctx.db.query('SELECT round_id, project_id, batch FROM project_round_entries ORDER BY round_id, project_id'),
    audit: (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action NOT IN ('login', 'logout')"))[0].n,
  });
  const sessions = new Map<string, { cookie: string; csrfToken: string }>();
  const upload = async (who: string, query: string, body: string | Buffer, type = 'text/csv; charset=utf-8') => {
    if (!sessions.has(who)) sessions.set(who, await signIn(ctx.server.url, who));
    const { cookie, csrfToken } = sessions.get(who)!;
    const res = await fetch(`${ctx.server.url}/api/supervision/rounds/import${query}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': type, 'X-File-Name': encodeURIComponent('第三轮台账.csv') },
      body: body as BodyInit,
    });
    return { status: res.status, body: await res.json() };
  };
  const csv = (rows: (string | number)[][]) => `\uFEFF${stringify(rows)}`;
  /** Projects not in any round, with unique names, outside 大同经开区; and one inside it. */
  const fixtures = async () => {
    const [dtjk] = await ctx.db.query<{ id: number }>("SELECT id FROM zones WHERE code = 'SX-DTJK'");
    const free = await ctx.db.query<{ id: number; name: string; zone_id: number }>(
      `SELECT p.id, p.name, p.zone_id FROM projects p WHERE p.zone_id <> $1
         AND NOT EXISTS (SELECT 1 FROM project_round_entries e WHERE e.project_id = p.id)
         AND (SELECT count(*) FROM projects q WHERE q.name = p.name) = 1
       ORDER BY p.id LIMIT 6`,
      [dtjk.id],
    );
    const [inDatong] = await ctx.db.query<{ id: number; name: string }>('SELECT id, name FROM projects WHERE zone_id = $1 ORDER BY id LIMIT 1', [dtjk.id]);
    return { free, inDatong, dtjk: dtjk.id };
  };
  const newRound = async (name: string) => {
    const r = await (await ctx.server.as('planner')).send('POST', '/api/supervision/rounds', { name, held_on: '2026-11-20' });
    expect(r.status).toBe(201);
    return r.body.id as number;
  };

  it('imports a good CSV of 3 rows as 3 entries after a dry run that writes nothing, with one audit entry', async () => {
    const { free } = await fixtures();
    const round = await newRound('2026年第三次');
    const file = csv([
      ['项目名称', '项目编号', '批次'],
      [free[0].name, '', '签约一批'],
      ['', free[1].id, '开工'],
      [free[2].name, free[2].id, '投产'],
    ]);
    const before = await state();
    const dry = await upload('planner', `?round=${round}&dryRun=true`, file);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, added: 3, already: 0, rounds: [{ id: round, name: '2026年第三次', added: 3 }] });
    expect(dry.body.entries.map((e: any) => [e.line, e.project_id, e.batch])).toEqual([
      [2, free[0].id, 'signed'],
      [3, free[1].id, 'started'],
      [4, free[2].id, 'producing'],
    ]);
    expect(await state()).toEqual(before);

    const done = await upload('planner', `?round=${round}`, file);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, added: 3 });
    const detail = (await ctx.server.json(`/api/supervision/rounds/${round}`)).body;
    expect(detail.entries.map((e: any) => [e.project_id, e.batch]).sort((a: any, b: any) => a[0] - b[0])).toEqual(
      [
        [free[0].id, 'signed'],
        [free[1].id, 'started'],
        [free[2].id, 'producing'],
      ].sort((a: any, b: any) => a[0] - b[0]),
    );
    const audits = await ctx.db.query<any>("SELECT * FROM audit_log WHERE entity = 'round' AND entity_id = $1 AND action = 'import_list'", [round]);
    expect(audits).toHaveLength(1);
    expect(audits[0].before.entries).toEqual([]);
    expect(audits[0].after.entries).toHaveLength(3);
    expect(audits[0].note).toBe('第三轮台账.csv: 3 added (签约一批 1，开工一批 1，投产一批 1)');
    expect((await state()).audit).toBe(before.audit + 1);

    // The same file again: every row is already listed in its batch, nothing to write, no entry.
    const again = await upload('planner', `?round=${round}`, file);
    expect(again.body).toMatchObject({ added: 0, already: 3, rounds: [] });
    expect((await state()).audit).toBe(before.audit + 1);
  });

  it('writes nothing when one row is bad, and names that row', async () => {
    const { free } = await fixtures();
    const round = await newRound('2026年第四次');
    const before = await state();
    const r = await upload(
      'planner',
      `?round=${round}`,
      csv([
        ['项目名称', '批次'],
        [free[3].name, '签约'],
        ['并不存在的项目', '开工'],
        [free[4].name, '投产'],
      ]),
    );
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('bad_rows');
    expect(r.body.error.details.rows).toEqual([{ line: 3, message: 'unknown project "并不存在的项目"', message_zh: '没有名为“并不存在的项目”的项目' }]);
    expect(r.body.error.message).toMatch(/1 行有误，未导入任何数据：第 3 行：没有名为“并不存在的项目”的项目/);
    expect(r.body.error.message).toMatch(/1 bad row\(s\), nothing imported: line 3: unknown project/);
    expect(await state()).toEqual(before);
  });

  it('lists every kind of bad row: ambiguous name, another batch of the round, unknown batch or round, outside the zones', async () => {
    const { free, inDatong, dtjk } = await fixtures();
    const round = await newRound('2026年第五次');
    const planner = await ctx.server.as('planner');
    expect((await planner.send('POST', `/api/supervision/rounds/${round}/entries`, { project_id: free[5].id, batch: 'signed' })).status).toBe(201);
    // A second project of the same name in another zone makes the name ambiguous.
    const [twin] = await ctx.db.query<{ id: number; zone_name: string }>(
      `INSERT INTO projects (zone_id, name, stage, geom) SELECT $2, name, stage, geom FROM projects WHERE id = $1
       RETURNING id, (SELECT name FROM zones WHERE id = $2) AS zone_name`,
      [free[0].id, dtjk],
    );
    const before = await state();
    const file = csv([
      ['项目名称', '批次', '轮次'],
      [free[0].name, '签约', ''],
      [free[5].name, '开工一批', ''],
      [free[1].name, '竣工', ''],
      [free[2].name, '签约', '2099年第九次'],
      [inDatong.name, '签约', ''],
      [free[3].name, '投产', '2026年第五次'],
      [free[3].name, '投产', ''],
    ]);
    const r = await upload('datong', `?round=${round}`, file);
    expect(r.status).toBe(422);
    const rows = r.body.error.details.rows as { line: number; message: string; message_zh: string }[];
    // The zone committee may list only 大同经开区's projects: every other project is outside its zones.
    expect(rows.map((x) => x.line)).toEqual([2, 3, 4, 4, 5, 5, 7, 8]);
    expect(rows.find((x) => x.line === 2)!.message_zh).toMatch(/对应 2 个项目.*请填写项目编号或开发区/);
    expect(rows.find((x) => x.line === 3)!.message).toMatch(/outside the zones you are assigned to/);
    expect(
      rows
        .filter((x) => x.line === 4)
        .map((x) => x.message_zh)
        .join(),
    ).toMatch(/批次“竣工”无法识别/);
    expect(
      rows
        .filter((x) => x.line === 5)
        .map((x) => x.message_zh)
        .join(),
    ).toMatch(/没有名为“2099年第九次”的轮次/);
    expect(rows.some((x) => x.line === 6)).toBe(false);
    expect(await state()).toEqual(before);

    // The planner (all zones): the ambiguous name, the other batch, the batch, the round and the repeated row remain.
    const p = await upload('planner', `?round=${round}`, file);
    expect(p.status).toBe(422);
    const prow = p.body.error.details.rows as { line: number; message: string; message_zh: string }[];
    expect(prow.map((x) => x.line)).toEqual([2, 3, 4, 5, 8]);
    expect(prow[0].message).toBe(
      `"${free[0].name}" matches 2 projects (ids ${free[0].id}（${(await ctx.db.query<{ name: string }>('SELECT z.name FROM zones z JOIN projects p ON p.zone_id = z.id WHERE p.id = $1', [free[0].id]))[0].name}）、${twin.id}（${twin.zone_name}）): give the 项目编号 or the 开发区`,
    );
    expect(prow[1].message_zh).toBe(`“${free[5].name}”已在2026年第五次的签约一批中：一个项目在一轮中只列入一个批次`);
    expect(prow[4].message_zh).toBe(`“${free[3].name}”已在第 7 行列入2026年第五次`);
    expect(await state()).toEqual(before);
  });

  it('imports an Excel file whose 轮次 column names existing rounds, the zone narrowing a name', async () => {
    const { free } = await fixtures();
    const roundA = await newRound('2027年第一次');
    const roundB = await newRound('2027年第二次');
    const [zone] = await ctx.db.query<{ name: string }>('SELECT name FROM zones WHERE id = $1', [free[4].zone_id]);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('台账');
    sheet.addRow(['轮次', '项目名称', '开发区', '批次']);
    sheet.addRow(['2027年第一次', free[4].name, zone.name, '签约项目']);
    sheet.addRow(['2027年第二次', free[4].name, zone.name, '开工一批']);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    const r = await upload('admin', '', buffer, XLSX);
    expect(r.status).toBe(200);
    expect(r.body.rounds.map((x: any) => [x.id, x.added])).toEqual([
      [roundA, 1],
      [roundB, 1],
    ]);
    const a = (await ctx.server.json(`/api/supervision/rounds/${roundA}`)).body.entries;
    const b = (await ctx.server.json(`/api/supervision/rounds/${roundB}`)).body.entries;
    expect(a.map((e: any) => [e.project_id, e.batch])).toEqual([[free[4].id, 'signed']]);
    expect(b.map((e: any) => [e.project_id, e.batch])).toEqual([[free[4].id, 'started']]);
  });

  it('refuses viewers, a missing header, a missing round and an unreadable file, writing nothing', async () => {
    const before = await state();
    const good = csv([
      ['项目编号', '批次'],
      [1, '签约'],
    ]);
    expect((await upload('viewer', '?round=1', good)).status).toBe(403);
    expect((await upload('promoter', '?round=1', good)).status).toBe(403);
    const header = await upload(
      'planner',
      '?round=1',
      csv([
        ['名字', '阶段'],
        ['x', '签约'],
      ]),
    );
    expect(header.status).toBe(400);
    expect(header.body.error.message).toMatch(/第 1 行（表头）缺少 项目名称 \/ 项目编号、批次/);
    const noRound = await upload('planner', '', good);
    expect(noRound.status).toBe(422);
    expect(noRound.body.error.details.rows[0].message_zh).toMatch(/未指定轮次/);
    expect((await upload('planner', '?round=999999', good)).status).toBe(404);
    const maybe = await upload('planner', '?round=1&dryRun=maybe', good);
    expect(maybe.status).toBe(400);
    expect(maybe.body.error.details.fields).toEqual([expect.objectContaining({ field: 'dryRun' })]);
    // No file at all: the contract asks for one, in both languages, before anything is read.
    const empty = await upload('planner', '?round=1', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body: Send the file as the request body with Content-Type text\/csv/);
    expect(empty.body.error.details.message_zh).toMatch(/请上传 CSV 或 Excel（\.xlsx）文件作为请求体/);
    expect((await upload('planner', '?round=1', Buffer.from('PK not a zip'), XLSX)).status).toBe(400);
    expect(await state()).toEqual(before);
  });
});
