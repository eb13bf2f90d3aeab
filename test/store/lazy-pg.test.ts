import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Loads the built bot's modules in a fresh process and reports whether `pg` was loaded, before and after a PgStore is made. */
const script = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/pg/'));
await import('./dist/app.js');
const { PgStore } = await import('./dist/store/index.js');
const before = loaded();
const store = new PgStore('postgres://nobody:unused@127.0.0.1:1/none');
const after = loaded();
await store.close();
console.log(JSON.stringify({ before, after }));
`;

describe('the PostgreSQL driver', () => {
  it('is loaded only when a PgStore is made, not by a bot on the JSON store', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')).toEqual({ before: false, after: true });
  });
});
