/**
 * 开发区考核 routes: the scheme (versions, save, what-if preview), results, the bulletin as JSON, PDF or
 * Excel, targets and manual values (edit and all-or-nothing import). Thin: the work is in
 * server/services/evaluation.ts and domain/evaluation.ts.
 */
import express, { Router } from 'express';
import type { EvaluationScheme, ZoneType } from '../../domain/evaluation.ts';
import type { Db } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { sendWorkbook } from '../lib/exports.ts';
import * as contract from '../contract/evaluation.ts';
import {
  checkedScheme,
  deleteTarget,
  evaluationResults,
  listSchemeVersions,
  listTargets,
  listValues,
  listZoneTypes,
  loadEvaluationScheme,
  ownRows,
  resultsFor,
  setZoneType,
  saveEvaluationScheme,
  saveTargets,
  saveValues,
  type TargetInput,
  type ValueInput,
} from '../services/evaluation.ts';
import { bulletinPdf, bulletinWorkbook } from '../services/evaluationBulletin.ts';
import { UPLOAD_TYPES, XLSX_TYPE, csvTable, xlsxTable } from './indicators.ts';

/** The rows of an import sheet, checked for form; the service checks zones, indicators and permissions. */
async function importRows(db: Db, kind: 'targets' | 'values', table: { line: number; cells: string[] }[]) {
  const [header, ...body] = table;
  const expected = kind === 'targets' ? ['开发区', '年份', '指标', '目标'] : ['开发区', '月份', '指标', '数值'];
  if (!header || expected.some((h, i) => (header.cells[i] ?? '').trim() !== h))
    throw badRequest(`The first row must be the header ${expected.join(', ')}. 第一行须为表头：${expected.join('、')}。`);
  if (body.length === 0) throw badRequest('The sheet has no rows under its header. 表中没有数据行。');
  const zones = await db.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM zones');
  const { scheme } = await loadEvaluationScheme(db);
  const errors: { line: number; message: string; message_zh: string }[] = [];
  const rows: (TargetInput | ValueInput)[] = [];
  for (const { line, cells } of body) {
    const [zoneText, periodText, indicatorText, numberText] = cells.map((c) => (c ?? '').trim());
    const zone = zones.find((z) => z.name === zoneText || z.code === zoneText);
    const ind = scheme.indicators.find((i) => i.key === indicatorText || i.name_zh === indicatorText);
    const value = Number(numberText);
    const problems: [string, string][] = [];
    if (!zone) problems.push([`unknown zone "${zoneText.slice(0, 40)}"`, `开发区“${zoneText.slice(0, 40)}”不存在`]);
    if (!ind) problems.push([`unknown indicator "${indicatorText.slice(0, 40)}"`, `指标“${indicatorText.slice(0, 40)}”不在考核方案中`]);
    else if (kind === 'values' && ind.source !== 'manual') problems.push([`"${ind.name_zh}" is computed by the app`, `“${ind.name_zh}”由系统计算，不能导入`]);
    if (numberText === '' || !Number.isFinite(value) || Math.abs(value) > 1e12)
      problems.push([`"${numberText.slice(0, 20)}" is not a number`, `“${numberText.slice(0, 20)}”不是数字`]);
    if (kind === 'targets' && !/^(199\d|20\d\d|2100)$/.test(periodText))
      problems.push([`year "${periodText.slice(0, 10)}" is not a year`, `年份“${periodText.slice(0, 10)}”有误`]);
    if (kind === 'values' && !/^(199\d|20\d\d|2100)-(0[1-9]|1[0-2])$/.test(periodText))
      problems.push([`month "${periodText.slice(0, 10)}" is not YYYY-MM`, `月份“${periodText.slice(0, 10)}”须为 YYYY-MM`]);
    if (problems.length) errors.push({ line, message: problems.map((p) => p[0]).join('; '), message_zh: problems.map((p) => p[1]).join('；') });
    else if (kind === 'targets') rows.push({ zone_id: zone!.id, year: Number(periodText), indicator_key: ind!.key, target: value });
    else rows.push({ zone_id: zone!.id, month: periodText, indicator_key: ind!.key, value });
  }
  if (errors.length)
    throw new HttpError(
      422,
      'bad_rows',
      `${errors.length} 行有误，未导入任何数据：${errors.map((e) => `第 ${e.line} 行：${e.message_zh}`).join('；')}。 ${errors.length} bad row(s), nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}.`,
      { rows: errors },
    );
  return rows;
}

