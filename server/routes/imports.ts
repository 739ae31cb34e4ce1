/**
 * Imports of land files. The file is the raw request body (its name in X-File-Name), refused at once when
 * Content-Length exceeds the limit and cut off when the stream does, so a huge upload never fills memory.
 * Then: stage → check (report and preview) → commit or cancel; committed imports listed and undone.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import { msg } from '../../domain/parcelFields.ts';
import type { Db } from '../db/types.ts';
import { badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import { importError } from '../import/errors.ts';
import { readDataset } from '../import/readers.ts';
import { knownCrsList } from '../import/crs.ts';
import { checkImport, commitImport, defaultSettingsOf, loadStaged, parseSettings, stageImport, undoImport } from '../import/pipeline.ts';
import * as contract from '../contract/imports.ts';
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
    return importError(
      fileName,
      null,
      msg(
        `The file is ${size}; the limit is ${limit / 1024 / 1024} MB. Split it, or import a zipped shapefile.`,
        `文件大小为 ${size}，上限为 ${limit / 1024 / 1024} MB。请拆分文件，或压缩后导入。`,
      ),
      413,
      'import_too_large',
    );
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
  router.get(
    '/options',
    ...route(contract.importOptions, () => ({
      crs: knownCrsList().map((c) => ({ epsg: c.epsg, name: c.name })),
      kinds: IMPORT_KINDS,
      targets: IMPORT_TARGETS,
      enterpriseTargets: ENTERPRISE_TARGETS,
      zoneTargets: ZONE_TARGETS,
      projectTargets: PROJECT_TARGETS,
      landUseStandards: LAND_USE_STANDARDS,
      maxBytes: importMaxBytes(),
    })),
  );

  router.post(
    '/',
    ...route(contract.uploadImport, async ({ query }, req, res) => {
      const fileName = fileNameOf(req);
      const data = await readBody(req, res, fileName, importMaxBytes());
      const dataset = await readDataset(fileName, data);
      return stageImport(db, req.user!, dataset, { zoneId: query.zone ?? null });
    }),
  );

  router.get(
    '/',
    ...route(contract.listImports, async (_input, req) => {
      const zones = req.user!.zone_ids;
      const rows = await db.query(
        `SELECT id, username, file_name, format, status, counts, zone_ids, created_at, committed_at, undone_at, undone_by,
           settings->'epsg' AS epsg
         FROM imports WHERE status IN ('committed', 'undone') AND ($1::int[] IS NULL OR zone_ids && $1::int[])
         ORDER BY id DESC LIMIT 200`,
        [zones],
      );
      return { imports: rows };
    }),
  );

  router.post(
    '/:id/check',
    ...route(contract.checkImport, async ({ params: { id }, body }, req) => {
      const dataset = await loadStaged(db, req.user!, id);
      const settings = parseSettings(body, defaultSettingsOf(dataset));
      return checkImport(db, req.user!, dataset, settings);
    }),
  );

  router.post(
    '/:id/commit',
    ...route(contract.commitImport, async ({ params: { id }, body }, req) => {
      const dataset = await loadStaged(db, req.user!, id);
      const settings = parseSettings(body, defaultSettingsOf(dataset));
      const result = await commitImport(db, req.user!, id, settings);
      onWrite();
      return result;
    }),
  );

  router.post(
    '/:id/cancel',
    ...route(contract.cancelImport, async ({ params: { id } }, req) => {
      await loadStaged(db, req.user!, id);
      await db.query(`UPDATE imports SET status = 'cancelled', dataset = NULL WHERE id = $1 AND status = 'staged'`, [id]);
      return { ok: true as const };
    }),
  );

  router.post(
    '/:id/undo',
    ...route(contract.undoImport, async ({ params: { id } }, req) => {
      const result = await undoImport(db, req.user!, id);
      onWrite();
      return result;
    }),
  );

  return router;
}
