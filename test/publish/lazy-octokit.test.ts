import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src', import.meta.url).pathname;

describe('Octokit is loaded only when an export to GitHub happens', () => {
  it('no source file imports an @octokit package statically (types aside); the client loads it with import()', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const statics = files.flatMap((f) =>
      [...readFileSync(join(SRC, f), 'utf8').matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(@octokit\/[^']+)'/gm)].map(
        (m) => `${f}: ${m[1]}`,
      ),
    );
    expect(statics).toEqual([]);
    const client = readFileSync(join(SRC, 'publish', 'github.ts'), 'utf8');
    for (const pkg of ['@octokit/rest', '@octokit/plugin-retry', '@octokit/plugin-throttling'])
      expect(client).toContain(`import('${pkg}')`);
  });
});
