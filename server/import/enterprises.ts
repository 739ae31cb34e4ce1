/**
 * Enterprise tables (CSV, Excel): enterprises joined by their 统一社会信用代码 and their yearly figures.
 * The same stages as parcels: checks with a report, an all-or-nothing commit, and undo.
 */
import { isValidCreditCode } from '../../domain/creditCode.ts';
import { ENTERPRISE_TARGETS, convertBoolean, convertDate, convertNumber } from '../../domain/importMapping.ts';
import { msg, type Message } from '../../domain/parcelFields.ts';
import type { Actor } from '../../domain/permissions.ts';
import { insertImported, restoreImported, updateImported } from './importedRecords.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import type { ImportIssue, ImportSettings, Severity } from './pipeline.ts';
import type { SourceDataset } from './readers.ts';
import { Pacer } from './pace.ts';

const ENTERPRISE_COLUMNS = ['name', 'industry', 'above_scale', 'founded_date'] as const;
const FIGURE_COLUMNS = ['output_wan', 'value_added_wan', 'tax_wan', 'energy_tce', 'emissions_t', 'rd_wan', 'revenue_wan', 'employees'] as const;

interface Row {
  n: number;
  where: Message;
  code: string | null;
  enterprise: Record<string, unknown>;
  year: number | null;
  figures: Record<string, unknown>;
}

interface Existing {
  id: number;
  credit_code: string;
  version: number;
  snap: Record<string, unknown>;
}

export async function runEnterpriseChecks(tx: Queryable, actor: Actor, dataset: SourceDataset, settings: ImportSettings) {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  const issues: ImportIssue[] = [];
  const f = settings.mapping.fields;
  const add = (r: { n: number; where: Message }, code: string | null, severity: Severity, kind: string, message: Message) =>
    issues.push({ n: r.n, where: r.where, code, severity, kind, message });
  const figuresMapped = FIGURE_COLUMNS.some((c) => f[c]);
  const rows: Row[] = dataset.features.map((feat) => {
    const cell = (key: string) => (f[key] ? feat.properties[f[key]!] : undefined);
    const raw = cell('credit_code');
    const code = raw === undefined || raw === null || String(raw).trim() === '' ? null : String(raw).trim().toUpperCase();
    if (!f.credit_code)
      add(
        feat,
        null,
        'error',
        'no_code_column',
        msg('No column is mapped to the credit code (统一社会信用代码): choose one.', '未指定“统一社会信用代码”对应的列，请选择。'),
      );
    else if (!code) add(feat, null, 'error', 'missing_code', msg('The credit code is empty.', '统一社会信用代码为空。'));
    else if (!isValidCreditCode(code))
      add(
        feat,
        code,
        'error',
        'bad_code',
        msg(
          `"${code.slice(0, 20)}" is not a valid unified social credit code (18 characters with a check character).`,
          `“${code.slice(0, 20)}”不是有效的统一社会信用代码（18 位，含校验位）。`,
        ),
      );
    if (actor.zone_ids !== null)
      add(
        feat,
        code,
        'error',
        'zone_not_allowed',
        msg(
          'Enterprise data is shared by every zone: only users not limited to some zones may import it.',
          '企业数据为各园区共用：仅未限定园区的用户可以导入。',
        ),
      );
    const row: Row = { n: feat.n, where: feat.where, code, enterprise: {}, year: null, figures: {} };
    for (const target of ENTERPRISE_TARGETS) {
      if (!f[target.key] || target.kind === 'creditCode') continue;
      const v = cell(target.key);
      const fail = (m: Message, kind: string) =>
        add(feat, code, 'error', kind, msg(`${target.en} ("${f[target.key]}"): ${m.en}`, `${target.zh}（“${f[target.key]}”）：${m.zh}`));
      let converted: { value: unknown } | { error: Message };
      if (target.kind === 'date') converted = convertDate(v);
      else if (target.kind === 'boolean') converted = convertBoolean(v);
      else if (target.kind === 'text') converted = { value: v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim().slice(0, 200) };
      else {
        converted = convertNumber(v);
        if ('value' in converted && converted.value !== null) {
          const n = converted.value as number;
          if ((target.kind === 'year' || target.kind === 'integer') && !Number.isInteger(n))
            converted = { error: msg(`${n} is not a whole number.`, `${n} 不是整数。`) };
          else if (target.kind === 'year' && (n < 1990 || n > 2100))
            converted = { error: msg(`${n} is not a year between 1990 and 2100.`, `${n} 不是 1990–2100 之间的年份。`) };
          else if (target.kind !== 'year' && n < 0) converted = { error: msg(`${n} is negative.`, `${n} 为负数。`) };
        }
      }
      if ('error' in converted) {
        fail(converted.error, target.kind === 'date' ? 'bad_date' : 'bad_number');
        continue;
      }
      if (converted.value === null) continue;
      if (target.key === 'year') row.year = converted.value as number;
      else if ((ENTERPRISE_COLUMNS as readonly string[]).includes(target.key)) row.enterprise[target.key] = converted.value;
      else row.figures[target.key] = converted.value;
    }
    if (figuresMapped && row.year === null && Object.keys(row.figures).length)
      add(feat, code, 'error', 'missing_year', msg('Yearly figures need the year.', '年度数据需要填写年份。'));
    return row;
  });

  const seen = new Map<string, number>();
  for (const r of rows) {
    await pacer.maybeYield();
    if (!r.code || r.year === null) continue;
    const key = `${r.code}/${r.year}`;
    if (seen.has(key))
      add(
        r,
        r.code,
        'error',
        'duplicate_code',
        msg(
          `${r.code} has figures for ${r.year} twice (first at row ${seen.get(key)}).`,
          `${r.code} 的 ${r.year} 年数据重复（首次在第 ${seen.get(key)} 行）。`,
        ),
      );
    else seen.set(key, r.n);
  }
  const codes = [...new Set(rows.map((r) => r.code).filter((c): c is string => !!c))];
  const existingRows = codes.length
    ? await tx.query<Existing>(`SELECT id, credit_code, version, to_jsonb(e) AS snap FROM enterprises e WHERE credit_code = ANY($1::text[])`, [codes])
    : [];
  const existing = new Map(existingRows.map((e) => [e.credit_code, e]));
  for (const code of codes) {
    if (existing.has(code)) continue;
    const named = rows.find((r) => r.code === code && r.enterprise.name);
    if (!named) {
      const first = rows.find((r) => r.code === code)!;
      add(
        first,
        code,
        'error',
        'missing_name',
        msg('A new enterprise needs its name: map the name column or fill it in.', '新企业需要企业名称：请指定名称列或补全数据。'),
      );
    }
  }
  issues.sort((a, b) => a.n - b.n);
  return { rows, issues, existing, toCreate: codes.filter((c) => !existing.has(c)).length, toUpdate: codes.filter((c) => existing.has(c)).length };
}

