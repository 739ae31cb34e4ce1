/**
 * Writes a backup of the configured database (DATABASE_URL, else the embedded one in DATA_DIR):
 *   npm run backup [-- --out FILE | --dir DIR]
 * Default: a dated file in BACKUP_DIR (else ./backups). The embedded database can be backed up this way only
 * while no server holds it; a running server is backed up by its schedule or GET /api/admin/backup.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { DataDirInUseError, openEmbeddedDb } from '../db/embedded.ts';
import { backupFileName, writeBackupFile, type BackupSource } from '../backup/backup.ts';

const USAGE = 'Usage: npm run backup [-- --out FILE | --dir DIR]';

async function main(): Promise<number> {
  let values: { out?: string; dir?: string };
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, dir: { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = readConfig();
  const kind = config.databaseUrl ? 'postgres' : 'embedded';
  const file = path.resolve(values.out ?? path.join(values.dir ?? config.backup?.dir ?? 'backups', backupFileName(kind, new Date())));
  if (config.databaseUrl) {
    await writeBackupFile({ kind: 'postgres', url: config.databaseUrl }, file);
  } else {
    const db = await openEmbeddedDb({ dataDir: config.dataDir, durability: config.embeddedFsync ? 'full' : 'off' });
    try {
      const source: BackupSource = { kind: 'embedded', pglite: db.pglite };
      await writeBackupFile(source, file);
    } finally {
      await db.close();
    }
  }
  console.log(`Backup written: ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof DataDirInUseError) {
      console.error(`${err.message}\n数据目录正被运行中的服务器使用：请用定时备份（BACKUP_DIR）或管理员下载 GET /api/admin/backup，或先停止服务器。`);
      process.exit(3);
    }
    console.error(`Backup failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
