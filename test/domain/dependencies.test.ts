import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The domain owns its types and the store keeps them: nothing under
 * src/domain may import from src/store, neither directly nor through a
 * module it imports. A type the domain needs from the store moves into the
 * domain (as the team document did, into src/domain/team.ts), and the store
 * imports it from there.
 */
const ROOT = join(import.meta.dirname, '../..');
const DOMAIN = join(ROOT, 'src/domain');
const STORE = join(ROOT, 'src/store');

/**
 * The one module the walk may pass through although it names the store:
 * src/errors.ts, the process-wide table of every error code, which takes each
 * family's code union from its module. Only `import type` of the store is
 * allowed there: erased at build, it loads nothing and carries no store type
 * into the domain's values.
 */
const CODE_REGISTRY = 'src/errors.ts';

type Import = { specifier: string; typeOnly: boolean; line: number };

/** `import … from`, `export … from` and `import '…'`, across lines; lists never hold a quote or a `;`. */
const STATIC = /\b(?:import|export)\s+(type\s+)?(?:[^;'"]*?\bfrom\s*)?['"]([^'"]+)['"]/g;
/** `import('…')`. */
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]/g;

/** Every module a source names, whether the import is type-only, and the line its specifier is on. */
function imports(text: string): Import[] {
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const at = (m: RegExpExecArray | RegExpMatchArray, specifier: string) =>
    lineAt((m.index ?? 0) + m[0].length - specifier.length - 1);
  return [
    ...[...text.matchAll(STATIC)].map((m) => {
      const specifier = m[2] ?? '';
      return { specifier, typeOnly: m[1] !== undefined, line: at(m, specifier) };
    }),
    ...[...text.matchAll(DYNAMIC)].map((m) => {
      const specifier = m[1] ?? '';
      return { specifier, typeOnly: false, line: at(m, specifier) };
    }),
  ];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The path a specifier names from `file`, or null for a package (`zod`, `node:fs`). */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return null;
  return resolve(dirname(file), specifier);
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function intoStore(file: string, specifier: string): boolean {
  const t = target(file, specifier);
  return t !== null && inside(STORE, t);
}

/** The source file an import lands on (`./x.js` is `./x.ts`; a folder is its index), if it exists. */
function sourceOf(path: string): string | null {
  const candidates = [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts'), path];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c)) ?? null;
}

/** Imports from src/store in `file` (given its text), as `path:line: specifier`. */
function storeImports(file: string, text: string): string[] {
  return imports(text)
    .filter((i) => intoStore(file, i.specifier))
    .map((i) => `${relative(ROOT, file)}:${i.line}: ${i.specifier}`);
}

/**
 * Import chains from the given files into src/store, following the relative
 * imports of every module on the way; `read` is every source the walk read.
 */
function walkImports(start: string[]): { chains: string[]; read: string[] } {
  const chains: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, path: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = relative(ROOT, file);
    for (const i of imports(readFileSync(file, 'utf8'))) {
      const t = target(file, i.specifier);
      if (t === null) continue;
      if (inside(STORE, t)) {
        if (here === CODE_REGISTRY && i.typeOnly) continue;
        chains.push([...path, here, relative(ROOT, t)].join(' → '));
      } else {
        const next = sourceOf(t);
        if (next !== null) walk(next, [...path, here]);
      }
    }
  };
  for (const file of start) walk(file, []);
  return { chains, read: [...seen].map((f) => relative(ROOT, f)) };
}

describe('what the domain depends on', () => {
  it('no file under src/domain imports from src/store', () => {
    const found = sources(DOMAIN).flatMap((file) => storeImports(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('nor reaches src/store through a module it imports (src/team, src/engine…)', () => {
    expect(walkImports(sources(DOMAIN)).chains).toEqual([]);
  });

  it('the check catches every way a domain file could import the store (so the tests above could fail)', () => {
    const inDomain = join(DOMAIN, 'limits.ts');
    const inMachine = join(DOMAIN, 'machine/step.ts');
    const caught: [string, string][] = [
      [inDomain, "import type { Session, TeamConfig, TeamDoc } from '../store/index.js';"],
      [inDomain, "import { FileStore } from '../store/file-store.js';"],
      [inDomain, "import { type TeamDoc, emptyTeam } from '../store/schema.js';"],
      [inDomain, "export * from '../store/schema.js';"],
      [inDomain, "export type { TeamDoc } from '../store';"],
      [inDomain, "import '../store/open.js';"],
      [inDomain, "const { openStore } = await import('../store/open.js');"],
      [inMachine, "import type { Decision, Session, TeamDoc } from '../../store/schema.js';"],
      [inMachine, 'import type { TeamDoc } from "../../store/schema.js";'],
      [inMachine, "import { x } from '../../../src/store/store.js';"],
    ];
    for (const [file, line] of caught) expect(storeImports(file, line), line).toHaveLength(1);

    const multiline = "import { z } from 'zod';\nimport type {\n  Decision,\n  TeamDoc,\n} from '../store/index.js';\n";
    expect(storeImports(inDomain, multiline)).toEqual(['src/domain/limits.ts:5: ../store/index.js']);
    expect(imports(multiline).map((i) => i.typeOnly)).toEqual([false, true]);

    const passed: [string, string][] = [
      [inDomain, "import type { TeamDoc } from './team.js';"],
      [inDomain, "import { z } from 'zod';"],
      [inDomain, "export const STORE_HINT = 'see ../store/index.js';"],
      [inMachine, "import type { Decision } from '../model.js';"],
      [inMachine, "import { findByKey } from '../../team/lookup.js';"],
      // A folder whose name only starts with "store" is not the store.
      [inMachine, "import { x } from '../../storefront/x.js';"],
      // From src/domain/machine, '../store' is src/domain/store, not src/store.
      [inMachine, "import { x } from '../store/x.js';"],
    ];
    for (const [file, line] of passed) expect(storeImports(file, line), line).toEqual([]);
  });

  it('the walk reads beyond src/domain, finds a store import there, and excuses only the registry’s type imports', () => {
    const files = sources(DOMAIN).map((f) => relative(ROOT, f));
    expect(files).toContain('src/domain/team.ts');
    expect(files).toContain('src/domain/machine/step.ts');
    // It follows imports out of src/domain: step.ts imports src/team/lookup.ts; the engine brings in src/errors.ts.
    const read = walkImports(sources(DOMAIN)).read;
    expect(read).toEqual(expect.arrayContaining(['src/team/lookup.ts', 'src/engine/flow.ts', CODE_REGISTRY]));
    // src/team/export-lease.ts imports the Store port; a walk that starts there must report it.
    expect(walkImports([join(ROOT, 'src/team/export-lease.ts')]).chains).toEqual([
      'src/team/export-lease.ts → src/store/index.js',
    ]);
    // The registry does name the store, by type only: the exemption is needed and no wider than that.
    const registry = join(ROOT, CODE_REGISTRY);
    const named = imports(readFileSync(registry, 'utf8')).filter((i) => intoStore(registry, i.specifier));
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((i) => i.typeOnly)).toBe(true);
  });
});
