/**
 * A 三个一批 round's list (台账) from a table: each row names a project (项目名称 or 项目编号, optionally its
 * 开发区 to tell two projects of one name apart) and its batch (签约 / 开工 / 投产, also "签约一批" or the keys),
 * and optionally the round (轮次) by name. Pure: the server passes what it knows of projects, rounds and the
 * user; every bad row comes back with its line and reason, in Chinese and English.
 */
import { BATCH_LABELS, type Batch } from './threeBatches.ts';
import { msg, type Message } from './parcelFields.ts';

export const ROUND_IMPORT_HEADERS = ['项目名称', '项目编号', '批次', '轮次', '开发区'] as const;
export const ROUND_IMPORT_MAX_ROWS = 5000;

export interface RoundImportColumns {
  name: number;
  id: number;
  batch: number;
  round: number;
  zone: number;
}

/** Which column holds what, by the header's names (Chinese or English); -1 where the file has none. */
export function roundImportColumns(header: readonly string[]): RoundImportColumns | Message {
  const find = (test: RegExp) => header.findIndex((h) => test.test(h.trim()));
  const cols = {
    name: find(/^(项目名称|项目|名称|project(\s*name)?|name)$/i),
    id: find(/^(项目编号|项目id|编号|project\s*id|id)$/i),
    batch: find(/^(批次|所属批次|batch)$/i),
    round: find(/^(轮次|轮次名称|round)$/i),
    zone: find(/^(开发区|园区|所在园区|zone)$/i),
  };
  if (cols.batch < 0 || (cols.name < 0 && cols.id < 0)) {
    const missing = [cols.name < 0 && cols.id < 0 ? '项目名称 / 项目编号' : null, cols.batch < 0 ? '批次' : null].filter(Boolean).join('、');
    return msg(
      `Line 1 (header) lacks ${missing}: the columns are 项目名称 or 项目编号, 批次, and optionally 轮次 and 开发区.`,
      `第 1 行（表头）缺少 ${missing}：应有 项目名称 或 项目编号、批次，可选 轮次、开发区。`,
    );
  }
  return cols;
}

const BATCH_WORDS: Record<string, Batch> = {
  签约: 'signed',
  签约一批: 'signed',
  签约项目: 'signed',
  signed: 'signed',
  开工: 'started',
  开工一批: 'started',
  开工项目: 'started',
  started: 'started',
  投产: 'producing',
  投产一批: 'producing',
  投产项目: 'producing',
  producing: 'producing',
};

/** 签约 / 签约一批 / signed → 'signed', and so on; null for anything else. */
export function batchFromText(text: string): Batch | null {
  return BATCH_WORDS[text.trim().replace(/\s+/g, '').toLowerCase()] ?? null;
}

export interface RoundImportRow {
  line: number;
  cells: readonly string[];
}

export interface KnownProject {
  id: number;
  name: string;
  zone_id: number;
  zone_name: string;
  zone_code: string;
}

export interface KnownRound {
  id: number;
  name: string;
  /** The round's current entries: project id → batch. */
  entries: ReadonlyMap<number, Batch>;
}

export interface RoundImportEntry {
  line: number;
  round_id: number;
  round_name: string;
  project_id: number;
  name: string;
  zone_name: string;
  batch: Batch;
  /** Already listed in this batch of the round: nothing to write. */
  already: boolean;
}

export interface RoundImportError {
  line: number;
  message: string;
  message_zh: string;
}

export interface RoundImportContext {
  projects: readonly KnownProject[];
  rounds: readonly KnownRound[];
  /** The round chosen on the page; rows without a 轮次 go there. null: every row must name its round. */
  defaultRoundId: number | null;
  /** Whether the user may list this zone's projects. */
  mayEditZone: (zoneId: number) => boolean;
}

