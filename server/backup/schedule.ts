/**
 * Scheduled backups (BACKUP_DIR, BACKUP_EVERY_HOURS, BACKUP_KEEP): the server writes a dated backup when the
 * newest one in the directory is older than the interval (so a restart neither skips nor doubles one), then
 * deletes all but the newest BACKUP_KEEP of its kind. `tick(now)` does one check; the timer only calls it.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { backupSourceOf, listBackups, pruneBackups, writeBackup, type BackupSource } from './backup.ts';

export interface BackupSchedule {
  dir: string;
  everyHours: number;
  keep: number;
}

export interface BackupScheduler {
  /** Writes a backup if one is due at `now`; returns its path, or null when none was due. */
  tick(now: Date): Promise<string | null>;
}

/** The time of a backup from its name (2026-11-28T083000Z). */
function backupTime(stamp: string): number {
  return Date.parse(`${stamp.slice(0, 13)}:${stamp.slice(13, 15)}:${stamp.slice(15, 17)}Z`);
}

export function createBackupScheduler(source: BackupSource, schedule: BackupSchedule, log: (msg: string) => void = console.log): BackupScheduler {
  let running: Promise<string | null> | null = null;
  const due = (now: Date) => {
    const newest = listBackups(schedule.dir).find((b) => b.kind === source.kind);
    return !newest || now.getTime() - backupTime(newest.at) >= schedule.everyHours * 3_600_000;
  };
  const tick = async (now: Date): Promise<string | null> => {
    // One at a time: a slow pg_dump must not be started again by the next tick.
    if (running) return running;
    if (!due(now)) return null;
    running = (async () => {
      try {
        const file = await writeBackup(source, schedule.dir, now);
        const deleted = pruneBackups(schedule.dir, source.kind, schedule.keep);
        log(`Backup written: ${file}${deleted.length ? `; deleted the older ${deleted.join(', ')}` : ''}`);
        return file;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return { tick };
}

/** Starts checking every minute; the first check runs at once. Failures are logged and retried at the next check. */
export function startBackupSchedule(
  source: BackupSource,
  schedule: BackupSchedule,
  log: (msg: string) => void = console.log,
): BackupScheduler & { stop(): void } {
  const scheduler = createBackupScheduler(source, schedule, log);
  const check = () => {
    scheduler.tick(new Date()).catch((err) => console.error(`Scheduled backup failed (tried again in a minute): ${(err as Error).message}`));
  };
  // Checked every minute (and at once): cheap, and a backup is at most a minute late.
  const timer = setInterval(check, 60_000);
  // The schedule must not keep a stopping server alive.
  timer.unref();
  check();
  return {
    tick: scheduler.tick,
    stop: () => clearInterval(timer),
  };
}

/** The server's hook: starts the schedule when BACKUP_DIR is set. */
export function startScheduledBackups(db: Db, config: Pick<Config, 'backup' | 'databaseUrl'>): { stop(): void } | null {
  if (!config.backup) return null;
  const source = backupSourceOf(db, config.databaseUrl);
  if (!source) return null;
  console.log(`Backups: every ${config.backup.everyHours} h into ${config.backup.dir}, keeping ${config.backup.keep}`);
  return startBackupSchedule(source, config.backup);
}
