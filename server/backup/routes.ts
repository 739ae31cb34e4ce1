/**
 * GET /api/admin/backup: a fresh backup of the running server's database, downloaded (administrators only).
 * The way to back up the embedded database while the server runs: the server holds its data directory, so no
 * other process may open it.
 */
import { tmpdir } from 'node:os';
import { Router } from 'express';
import type { Db } from '../db/types.ts';
import { HttpError } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/backup.ts';
import { backupSourceOf, backupStream } from './backup.ts';

export function backupRouter(db: Db, databaseUrl: string | undefined): Router {
  const router = Router();
  router.get(
    '/backup',
    ...route(contract.downloadBackup, async (_input, req, res) => {
      const source = backupSourceOf(db, databaseUrl);
      if (!source) throw new HttpError(501, 'backup_unavailable', '此服务器无法在线备份该数据库。 This server cannot back up its database online.');
      const { name, stream, size } = await backupStream(source, tmpdir());
      console.log(`Backup downloaded by ${req.user!.username}: ${name} (${size} bytes)`);
      res.set({
        'Content-Type': source.kind === 'embedded' ? 'application/gzip' : 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Content-Length': String(size),
        'Cache-Control': 'no-store',
      });
      stream.pipe(res);
      // Answered by the stream.
      return undefined;
    }),
  );
  return router;
}
