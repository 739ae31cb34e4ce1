/**
 * npm start: builds the client only when it is missing or older than its sources, so that a production start
 * does not spend half a minute rebuilding what it already has, while a fresh clone still gets everything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the client bundle is made of: its own code, the shared domain, the API contract, the build settings. */
const SOURCES = ['client', 'domain', 'server/contract', 'vite.config.ts', 'package-lock.json'];
const BUILT = 'dist/client/index.html';

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map(newestMtime));
if (builtAt === 0 || sourcesAt > builtAt) {
  console.log(builtAt === 0 ? 'Building the client (first start)…' : 'The client sources changed since the last build: building…');
  execFileSync(path.resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
} else {
  console.log('The client build is up to date.');
}
