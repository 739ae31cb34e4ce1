/**
 * Imports a land file from the command line, through the same pipeline as the import page:
 *   npm run import -- 地块.zip [--zone SX-YQGX] [--crs EPSG:4547] [--map code=DKBH --map land_use_code=YDXZ]
 *                     [--area-unit mu] [--repair] [--accept-overlaps] [--user planner] [--commit]
 *                     [--kind parcels|zones|projects|enterprises] [--money-unit wan|yi]
 *                     [--land-use-standard auto|2023|"GB/T 21010-2017"|"GB 50137-2011"]
 *                     [--set status=已供应 --set land_use_code=100101]  (a value for every row of the file)
 *                     [--lang zh|en]
 * The kind is proposed from the file (points are projects, polygons with a 级别 column zones …); --kind
 * overrides it, with the mapping proposed afresh for that kind. `--set zone=CODE` is the same as --zone.
 * Without --commit it prints the coordinate system, the mapping and the report (errors, warnings — every
 * land-use code mapped from an older standard — and notes), and writes nothing to the parcels (exit 1 when
 * the report has errors). With --commit it writes all or nothing, as one import that the import page lists
 * and can undo. A coordinate system guessed from the numbers alone (no .prj, unprefixed Gauss–Krüger) is
 * never committed: the command stops, names the guess and asks for --crs, as the import page asks to confirm.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  IMPORT_KINDS,
  LAND_USE_STANDARDS,
  proposeMapping,
  type AreaUnit,
  type ImportKind,
  type LandUseStandard,
  type MoneyUnit,
} from '../../domain/importMapping.ts';
import { isRole, type Actor } from '../../domain/permissions.ts';
import { readConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open.ts';
import { HttpError } from '../lib/http.ts';
import { crsByEpsg } from '../import/crs.ts';
import { readDataset } from '../import/readers.ts';
import { checkImport, commitImport, parseSettings, stageImport } from '../import/pipeline.ts';
import { importMaxBytes } from '../routes/imports.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      zone: { type: 'string' },
      crs: { type: 'string' },
      map: { type: 'string', multiple: true },
      'area-unit': { type: 'string' },
      'area-tolerance': { type: 'string' },
      repair: { type: 'boolean', default: false },
      'accept-overlaps': { type: 'boolean', default: false },
      user: { type: 'string' },
      commit: { type: 'boolean', default: false },
      kind: { type: 'string' },
      'money-unit': { type: 'string' },
      'land-use-standard': { type: 'string' },
      set: { type: 'string', multiple: true },
      lang: { type: 'string' },
    },
  });
  const zh = (values.lang ?? process.env.LANG ?? '').toLowerCase().startsWith('zh');
  const say = (m: { en: string; zh: string }) => (zh ? m.zh : m.en);
  const file = positionals[0];
  if (!file) {
    console.error(
      'Usage: npm run import -- <file> [--kind parcels|zones|projects|enterprises] [--zone CODE] [--crs EPSG:4547] [--map target=column] [--set target=value] [--land-use-standard auto|2023|"GB/T 21010-2017"|"GB 50137-2011"] [--area-unit m2|mu|ha] [--money-unit wan|yi] [--repair] [--accept-overlaps] [--user NAME] [--lang zh|en] [--commit]',
    );
    return 2;
  }
  const size = statSync(file).size;
  if (size > importMaxBytes()) {
    console.error(
      `${path.basename(file)}: the file is ${(size / 1024 / 1024).toFixed(0)} MB; the limit is ${importMaxBytes() / 1024 / 1024} MB (IMPORT_MAX_MB).`,
    );
    return 1;
  }
  const config = readConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    let actor: Actor = { id: 0, username: 'cli', role: 'admin', zone_ids: null };
    if (values.user) {
      const [u] = await db.query<{ id: number; username: string; role: string; zone_ids: number[] | null }>(
        'SELECT id, username, role, zone_ids FROM users WHERE username = $1 AND active',
        [values.user],
      );
      if (!u || !isRole(u.role)) throw new Error(`No active user "${values.user}".`);
      actor = { id: u.id, username: u.username, role: u.role, zone_ids: u.zone_ids };
    }
    // --set target=value: one value for every row; "zone" is the zone chooser (--zone).
    const wholeFile: Record<string, string> = {};
    for (const s of values.set ?? []) {
      const at = s.indexOf('=');
      if (at <= 0) throw new Error(`--set must be target=value (e.g. --set status=已供应), got "${s}".`);
      wholeFile[s.slice(0, at).trim()] = s.slice(at + 1).trim();
    }
    const zoneWanted = wholeFile.zone ?? values.zone;
    delete wholeFile.zone;
    let zoneId: number | null = null;
    if (zoneWanted) {
      const [z] = await db.query<{ id: number }>('SELECT id FROM zones WHERE code = $1 OR name = $1', [zoneWanted]);
      if (!z) throw new Error(`Unknown zone "${zoneWanted}".`);
      zoneId = z.id;
    }
    const dataset = await readDataset(path.basename(file), readFileSync(file));
    const staged = await stageImport(db, actor, dataset, { zoneId });
    console.log(
      `${staged.fileName}: ${staged.format}, ${staged.features} features, columns ${staged.columns.join(', ')}${staged.encoding ? `, text ${staged.encoding}` : ''}`,
    );
    for (const n of staged.notes) console.log(`  note: ${n.en}`);
    if (staged.crs && !('error' in staged.crs)) {
      console.log(`  coordinates: EPSG:${staged.crs.epsg} ${crsByEpsg(staged.crs.epsg)!.name} (${staged.crs.confidence}) ${say(staged.crs.reason)}`);
    } else if (staged.crs) console.log(`  coordinates: ${say(staged.crs.error)}`);
    // A guess the numbers leave open (or no guess at all) must be confirmed with --crs before anything is written.
    const crsUnconfirmed = !values.crs && staged.crs !== null && ('error' in staged.crs || staged.crs.confidence === 'likely');
    if (values.kind && !IMPORT_KINDS.includes(values.kind as ImportKind)) throw new Error(`--kind must be one of ${IMPORT_KINDS.join(', ')}.`);
    const mapping =
      values.kind && values.kind !== (staged.mapping.kind ?? 'parcels') ? proposeMapping(staged.columns, null, values.kind as ImportKind) : staged.mapping;
    console.log(`  kind: ${mapping.kind ?? 'parcels'}`);
    for (const m of values.map ?? []) {
      const [target, column] = m.split('=');
      mapping.fields[target] = column || null;
    }
    if (values['area-unit']) mapping.areaUnit = values['area-unit'] as AreaUnit;
    if (values['money-unit']) mapping.moneyUnit = values['money-unit'] as MoneyUnit;
    if (values['land-use-standard']) {
      const wanted = values['land-use-standard'].replace(/\s+/g, '').toLowerCase();
      const std = LAND_USE_STANDARDS.find((x) => x.replace(/\s+/g, '').toLowerCase() === wanted);
      if (!std) throw new Error(`--land-use-standard must be one of ${LAND_USE_STANDARDS.map((x) => `"${x}"`).join(', ')}.`);
      mapping.landUseStandard = std as LandUseStandard;
    }
    if (Object.keys(wholeFile).length) mapping.values = { ...wholeFile };
    else delete mapping.values;
    console.log(
      `  mapping: ${Object.entries(mapping.fields)
        .filter(([, c]) => c)
        .map(([t, c]) => `${t}←${c}`)
        .join(', ')} (area in ${mapping.areaUnit}, land use ${mapping.landUseStandard})`,
    );
    if (mapping.values)
      console.log(
        `  value for the whole file: ${Object.entries(mapping.values)
          .map(([t, v]) => `${t}=${v}`)
          .join(', ')}`,
      );
    const settings = parseSettings(
      {
        ...(values.crs ? { epsg: values.crs } : {}),
        mapping,
        zoneId,
        repair: values.repair,
        acceptOverlaps: values['accept-overlaps'],
        ...(values['area-tolerance'] ? { areaTolerancePct: Number(values['area-tolerance']) } : {}),
      },
      {
        epsg: staged.crs && !('error' in staged.crs) ? staged.crs.epsg : 4326,
        swapped: staged.crs && !('error' in staged.crs) ? staged.crs.swapped : false,
        mapping,
      },
    );
    const guess = staged.crs && !('error' in staged.crs) ? staged.crs : null;
    const others = guess?.alternatives.length ? guess.alternatives.map((a) => `EPSG:${a}`).join(', ') : null;
    const askCrs = say(
      guess
        ? {
            en: `The coordinate system was guessed, not read from a .prj: EPSG:${guess.epsg} ${crsByEpsg(guess.epsg)!.name}${others ? ` (others that fit: ${others})` : ''}. Nothing written: confirm it with --crs EPSG:${guess.epsg} or give the right one.`,
            zh: `坐标系是根据坐标数值推测的（文件没有 .prj）：EPSG:${guess.epsg} ${crsByEpsg(guess.epsg)!.name}${others ? `（其他可能：${others}）` : ''}。未写入任何内容：请用 --crs EPSG:${guess.epsg} 确认，或给出正确的坐标系。`,
          }
        : {
            en: 'The coordinate system could not be told from the file: nothing written; give it with --crs (e.g. --crs EPSG:4547).',
            zh: '无法从文件判断坐标系：未写入任何内容；请用 --crs 指定（如 --crs EPSG:4547）。',
          },
    );
    // Committing on a guess is refused before anything else is done: the user confirms the system first.
    if (values.commit && crsUnconfirmed) {
      await db.query(`UPDATE imports SET status = 'cancelled', dataset = NULL WHERE id = $1`, [staged.id]);
      console.error(askCrs);
      return 1;
    }
    const report = await checkImport(db, actor, dataset, settings);
    console.log(`  report: ${report.total} features, ${report.toCreate} new, ${report.toUpdate} updated, ${report.errors} errors, ${report.warnings} warnings`);
    // Every issue: errors, warnings (each land-use code mapped from an older standard) and notes.
    const label = { error: 'ERROR', warning: 'warning', info: 'note' } as const;
    for (const i of report.issues) console.log(`  ${label[i.severity]} ${say(i.where)}${i.code ? ` (${i.code})` : ''}: ${say(i.message)}`);
    if (!values.commit) {
      await db.query(`UPDATE imports SET status = 'cancelled', dataset = NULL WHERE id = $1`, [staged.id]);
      if (crsUnconfirmed) console.log(askCrs);
      console.log(
        report.errors
          ? 'Not importable as it is: fix the errors above.'
          : crsUnconfirmed
            ? 'Checked; nothing written. Confirm the coordinate system, then add --commit.'
            : 'Checked; nothing written. Add --commit to import.',
      );
      return report.errors || crsUnconfirmed ? 1 : 0;
    }
    const result = await commitImport(db, actor, staged.id, settings);
    console.log(`Imported as import ${result.importId}: ${result.created} created, ${result.updated} updated.`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof HttpError ? err.message : `Import failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
