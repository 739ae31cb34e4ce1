/**
 * Settings an administrator changes (the 亩均 scheme, the light thresholds): JSON values under a key, with a
 * version so that two administrators cannot overwrite each other, each save recorded in the audit log.
 */
import type { Actor } from '../../domain/permissions.ts';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError, badRequest } from '../lib/http.ts';

/** The saved value, or the default as version 0. */
export async function loadSetting<T extends object>(db: Queryable, key: string, fallback: T): Promise<{ value: T; version: number }> {
  const [row] = await db.query<{ value: T; version: number }>('SELECT value, version FROM settings WHERE key = $1', [key]);
  return row ? { value: row.value, version: row.version } : { value: fallback, version: 0 };
}

/**
 * Saves a checked value if the caller edited the current version (409 otherwise), in one transaction with
 * its audit entry; returns the new version. `what` names the setting in messages ("The scheme").
 */
export async function saveSetting<T extends object>(db: Db, actor: Actor, key: string, value: T, version: unknown, fallback: T, what: string): Promise<number> {
  if (!Number.isInteger(version) || (version as number) < 0) throw badRequest(`"version" (the version you edited, 0 for the default) is required.`);
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ value: T; version: number }>('SELECT value, version FROM settings WHERE key = $1 FOR UPDATE', [key]);
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== version) {
      throw new HttpError(
        409,
        'conflict',
        `${what} was changed by someone else meanwhile (version ${version} → ${currentVersion}). Reload it and apply your change again. 已被他人修改，请刷新后重新修改。`,
      );
    }
    const [row] = await tx.query<{ version: number }>(
      `INSERT INTO settings (key, value, version, updated_by) VALUES ($1, $2::jsonb, 1, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = settings.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING version`,
      [key, JSON.stringify(value), actor.id],
    );
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'setting',
      entityId: null,
      before: { ...(current?.value ?? fallback), version: currentVersion },
      after: { ...value, version: row.version },
      note: key,
    });
    return row.version;
  });
}