/** Writes the checked rows: enterprises created or updated, their yearly figures inserted or updated. */
export async function commitEnterprises(tx: Queryable, importId: number, checked: Awaited<ReturnType<typeof runEnterpriseChecks>>) {
  // Many rows: other requests get their turn now and then (see pace.ts).
  const pacer = new Pacer();
  const { rows, existing } = checked;
  const ids = new Map<string, number>();
  let created = 0;
  let updated = 0;
  let figures = 0;
  for (const code of new Set(rows.map((r) => r.code!))) {
    await pacer.maybeYield();
    const fields: Record<string, unknown> = {};
    for (const r of rows.filter((x) => x.code === code)) Object.assign(fields, r.enterprise);
    const cols = Object.keys(fields);
    const e = existing.get(code);
    if (e) {
      ids.set(code, e.id);
      if (!cols.length) continue;
      await updateImported(tx, importId, 'enterprise', e.id, e.snap, fields);
      updated++;
    } else {
      ids.set(code, await insertImported(tx, importId, 'enterprise', { credit_code: code, ...fields }));
      created++;
    }
  }
  for (const r of rows) {
    await pacer.maybeYield();
    const cols = Object.keys(r.figures);
    if (r.year === null || !cols.length) continue;
    const id = ids.get(r.code!)!;
    const [before] = await tx.query<{ snap: Record<string, unknown> }>(
      'SELECT to_jsonb(f) AS snap FROM enterprise_figures f WHERE enterprise_id = $1 AND year = $2 FOR UPDATE',
      [id, r.year],
    );
    if (before) {
      await tx.query(`UPDATE enterprise_figures SET ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE enterprise_id = $1 AND year = $2`, [
        id,
        r.year,
        ...cols.map((c) => r.figures[c]),
      ]);
    } else {
      await tx.query(
        `INSERT INTO enterprise_figures (enterprise_id, year, ${cols.join(', ')}) VALUES ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')})`,
        [id, r.year, ...cols.map((c) => r.figures[c])],
      );
    }
    await tx.query(`INSERT INTO import_items (import_id, entity, record_id, year, action, before) VALUES ($1, 'enterprise_figures', $2, $3, $4, $5::jsonb)`, [
      importId,
      id,
      r.year,
      before ? 'update' : 'create',
      before ? JSON.stringify(before.snap) : null,
    ]);
    figures++;
  }
  return { created, updated, figures };
}

