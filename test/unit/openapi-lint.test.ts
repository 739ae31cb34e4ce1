/**
 * The generated OpenAPI document passes Redocly's recommended rules with no error and no warning: security and
 * parameters declared on every operation, one error shape, ids for every operation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/contract/document.ts';
import { allContracts } from '../../server/contract/index.ts';

describe('the OpenAPI document', () => {
  it('has every contract, and Redocly finds no problem in it', () => {
    const doc = openApiDocument();
    const operations = Object.values(doc.paths ?? {}).flatMap((item) => Object.keys(item as object));
    expect(operations).toHaveLength(allContracts.length);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let output: string;
    try {
      output = execFileSync(path.resolve('node_modules/.bin/redocly'), ['lint', file, '--format=json', '--config', path.resolve('redocly.yaml')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      output = (err as { stdout?: string }).stdout ?? '';
    }
    const report = JSON.parse(output.slice(output.indexOf('{')));
    const problems = (report.problems ?? []).map(
      (p: { ruleId: string; message: string; location: { pointer: string }[] }) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('declares the session on every route that needs one, and CSRF on every write', () => {
    const doc = openApiDocument();
    for (const c of allContracts) {
      const op = (doc.paths as Record<string, Record<string, { security: Record<string, string[]>[] }>>)[c.path][c.method];
      const schemes = op.security.flatMap((s) => Object.keys(s));
      if (c.access === 'public') expect(schemes, `${c.method} ${c.path}`).toEqual([]);
      else expect(schemes, `${c.method} ${c.path}`).toContain('session');
      if (c.access !== 'public' && c.method !== 'get') expect(schemes, `${c.method} ${c.path}`).toContain('csrf');
    }
  });
});