/** Checks every row; the import may be written only when `errors` is empty. */
export function checkRoundImport(
  rows: readonly RoundImportRow[],
  cols: RoundImportColumns,
  ctx: RoundImportContext,
): { entries: RoundImportEntry[]; errors: RoundImportError[] } {
  const entries: RoundImportEntry[] = [];
  const errors: RoundImportError[] = [];
  const byId = new Map(ctx.projects.map((p) => [p.id, p]));
  const seen = new Map<string, number>();
  for (const row of rows) {
    const cell = (i: number) => (i >= 0 ? (row.cells[i] ?? '').trim() : '');
    const fail = (m: Message) => errors.push({ line: row.line, message: m.en, message_zh: m.zh });

    // The round: the 轮次 cell names an existing one, else the one chosen on the page.
    const roundText = cell(cols.round);
    const round = roundText ? ctx.rounds.find((r) => r.name === roundText) : ctx.rounds.find((r) => r.id === ctx.defaultRoundId);
    if (!round) {
      fail(
        roundText
          ? msg(`unknown round "${roundText.slice(0, 40)}": create it on the page first`, `没有名为“${roundText.slice(0, 40)}”的轮次，请先在页面上新建`)
          : msg('no round: choose one on the page or fill in the 轮次 column', '未指定轮次：请在页面上选择轮次或填写“轮次”列'),
      );
    }

    const batchText = cell(cols.batch);
    const batch = batchFromText(batchText);
    if (!batch)
      fail(
        batchText
          ? msg(`unknown batch "${batchText.slice(0, 20)}": 签约, 开工 or 投产`, `批次“${batchText.slice(0, 20)}”无法识别：应为 签约、开工 或 投产`)
          : msg('the batch is empty', '批次为空'),
      );

    // The project: by its id (项目编号) or by its name, narrowed by the zone when the file gives one.
    const idText = cell(cols.id);
    const nameText = cell(cols.name);
    const zoneText = cell(cols.zone);
    let project: KnownProject | undefined;
    if (idText) {
      project = /^\d{1,9}$/.test(idText) ? byId.get(Number(idText)) : undefined;
      if (!project) fail(msg(`no project with id ${idText.slice(0, 20)}`, `没有编号为 ${idText.slice(0, 20)} 的项目`));
      else if (nameText && nameText !== project.name) {
        fail(
          msg(
            `project ${project.id} is "${project.name}", not "${nameText.slice(0, 60)}"`,
            `编号 ${project.id} 的项目是“${project.name}”，不是“${nameText.slice(0, 60)}”`,
          ),
        );
        project = undefined;
      }
    } else if (nameText) {
      const matches = ctx.projects.filter((p) => p.name === nameText && (!zoneText || p.zone_name === zoneText || p.zone_code === zoneText));
      if (matches.length === 0) {
        fail(
          msg(
            `unknown project "${nameText.slice(0, 60)}"${zoneText ? ` in ${zoneText.slice(0, 40)}` : ''}`,
            `没有名为“${nameText.slice(0, 60)}”的项目${zoneText ? `（${zoneText.slice(0, 40)}）` : ''}`,
          ),
        );
      } else if (matches.length > 1) {
        const which = matches.map((p) => `${p.id}（${p.zone_name}）`).join('、');
        fail(
          msg(
            `"${nameText.slice(0, 60)}" matches ${matches.length} projects (ids ${which}): give the 项目编号 or the 开发区`,
            `“${nameText.slice(0, 60)}”对应 ${matches.length} 个项目（编号 ${which}）：请填写项目编号或开发区`,
          ),
        );
      } else project = matches[0];
    } else {
      fail(msg('neither project name nor project id is given', '项目名称和项目编号均为空'));
    }
    if (project && !ctx.mayEditZone(project.zone_id)) {
      fail(
        msg(
          `"${project.name}" is in ${project.zone_name}, outside the zones you are assigned to`,
          `“${project.name}”属于${project.zone_name}，不在您负责的开发区内`,
        ),
      );
      project = undefined;
    }
    if (!round || !batch || !project) continue;

    const key = `${round.id}/${project.id}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      fail(msg(`"${project.name}" is already listed on line ${firstLine} for round ${round.name}`, `“${project.name}”已在第 ${firstLine} 行列入${round.name}`));
      continue;
    }
    seen.set(key, row.line);
    const current = round.entries.get(project.id);
    if (current && current !== batch) {
      const where = BATCH_LABELS[current];
      fail(
        msg(
          `"${project.name}" is already in round ${round.name}'s ${where.en.toLowerCase()}: a project is in one batch of a round`,
          `“${project.name}”已在${round.name}的${where.zh}中：一个项目在一轮中只列入一个批次`,
        ),
      );
      continue;
    }
    entries.push({
      line: row.line,
      round_id: round.id,
      round_name: round.name,
      project_id: project.id,
      name: project.name,
      zone_name: project.zone_name,
      batch,
      already: current === batch,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { entries, errors };
}
