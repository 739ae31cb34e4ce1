/**
 * 三个一批 rounds as data people keep: create a round (a name such as "2026年第二次" and the date it was held),
 * rename or re-date it (with a version, so two people cannot overwrite each other), delete it while it
 * lists no project, and put projects into its 签约一批 / 开工一批 / 投产一批 batches or take them out.
 * Each write is one transaction with its audit entry (entity "round", the round with its entries as the
 * snapshot). A round is shared by every zone, so creating, renaming and deleting one needs the permission
 * for all zones; a user limited to some zones adds and removes only their zones' projects.
 */
import { BATCHES, BATCH_LABELS, checkRoundInput, isBatch, type Batch } from '../../domain/threeBatches.ts';
import {
  ROUND_IMPORT_MAX_ROWS,
  checkRoundImport,
  roundImportColumns,
  type KnownProject,
  type KnownRound,
  type RoundImportEntry,
  type RoundImportRow,
} from '../../domain/roundImport.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { conflictError, recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest, notFound } from '../lib/http.ts';

export interface RoundEntryDetail {
  project_id: number;
  batch: Batch;
  name: string;
  zone_id: number;
  zone_name: string;
  stage: string;
  total_investment_wan: number | null;
  completed_investment_wan: number | null;
}

export interface RoundDetail {
  id: number;
  name: string;
  held_on: string;
  version: number;
  entries: RoundEntryDetail[];
}

const problemsError = (problems: { en: string; zh: string }[]) => badRequest(problems.map((p) => `${p.zh} ${p.en}`).join(' '), { problems });

/** 409 for a name another round has (the table's UNIQUE constraint), in words. */
function duplicateName(err: unknown, name: string): never {
  if ((err as { code?: string }).code === '23505') {
    throw new HttpError(409, 'duplicate', `已有名为“${name}”的轮次，请换一个名称。 A round named "${name}" already exists: choose another name.`);
  }
  throw err;
}

function requireAllZones(actor: Actor): void {
  if (!can(actor, 'round.edit')) throw forbidden();
  if (actor.zone_ids !== null) {
    throw forbidden(
      "轮次由全部开发区共用，只有不限开发区的用户可以新建、改名或删除；您可以在轮次中添加或移除本开发区的项目。 A round is shared by all zones: only users not limited to some zones may create, rename or delete one; you may add and remove your zones' projects.",
    );
  }
}

export async function roundDetail(db: Queryable, id: number): Promise<RoundDetail> {
  const [round] = await db.query<Omit<RoundDetail, 'entries'>>(
    "SELECT id, name, to_char(held_on, 'YYYY-MM-DD') AS held_on, version FROM project_rounds WHERE id = $1",
    [id],
  );
  if (!round) throw notFound(`没有编号为 ${id} 的轮次。 No round ${id}: see GET /api/supervision/rounds.`);
  const entries = await db.query<RoundEntryDetail>(
    `SELECT e.project_id, e.batch, pr.name, pr.zone_id, z.name AS zone_name, pr.stage, pr.total_investment_wan, pr.completed_investment_wan
     FROM project_round_entries e JOIN projects pr ON pr.id = e.project_id JOIN zones z ON z.id = pr.zone_id
     WHERE e.round_id = $1 ORDER BY e.batch, pr.name, pr.id`,
    [id],
  );
  return { ...round, entries };
}

