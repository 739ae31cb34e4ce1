/**
 * npm run lint:api — writes the generated OpenAPI document (test-output/openapi.json, or the path given) and,
 * with --lint, checks it with Redocly's recommended rules (redocly.yaml). Exits non-zero on any error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../contract/document.ts';

const args = process.argv.slice(2);
const lint = args.includes('--lint');
const file = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'test-output/openapi.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
console.log(`OpenAPI document written to ${path.relative(process.cwd(), file)}`);
if (lint) {
  try {
    execFileSync(path.resolve('node_modules/.bin/redocly'), ['lint', file, '--format=stylish'], { stdio: 'inherit' });
  } catch {
    process.exit(1);
  }
}