/**
 * Undoes the enterprise part of an import. Refused (nothing undone) when an enterprise was changed since,
 * a created one is now linked to parcels or projects, or a later import changed the same yearly figures.
 */
export async function undoEnterprises(tx: Queryable, importId: number): Promise<{ removed: number; restored: number }> {
  const items = await tx.query<{
    entity: string;
    record_id: number;
    year: number | null;
    action: string;
    before: Record<string, unknown> | null;
    version_after: number | null;
    version: number | null;
    code: string | null;
    used: boolean;
    later: boolean;
  }>(
    `SELECT i.entity, i.record_id, i.year, i.action, i.before, i.version_after, e.version, e.credit_code AS code,
       EXISTS (SELECT 1 FROM parcel_uses u WHERE u.enterprise_id = i.record_id) OR EXISTS (SELECT 1 FROM projects p WHERE p.enterprise_id = i.record_id) AS used,
       EXISTS (SELECT 1 FROM import_items j JOIN imports m ON m.id = j.import_id
               WHERE m.status = 'committed' AND j.import_id > i.import_id AND j.entity = i.entity AND j.record_id = i.record_id AND j.year IS NOT DISTINCT FROM i.year) AS later
     FROM import_items i LEFT JOIN enterprises e ON e.id = i.record_id
     WHERE i.import_id = $1 AND i.entity IN ('enterprise', 'enterprise_figures') ORDER BY i.id`,
    [importId],
  );
  const blocked = items.filter((i) => i.later || (i.entity === 'enterprise' && (i.version !== i.version_after || (i.action === 'create' && i.used))));
  if (blocked.length) {
    const list = [...new Set(blocked.map((b) => b.code ?? `#${b.record_id}`))].slice(0, 10);
    throw new HttpError(
      409,
      'import_changed_since',
      `Enterprises changed after the import, by hand or by a later import, or now linked to parcels or projects (${list.join(', ')}): nothing was undone.`,
      {
        message_zh: `导入后以下企业已被修改（手工或后来的导入），或已关联地块、项目（${list.join('、')}）：本次未撤销任何内容。`,
      },
    );
  }
  let removed = 0;
  let restored = 0;
  for (const i of items.filter((x) => x.entity === 'enterprise_figures')) {
    if (i.action === 'create') await tx.query('DELETE FROM enterprise_figures WHERE enterprise_id = $1 AND year = $2', [i.record_id, i.year]);
    else {
      await tx.query(
        `UPDATE enterprise_figures f SET ${FIGURE_COLUMNS.map((c) => `${c} = r.${c}`).join(', ')}
         FROM jsonb_populate_record(NULL::enterprise_figures, $3::jsonb) r WHERE f.enterprise_id = $1 AND f.year = $2`,
        [i.record_id, i.year, JSON.stringify(i.before)],
      );
    }
  }
  for (const i of items.filter((x) => x.entity === 'enterprise')) {
    if (i.action === 'create') {
      await tx.query('DELETE FROM enterprises WHERE id = $1', [i.record_id]);
      removed++;
    } else {
      await restoreImported(tx, importId, 'enterprise', i.record_id, i.before as { version: number }, ENTERPRISE_COLUMNS);
      restored++;
    }
  }
  return { removed, restored };
}