async function lockRound(tx: Queryable, id: number) {
  const [row] = await tx.query<{ id: number; version: number }>('SELECT id, version FROM project_rounds WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw notFound(`没有编号为 ${id} 的轮次。 No round ${id}: see GET /api/supervision/rounds.`);
  return row;
}

export async function createRound(db: Db, actor: Actor, body: Record<string, unknown>): Promise<RoundDetail> {
  requireAllZones(actor);
  const problems = checkRoundInput(body);
  if (problems.length) throw problemsError(problems);
  const name = (body.name as string).trim();
  return db.transaction(async (tx) => {
    let id: number;
    try {
      [{ id }] = await tx.query<{ id: number }>('INSERT INTO project_rounds (name, held_on) VALUES ($1, $2::date) RETURNING id', [name, body.held_on]);
    } catch (err) {
      duplicateName(err, name);
    }
    await recordAudit(tx, actor, { action: 'create', entity: 'round', entityId: id, before: null, after: await snapshot(tx, 'round', id) });
    return roundDetail(tx, id);
  });
}

/** Rename or re-date a round: `version` is the one the user edited (409 with the other change when stale). */
export async function updateRound(db: Db, actor: Actor, id: number, body: Record<string, unknown>): Promise<RoundDetail> {
  requireAllZones(actor);
  if (!Number.isInteger(body.version)) throw badRequest('"version" (the version of the round you edited) is required. 缺少版本号。');
  const problems = checkRoundInput(body, true);
  if (problems.length) throw problemsError(problems);
  const name = typeof body.name === 'string' ? body.name.trim() : null;
  return db.transaction(async (tx) => {
    const current = await lockRound(tx, id);
    const before = (await snapshot(tx, 'round', id))!;
    if (current.version !== body.version) throw await conflictError(tx, 'round', id, body.version as number, before);
    try {
      await tx.query('UPDATE project_rounds SET name = coalesce($2, name), held_on = coalesce($3::date, held_on), version = version + 1 WHERE id = $1', [
        id,
        name,
        body.held_on ?? null,
      ]);
    } catch (err) {
      duplicateName(err, name ?? '');
    }
    await recordAudit(tx, actor, { action: 'update', entity: 'round', entityId: id, before, after: await snapshot(tx, 'round', id) });
    return roundDetail(tx, id);
  });
}

/** Deletes a round that lists no project; one that does gets 409 saying how many to take out first. */
export async function deleteRound(db: Db, actor: Actor, id: number): Promise<void> {
  requireAllZones(actor);
  await db.transaction(async (tx) => {
    await lockRound(tx, id);
    const before = (await snapshot(tx, 'round', id))!;
    const n = (before.entries as unknown[]).length;
    if (n > 0) {
      throw new HttpError(
        409,
        'not_empty',
        `该轮次仍列有 ${n} 个项目，请先从各批次中移除后再删除。 The round still lists ${n} project(s): take them out of its batches before deleting it.`,
        { entries: n },
      );
    }
    await tx.query('DELETE FROM project_rounds WHERE id = $1', [id]);
    await recordAudit(tx, actor, { action: 'delete', entity: 'round', entityId: id, before, after: null });
  });
}

/** Puts a project into a batch of the round. A project is in at most one batch of a round (any number of rounds). */
export async function addEntry(db: Db, actor: Actor, roundId: number, body: Record<string, unknown>): Promise<RoundDetail> {
  if (!Number.isInteger(body.project_id) || (body.project_id as number) <= 0) throw badRequest('"project_id" (a project id) is required. 须选择项目。');
  if (!isBatch(body.batch))
    throw badRequest(
      `"batch" is signed (签约一批), started (开工一批) or producing (投产一批), got "${String(body.batch ?? '').slice(0, 20)}". 批次须为 signed、started 或 producing。`,
    );
  const projectId = body.project_id as number;
  const batch = body.batch;
  return db.transaction(async (tx) => {
    await lockRound(tx, roundId);
    const [project] = await tx.query<{ id: number; name: string; zone_id: number }>('SELECT id, name, zone_id FROM projects WHERE id = $1', [projectId]);
    if (!project) throw badRequest(`没有编号为 ${projectId} 的项目。 There is no project ${projectId}.`);
    if (!can(actor, 'round.edit', project.zone_id))
      throw forbidden('只能添加本人负责的开发区的项目。 You may add only projects of the zones you are assigned to.');
    const [existing] = await tx.query<{ batch: Batch }>('SELECT batch FROM project_round_entries WHERE round_id = $1 AND project_id = $2', [
      roundId,
      projectId,
    ]);
    if (existing) {
      const where = BATCH_LABELS[existing.batch];
      throw new HttpError(
        409,
        'duplicate',
        existing.batch === batch
          ? `“${project.name}”已在本轮的${where.zh}中。 "${project.name}" is already in this round's ${where.en.toLowerCase()}.`
          : `“${project.name}”已在本轮的${where.zh}中：一个项目在一轮中只列入一个批次，请先从${where.zh}移除。 "${project.name}" is already in this round's ${where.en.toLowerCase()}: a project is listed in one batch of a round; take it out of that batch first.`,
        { batch: existing.batch },
      );
    }
    const before = await snapshot(tx, 'round', roundId);
    await tx.query('INSERT INTO project_round_entries (round_id, project_id, batch) VALUES ($1, $2, $3)', [roundId, projectId, batch]);
    await recordAudit(tx, actor, {
      action: 'add_project',
      entity: 'round',
      entityId: roundId,
      before,
      after: await snapshot(tx, 'round', roundId),
      note: `${batch} ${projectId}`,
    });
    return roundDetail(tx, roundId);
  });
}

export async function removeEntry(db: Db, actor: Actor, roundId: number, projectId: number): Promise<RoundDetail> {
  return db.transaction(async (tx) => {
    await lockRound(tx, roundId);
    const [entry] = await tx.query<{ batch: Batch; zone_id: number; name: string }>(
      'SELECT e.batch, pr.zone_id, pr.name FROM project_round_entries e JOIN projects pr ON pr.id = e.project_id WHERE e.round_id = $1 AND e.project_id = $2',
      [roundId, projectId],
    );
    if (!entry) throw notFound(`项目 ${projectId} 不在本轮的任何批次中。 Project ${projectId} is not listed in this round.`);
    if (!can(actor, 'round.edit', entry.zone_id))
      throw forbidden('只能移除本人负责的开发区的项目。 You may take out only projects of the zones you are assigned to.');
    const before = await snapshot(tx, 'round', roundId);
    await tx.query('DELETE FROM project_round_entries WHERE round_id = $1 AND project_id = $2', [roundId, projectId]);
    await recordAudit(tx, actor, {
      action: 'remove_project',
      entity: 'round',
      entityId: roundId,
      before,
      after: await snapshot(tx, 'round', roundId),
      note: `${entry.batch} ${projectId}`,
    });
    return roundDetail(tx, roundId);
  });
}

export interface RoundImportResult {
  /** true: checked only, nothing written (dry run). */
  dryRun: boolean;
  /** Projects put into a batch (or, in a dry run, that would be). */
  added: number;
  /** Rows already listed in that batch of that round: nothing to write. */
  already: number;
  rounds: { id: number; name: string; added: number }[];
  entries: RoundImportEntry[];
}

/**
 * A round's list (台账) from a table: all rows or none. Every row is checked (domain/roundImport.ts) against
 * the projects, the rounds and the user's zones with the rounds locked, so two imports cannot both pass the
 * one-batch-per-round check; any bad row is 422 with every bad row's line and reason and nothing written.
 * A dry run stops after the check (the page's preview). Each round written gets one audit entry ("import_list",
 * the round with its entries before and after); a file for one round gives one entry.
 */
export async function importRoundList(
  db: Db,
  actor: Actor,
  table: RoundImportRow[],
  options: { roundId: number | null; dryRun: boolean; fileName: string | null },
): Promise<RoundImportResult> {
  if (!can(actor, 'round.edit')) throw forbidden();
  if (table.length === 0) throw badRequest('文件为空：需要表头和至少一行项目。 The file is empty: it needs a header row and at least one project.');
  const cols = roundImportColumns(table[0].cells);
  if (!('batch' in cols)) throw badRequest(`${cols.zh} ${cols.en}`, { rows: [{ line: table[0].line, message: cols.en, message_zh: cols.zh }] });
  const rows = table.slice(1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw badRequest('文件只有表头，没有项目。 The file has a header but no projects.');
  if (rows.length > ROUND_IMPORT_MAX_ROWS) throw badRequest(`每次最多导入 ${ROUND_IMPORT_MAX_ROWS} 行。 At most ${ROUND_IMPORT_MAX_ROWS} rows per upload.`);
  return db.transaction(async (tx) => {
    // Rounds are few: lock them all, then read their entries and check the file against them.
    const roundRows = await tx.query<{ id: number; name: string }>('SELECT id, name FROM project_rounds ORDER BY id FOR UPDATE');
    if (options.roundId !== null && !roundRows.some((r) => r.id === options.roundId)) {
      throw notFound(`没有编号为 ${options.roundId} 的轮次。 No round ${options.roundId}: see GET /api/supervision/rounds.`);
    }
    const entryRows = await tx.query<{ round_id: number; project_id: number; batch: Batch }>('SELECT round_id, project_id, batch FROM project_round_entries');
    const rounds: KnownRound[] = roundRows.map((r) => ({
      ...r,
      entries: new Map(entryRows.filter((e) => e.round_id === r.id).map((e) => [e.project_id, e.batch])),
    }));
    const projects = await tx.query<KnownProject>(
      'SELECT p.id, p.name, p.zone_id, z.name AS zone_name, z.code AS zone_code FROM projects p JOIN zones z ON z.id = p.zone_id',
    );
    const { entries, errors } = checkRoundImport(rows, cols, {
      projects,
      rounds,
      defaultRoundId: options.roundId,
      mayEditZone: (zoneId) => can(actor, 'round.edit', zoneId),
    });
    if (errors.length) {
      const shown = errors.slice(0, 20);
      throw new HttpError(
        422,
        'bad_rows',
        `${errors.length} 行有误，未导入任何数据：${shown.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}${errors.length > shown.length ? '……' : ''}。 ${errors.length} bad row(s), nothing imported: ${shown.map((e) => `line ${e.line}: ${e.message}`).join('; ')}${errors.length > shown.length ? '…' : ''}.`,
        { rows: errors },
      );
    }
    const toAdd = entries.filter((e) => !e.already);
    const touched = roundRows
      .filter((r) => toAdd.some((e) => e.round_id === r.id))
      .map((r) => ({ ...r, added: toAdd.filter((e) => e.round_id === r.id).length }));
    if (!options.dryRun) {
      for (const round of touched) {
        const mine = toAdd.filter((e) => e.round_id === round.id);
        const before = await snapshot(tx, 'round', round.id);
        await tx.query(
          'INSERT INTO project_round_entries (round_id, project_id, batch) SELECT $1, x.project_id, x.batch FROM unnest($2::int[], $3::text[]) AS x(project_id, batch)',
          [round.id, mine.map((e) => e.project_id), mine.map((e) => e.batch)],
        );
        const perBatch = BATCHES.map((b) => `${BATCH_LABELS[b].zh} ${mine.filter((e) => e.batch === b).length}`).join('，');
        await recordAudit(tx, actor, {
          action: 'import_list',
          entity: 'round',
          entityId: round.id,
          before,
          after: await snapshot(tx, 'round', round.id),
          note: `${options.fileName ? `${options.fileName}: ` : ''}${mine.length} added (${perBatch})`,
        });
      }
    }
    return { dryRun: options.dryRun, added: toAdd.length, already: entries.length - toAdd.length, rounds: touched, entries };
  });
}
