#!/usr/bin/env node
// Runs mesh-help from its TypeScript sources with no build step to remember: the sources are
// bundled once into .build/ (esbuild, a few tens of milliseconds) and rebuilt when a source is
// newer than the bundle. A process then runs plain JavaScript, without a loader thread in memory.
// Where bundling is not possible (a read-only install), tsx compiles on the fly instead.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli', 'main.ts');
const out = join(root, '.build', 'cli', 'main.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function bundle() {
  try {
    if (statSync(out).mtimeMs >= newestSource(join(root, 'src'))) return true;
  } catch {
    // no bundle yet
  }
  try {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      write: false,
      logLevel: 'silent',
    });
    mkdirSync(dirname(out), { recursive: true });
    // Written aside and renamed, so a process starting at the same moment never reads half a file.
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, result.outputFiles[0].contents);
    renameSync(tmp, out);
    return true;
  } catch {
    return false;
  }
}

let main;
if (await bundle()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(out).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(entry).href));
}
await main();
