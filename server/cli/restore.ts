/**
 * Restores a backup into the configured database, which must be empty:
 *   npm run restore -- FILE [--force]
 * A .tar.gz from the embedded database goes into DATA_DIR (which must not exist or be empty); a pg_dump file
 * into DATABASE_URL (which must have no tables of ours). --force replaces what is there. The server must not
 * be running on the target.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { DataDirInUseError } from '../db/embedded.ts';
import { backupKindOf, NotEmptyError, restoreEmbedded, restorePostgres } from '../backup/backup.ts';

const USAGE = 'Usage: npm run restore -- FILE [--force]';

async function main(): Promise<number> {
  let values: { force?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = path.resolve(positionals[0]);
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const config = readConfig();
  const kind = backupKindOf(file);
  const target = config.databaseUrl ? 'postgres' : 'embedded';
  if (kind !== target) {
    console.error(
      kind === 'embedded'
        ? 'This is a backup of the embedded database: unset DATABASE_URL to restore it into DATA_DIR. (An embedded backup cannot be restored into PostgreSQL.)'
        : 'This is a pg_dump backup of a PostgreSQL database: set DATABASE_URL to the (empty) database to restore it into.',
    );
    return 2;
  }
  const migrations = config.databaseUrl
    ? await restorePostgres(file, config.databaseUrl, { force: values.force })
    : await restoreEmbedded(file, config.dataDir, { force: values.force });
  console.log(
    `Restored ${path.basename(file)} into ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir} (${migrations} migrations applied in it). Start the server on it as usual.`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof NotEmptyError) {
      console.error(`${err.message}\n目标数据库不为空：请还原到空数据库，或加 --force 覆盖。`);
      process.exit(3);
    }
    if (err instanceof DataDirInUseError) {
      console.error(`${err.message}\n数据目录正被运行中的服务器使用：请先停止服务器。`);
      process.exit(3);
    }
    console.error(`Restore failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
