/**
 * Users from the command line, against the configured database (DATABASE_URL or the embedded one):
 *   npm run user -- add --username NAME --role admin [--name "显示名"] [--zones SX-DTJK,SX-YQGX] [--password …]
 *   npm run user -- list
 *   npm run user -- passwd --username NAME [--password …]
 *   npm run user -- disable --username NAME
 * Without --password the password is asked for (not echoed); ADMIN_PASSWORD-style scripts can pass it.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROLE_KEYS } from '../../domain/permissions.ts';
import { createUser, updateUser } from '../accounts.ts';
import { readConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped in: the first line is the password.
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  process.stdout.write(prompt);
  return new Promise((resolve) => {
    const chars: string[] = [];
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', function onData(buf) {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(chars.join(''));
          return;
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') chars.pop();
        else chars.push(ch);
      }
    });
  });
}

const usage = `Usage:
  npm run user -- add --username NAME --role ${ROLE_KEYS.join('|')} [--name DISPLAY] [--zones CODE,CODE] [--password PW]
  npm run user -- list
  npm run user -- passwd --username NAME [--password PW]
  npm run user -- disable --username NAME`;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, zones: { type: 'string' }, password: { type: 'string' } },
  });
  if (!command || !['add', 'list', 'passwd', 'disable'].includes(command)) {
    console.error(usage);
    process.exit(2);
  }
  const db = await openDb(readConfig());
  try {
    await migrate(db);
    // The command line acts as the system (no signed-in user), and says so in the audit log.
    const system = { id: 0, username: 'cli', role: 'admin' as const, zone_ids: null };
    if (command === 'list') {
      for (const u of await db.query<Record<string, unknown>>('SELECT id, username, display_name, role, zone_ids, active FROM users ORDER BY id')) {
        console.log(
          `${u.id}\t${u.username}\t${u.display_name}\t${u.role}\t${u.zone_ids ? `zones ${u.zone_ids}` : 'all zones'}\t${u.active ? 'active' : 'disabled'}`,
        );
      }
      return;
    }
    if (!values.username) throw new Error('--username is required.');
    if (command === 'add') {
      let zoneIds: number[] | null = null;
      if (values.zones) {
        const codes = values.zones.split(',').map((s) => s.trim());
        const rows = await db.query<{ id: number; code: string }>('SELECT id, code FROM zones WHERE code = ANY($1::text[])', [codes]);
        const missing = codes.filter((c) => !rows.some((r) => r.code === c));
        if (missing.length) throw new Error(`Unknown zone code ${missing.join(', ')}.`);
        zoneIds = rows.map((r) => r.id);
      }
      const password = values.password ?? (await askPassword('Password: '));
      const user = await createUser(db, null, { username: values.username, role: values.role, display_name: values.name, password, zone_ids: zoneIds });
      console.log(`Created ${user.username} (${user.role}).`);
      return;
    }
    const [user] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [values.username]);
    if (!user) throw new Error(`No user "${values.username}".`);
    if (command === 'passwd') {
      const password = values.password ?? (await askPassword('New password: '));
      await updateUser(db, system, user.id, { password });
      console.log(`Password of ${values.username} changed; their sessions were ended.`);
    } else {
      await updateUser(db, system, user.id, { active: false });
      console.log(`${values.username} is disabled; their sessions were ended.`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err as Error & { details?: unknown }).message : String(err));
  process.exit(1);
});
