/** The embedded database: PGlite (PostgreSQL in WebAssembly) with its PostGIS extension, in-process. */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import type { Db, Queryable } from './types.ts';
import { sharedParsers } from './types.ts';
import { trimmedPostgis } from './postgisBundle.ts';

/**
 * How hard the embedded database works to keep acknowledged writes:
 * - 'full': PostgreSQL's own fsync discipline (WAL flushed to disk before a commit is acknowledged, data files
 *   and directories synced at checkpoints), made real by giving PGlite's file layer an fsync (see DurableNodeFS).
 * - 'off': PGlite's defaults (fsync off): survives the process being killed, not the machine losing power.
 * In memory (no data directory) there is nothing to make durable: 'memory'.
 */
export type EmbeddedDurability = 'full' | 'off' | 'memory';

export interface EmbeddedOptions {
  /** A directory to persist to; omitted = in memory. */
  dataDir?: string;
  /** Start from a dump made by dumpDataDir() (tests copy one migrated database this way). */
  loadDataDir?: Blob | File;
  /** 'full' unless said otherwise (EMBEDDED_FSYNC=off). Ignored in memory. */
  durability?: 'full' | 'off';
}

/** Host fsync calls made for PostgreSQL, counted so that a test (and /api/health) can see they really happen. */
export const hostFsyncs = { files: 0, directories: 0 };

interface EmscriptenStream {
  nfd?: number;
  node: { mode: number };
}
interface EmscriptenFS {
  isDir(mode: number): boolean;
  filesystems: {
    NODEFS: {
      realPath(node: unknown): string;
      tryFSOperation<T>(fn: () => T): T;
      stream_ops: Record<string, unknown> & { fsync?: (stream: EmscriptenStream) => number };
    };
  };
}

/**
 * PGlite's Node file layer with an fsync. PGlite 0.5.8 mounts Emscripten's NODEFS on the data directory: every
 * write() goes straight to the host file (so a killed process loses nothing already written), but NODEFS has
 * no fsync operation, so PostgreSQL's fsync() silently did nothing (electric-sql/pglite#1107). Here fsync()
 * on a file calls the host's fsync on its descriptor, and on a directory (PostgreSQL syncs a directory after
 * creating or renaming a file in it) opens the host directory and syncs that. A failing host fsync is
 * reported to PostgreSQL as EIO, which makes it stop rather than carry on with data it cannot trust.
 * fdatasync() stays a no-op in Emscripten, so the WAL must be synced with wal_sync_method=fsync (see below).
 */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    const preRun = [...(result.emscriptenOpts.preRun ?? [])];
    // PGlite types the module with @types/emscripten (whose NODEFS lacks the members used here): our own narrower type.
    preRun.push(((mod: { FS: EmscriptenFS }) => giveNodefsAnFsync(mod.FS)) as unknown as (typeof preRun)[number]);
    result.emscriptenOpts.preRun = preRun as typeof result.emscriptenOpts.preRun;
    return result;
  }
}

function giveNodefsAnFsync(FS: EmscriptenFS) {
  const nodefs = FS.filesystems.NODEFS;
  nodefs.stream_ops.fsync = (stream) => {
    nodefs.tryFSOperation(() => {
      if (stream.nfd !== undefined) {
        fsyncSync(stream.nfd);
        hostFsyncs.files++;
      } else if (FS.isDir(stream.node.mode)) {
        // NODEFS keeps no host descriptor for a directory stream: open one for the sync.
        const fd = openSync(nodefs.realPath(stream.node), 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        hostFsyncs.directories++;
      }
    });
    return 0;
  };
}

/**
 * PGlite's default start parameters include -F (fsync off). For 'full' it goes, and the WAL is synced with
 * fsync() because Emscripten's fdatasync() (PostgreSQL's default wal_sync_method on Linux) does nothing.
 */
export function startParamsFor(durability: 'full' | 'off'): string[] {
  if (durability === 'off') return PGlite.defaultStartParams;
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'wal_sync_method=fsync'];
}

/**
 * One process per data directory: a second PGlite on the same directory corrupts it (see real-world.md).
 * The lock is a file beside the directory holding the owner's process id; a lock left by a process that no
 * longer exists (killed, crashed) is taken over.
 */
export function lockPathFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** The id of the live process holding dataDir's lock, or null. */
export function dataDirOwner(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPathFor(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The data directory ${dataDir} is in use by process ${pid} (a running Park Atlas server?). Stop it first, or use its backup endpoint.`);
  }
}

/** The data directories this process has open: a second PGlite in the same process is refused too. */
const openHere = new Set<string>();

function lockDataDir(dataDir: string): () => void {
  const lockPath = lockPathFor(dataDir);
  const owner = dataDirOwner(dataDir);
  if (owner !== null && (owner !== process.pid || openHere.has(lockPath))) throw new DataDirInUseError(dataDir, owner);
  writeFileSync(lockPath, String(process.pid));
  openHere.add(lockPath);
  return () => {
    openHere.delete(lockPath);
    if (dataDirOwner(dataDir) === process.pid) rmSync(lockPath, { force: true });
  };
}

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T>(text: string, values: unknown[] = []) {
      const res = await q.query<T>(text, values);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

export async function openEmbeddedDb(options: EmbeddedOptions = {}): Promise<Db & { pglite: PGlite; durability: EmbeddedDurability }> {
  const durability: EmbeddedDurability = options.dataDir ? (options.durability ?? 'full') : 'memory';
  let fs: NodeFS | undefined;
  let unlock = () => {};
  if (options.dataDir) {
    // PGlite creates its own directory but not the ones above it.
    mkdirSync(path.dirname(options.dataDir), { recursive: true });
    unlock = lockDataDir(options.dataDir);
    fs = durability === 'full' ? new DurableNodeFS(options.dataDir) : new NodeFS(options.dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      fs,
      loadDataDir: options.loadDataDir,
      // PostGIS without raster, topology and tiger, from a bundle cached on disk (see postgisBundle.ts).
      extensions: { postgis: trimmedPostgis() },
      parsers: sharedParsers,
      startParams: durability === 'memory' ? undefined : startParamsFor(durability),
    });
    await pglite.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (err) {
    unlock();
    throw err;
  }
  const base = wrap(pglite);
  const db: Db & { pglite: PGlite; durability: EmbeddedDurability } = {
    kind: 'embedded',
    pglite,
    durability,
    ...base,
    // PGlite has one session: transactions serialise everything, which is what we want here.
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    withSession: (fn) => fn(db),
    async close() {
      try {
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
  return db;
}