export function evaluationRouter(db: Db): Router {
  const router = Router();

  router.get('/scheme', ...route(contract.getScheme, ({ query }) => loadEvaluationScheme(db, query.version)));
  router.get('/scheme/versions', ...route(contract.listVersions, async () => ({ versions: await listSchemeVersions(db) })));
  router.put(
    '/scheme',
    ...route(contract.saveScheme, ({ body }, req) => saveEvaluationScheme(db, req.user!, body.scheme as EvaluationScheme, body.version, body.note ?? null)),
  );

  // What-if: the ranking a draft scheme would give, before anyone saves it.
  router.post(
    '/preview',
    ...route(contract.preview, async ({ body }, req) =>
      resultsFor(await evaluationResults(db, checkedScheme(body.scheme as EvaluationScheme), body.month, body.city ?? null, null), req.user!),
    ),
  );

  const saved = async (month: string, city: string | undefined, year?: number) => {
    if (year !== undefined && year !== Number(month.slice(0, 4)))
      throw badRequest(`year ${year} is not the year of month ${month}. 年份与月份不一致。`, {
        fields: [{ field: 'year', message: 'must be the year of month', message_zh: '须与月份的年份一致' }],
      });
    const { scheme, version } = await loadEvaluationScheme(db);
    return evaluationResults(db, scheme, month, city ?? null, version);
  };
  // A zone-limited account sees other zones as the published 通报 does (services/evaluation.ts resultsFor).
  router.get('/results', ...route(contract.results, async ({ query }, req) => resultsFor(await saved(query.month, query.city, query.year), req.user!)));

  router.get(
    '/bulletin',
    ...route(contract.bulletin, async ({ query }, req, res) => {
      const results = resultsFor(await saved(query.month, query.city), req.user!);
      const filename = `evaluation-${query.month}`;
      if (query.format === 'pdf') {
        res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${filename}.pdf"` });
        res.send(await bulletinPdf(results));
        return;
      }
      if (query.format === 'xlsx') {
        await sendWorkbook(res, filename, bulletinWorkbook(results));
        return;
      }
      return results;
    }),
  );

  router.get(
    '/targets',
    ...route(contract.listTargets, async ({ query }, req) => ({ targets: ownRows(await listTargets(db, query.year, query.city ?? null), req.user!) })),
  );
  router.put('/targets', ...route(contract.saveTargets, ({ body }, req) => saveTargets(db, req.user!, body.targets, 'update')));
  router.delete('/targets', ...route(contract.deleteTarget, ({ query }, req) => deleteTarget(db, req.user!, query)));
  router.get(
    '/values',
    ...route(contract.listValues, async ({ query }, req) => ({ values: ownRows(await listValues(db, query.month, query.city ?? null), req.user!) })),
  );
  router.get('/zone-types', ...route(contract.listZoneTypes, async () => ({ zones: await listZoneTypes(db) })));
  router.put(
    '/zone-types/:zone_id',
    ...route(contract.setZoneType, ({ params, body }, req) => setZoneType(db, req.user!, params.zone_id, body.zone_type as ZoneType)),
  );
  router.put('/values', ...route(contract.saveValues, ({ body }, req) => saveValues(db, req.user!, body.values, 'update')));

  // Excel (.xlsx) or CSV as the body; all rows or none.
  router.post(
    '/import',
    express.raw({ type: UPLOAD_TYPES, limit: '5mb' }),
    ...route(contract.importSheet, async ({ body, query }, req) => {
      const file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const type = (req.get('Content-Type') ?? '').split(';')[0].trim();
      const isXlsx = type === XLSX_TYPE || (type === 'application/octet-stream' && file.subarray(0, 2).toString() === 'PK');
      const rows = await importRows(db, query.kind, isXlsx ? await xlsxTable(file) : csvTable(file));
      return query.kind === 'targets' ? saveTargets(db, req.user!, rows as TargetInput[], 'import') : saveValues(db, req.user!, rows as ValueInput[], 'import');
    }),
  );

  return router;
}
