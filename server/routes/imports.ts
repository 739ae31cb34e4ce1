/**
 * Imports of land files. The file is the raw request body (its name in X-File-Name), refused at once when
 * Content-Length exceeds the limit and cut off when the stream does, so a huge upload never fills memory.
 * Then: stage → check (report and preview) → commit or cancel; committed imports listed and undone.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import { msg } from '../../domain/parcelFields.ts';
import { requirePermission } from '../auth/middleware.ts';
import type { Db } from '../db/types.ts';
import { allowOnlyParams, badRequest, parseId } from '../lib/http.ts';
import { importError } from '../import/errors.ts';
import { readDataset } from '../import/readers.ts';
import { knownCrsList } from '../import/crs.ts';
import { checkImport, commitImport, defaultSettingsOf, loadStaged, parseSettings, stageImport, undoImport } from '../import/pipeline.ts';
import { ENTERPRISE_TARGETS, IMPORT_KINDS, IMPORT_TARGETS, LAND_USE_STANDARDS, PROJECT_TARGETS, ZONE_TARGETS } from '../../domain/importMapping.ts';

/** Largest file accepted (bytes); IMPORT_MAX_MB overrides. */
export function importMaxBytes(): number {
  const mb = Number(process.env.IMPORT_MAX_MB ?? 100);
  return (Number.isFinite(mb) && mb > 0 ? mb : 100) * 1024 * 1024;
}

function fileNameOf(req: Request): string {
  const raw = req.get('X-File-Name') ?? '';
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  name = name.split(/[\\/]/).pop()!.trim().slice(0, 200);
  if (!name) throw badRequest('Give the file name in the X-File-Name header (URI-encoded), e.g. 地块.zip.');
  return name;
}

/** Reads the body up to the limit; a larger body is refused before it is held in memory. */
async function readBody(req: Request, res: Response, fileName: string, limit: number): Promise<Buffer> {
  const tooLarge = (size: string) => {
    // The rest of the body is not read: the connection cannot be reused.
    res.set('Connection', 'close');
    return importError(fileName, null, msg(`The file is ${size}; the limit is ${limit / 1024 / 1024} MB. Split it, or import a zipped shapefile.`, `文件大小为 ${size}，上限为 ${limit / 1024 / 1024} MB。请拆分文件，或压缩后导入。`), 413, 'import_too_large');
  };
  if ((req as Request & { _body?: boolean })._body || req.is('application/json')) {
    throw badRequest('Send the file itself as the request body with Content-Type: application/octet-stream (its name in X-File-Name).');
  }
  const declared = Number(req.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(`${(declared / 1024 / 1024).toFixed(0)} MB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.unpipe();
      req.resume();
      throw tooLarge(`over ${limit / 1024 / 1024} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function importsRouter(db: Db, onWrite: () => void): Router {
  const router = Router();
  const may = requirePermission('parcel.import');

  router.get('/options', allowOnlyParams([]), (_req, res) => {
    res.json({ crs: knownCrsList().map((c) => ({ epsg: c.epsg, name: c.name })), kinds: IMPORT_KINDS, targets: IMPORT_TARGETS, enterpriseTargets: ENTERPRISE_TARGETS, zoneTargets: ZONE_TARGETS, projectTargets: PROJECT_TARGETS, landUseStandards: LAND_USE_STANDARDS, maxBytes: importMaxBytes() });
  });

  router.post('/', may, allowOnlyParams(['zone']), async (req, res) => {
    const fileName = fileNameOf(req);
    const data = await readBody(req, res, fileName, importMaxBytes());
    const dataset = await readDataset(fileName, data);
    const zoneText = typeof req.query.zone === 'string' && req.query.zone ? parseId(req.query.zone, 'Zone') : null;
    const staged = await stageImport(db, req.user!, dataset, { zoneId: zoneText });
    res.status(201).json(staged);
  });

  router.get('/', allowOnlyParams([]), async (req, res) => {
    const zones = req.user!.zone_ids;
    const rows = await db.query(
      `SELECT id, username, file_name, format, status, counts, zone_ids, created_at, committed_at, undone_at, undone_by,
         settings->'epsg' AS epsg
       FROM imports WHERE status IN ('committed', 'undone') AND ($1::int[] IS NULL OR zone_ids && $1::int[])
       ORDER BY id DESC LIMIT 200`,
      [zones],
    );
    res.json({ imports: rows });
  });

  router.post('/:id/check', may, async (req, res) => {
    const id = parseId(req.params.id, 'Import');
    const dataset = await loadStaged(db, req.user!, id);
    const settings = parseSettings(req.body ?? {}, defaultSettingsOf(dataset));
    res.json(await checkImport(db, req.user!, dataset, settings));
  });

  router.post('/:id/commit', may, async (req, res) => {
    const id = parseId(req.params.id, 'Import');
    const dataset = await loadStaged(db, req.user!, id);
    const settings = parseSettings(req.body ?? {}, defaultSettingsOf(dataset));
    const result = await commitImport(db, req.user!, id, settings);
    onWrite();
    res.json(result);
  });

  router.post('/:id/cancel', may, async (req, res) => {
    const id = parseId(req.params.id, 'Import');
    await loadStaged(db, req.user!, id);
    await db.query(`UPDATE imports SET status = 'cancelled', dataset = NULL WHERE id = $1 AND status = 'staged'`, [id]);
    res.json({ ok: true });
  });

  router.post('/:id/undo', may, async (req, res) => {
    const result = await undoImport(db, req.user!, parseId(req.params.id, 'Import'));
    onWrite();
    res.json(result);
  });

  return router;
}
