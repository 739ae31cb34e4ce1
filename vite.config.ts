import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { TestSequencer, TestSpecification, Vitest } from 'vitest/node';
import { precompress } from './client/build/precompress.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Vitest's own order, except that the crash test starts first in its group. Vitest sorts a group's files by
 * project name, so the crash test (the longest file, a few minutes) used to start when the API files were all
 * done and ran alone at the end while the other core idled; first, it runs beside them. (vitest/node is loaded
 * only when tests run, not for `vite build`, which reads this file too.)
 */
class CrashTestFirst implements TestSequencer {
  private base: Promise<TestSequencer>;
  constructor(ctx: Vitest) {
    this.base = import('vitest/node').then(({ BaseSequencer }) => new BaseSequencer(ctx));
  }
  async shard(files: TestSpecification[]) {
    return (await this.base).shard(files);
  }
  async sort(files: TestSpecification[]) {
    const sorted = await (await this.base).sort(files);
    const rank = (f: TestSpecification) => 2 * f.project.config.sequence.groupOrder + (f.project.name === 'crash' ? 0 : 1);
    // Array sort is stable: within a rank, Vitest's order (slowest or largest first) stays.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * The projects that open databases: the global setup builds the demo databases once for the run (each test file
 * copies them), and each worker compiles PostgreSQL's and PostGIS's WebAssembly once (test/helpers/wasmCompileCache.ts).
 */
const withDemoDatabases = {
  setupFiles: [path.join(root, 'test/helpers/wasmCompileCache.ts')],
  globalSetup: [path.join(root, 'test/api/globalSetup.ts')],
};

export default defineConfig({
  root: path.join(root, 'client'),
  plugins: [svelte(), precompress()],
  build: {
    outDir: path.join(root, 'dist/client'),
    emptyOutDir: true,
    // Two pages: the internal app, and the public investor catalogue whose bundle knows only the public API.
    rollupOptions: { input: { main: path.join(root, 'client/index.html'), invest: path.join(root, 'client/invest.html') } },
    chunkSizeWarningLimit: 2000,
  },
  server: { fs: { allow: [root] } },
  test: {
    // The JSON report lets CI print a one-line summary; test-output/ is git-ignored.
    reporters: ['default', ['json', { outputFile: path.join(root, 'test-output/vitest.json') }]],
    // bcrypt's cheapest cost: password hashing in tests need not resist attack.
    // CONTRACT_CHECK_RESPONSES: every JSON answer in the tests is checked against its route's contract (server/lib/route.ts).
    env: { BCRYPT_COST: '4', CONTRACT_CHECK_RESPONSES: '1' },
    sequence: { sequencer: CrashTestFirst },
    projects: [
      // Unit tests need no database: they start at once, without the global setup's demo databases.
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          // Modules loaded once per worker, not per file: 38 files in 7 s instead of 15 s. The few unit tests that
          // change a module's state (the app's time zone, a stubbed matchMedia) put it back after each test.
          isolate: false,
        },
      },
      {
        test: {
          name: 'api',
          root,
          ...withDemoDatabases,
          include: ['test/api/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          // Generous: CI machines are often loaded, and no test may fail for the machine's speed alone.
          testTimeout: 240_000,
          hookTimeout: 600_000,
          // Each file opens its own copies of the databases; two at a time suit a 2-core machine.
          maxWorkers: 2,
          // A worker keeps the server's modules loaded from one file to the next instead of importing them anew
          // for each (measured on 4 files: 67 s of imports instead of 191 s, 485 s instead of 750 s in all, on a
          // loaded machine). Each file still makes its own app, databases and servers; the server keeps no
          // per-process state that one test file could leave behind for another.
          isolate: false,
        },
      },
      {
        test: {
          // The real server killed and restarted on one data directory, many times (see test/crash/).
          name: 'crash',
          root,
          ...withDemoDatabases,
          include: ['test/crash/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 1_800_000,
          hookTimeout: 600_000,
          // Runs beside the API tests (same group, so the same worker limit), started first (CrashTestFirst).
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          ...withDemoDatabases,
          include: ['test/e2e/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // Two files at a time: a browser test waits on its page and server for much of its run, so two share the
          // two cores better than one (each file has its own servers, database copies and Chromium). Every wait is
          // generous (BROWSER_TIMEOUT_MS, the poll below), so the load two files make fails nothing by itself.
          maxWorkers: 2,
          // As for the API tests: modules loaded once per worker, everything else made per file.
          isolate: false,
          // expect.poll waits up to 30 s (Vitest's default is 1 s): on a loaded CI machine a page can take seconds
          // to load, and a poll only waits as long as it must.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
  },
});
