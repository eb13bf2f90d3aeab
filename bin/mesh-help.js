#!/usr/bin/env node
// Runs mesh-help from its compiled JavaScript in dist/ (`npm run build`; `npm ci` runs it through `prepare`).
// Nothing is compiled or written here at run time, so an install folder may be read-only.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'main.js');

if (!existsSync(entry)) {
  process.stderr.write(
    `mesh-help: ${entry} is missing: the sources are not built yet.\n` +
      `Run \`npm run build\` in ${root} (\`npm ci\` runs it for you), then try again.\n`,
  );
  process.exit(1);
}
// `npm start` reads a .env file in the current folder, if there is one (copy .env.example); variables already
// set in the environment win over it.
if (process.argv[2] === 'start' && existsSync('.env')) process.loadEnvFile('.env');
// Stack traces name the TypeScript file and line (dist/ carries source maps).
process.setSourceMapsEnabled(true);
const { main } = await import(pathToFileURL(entry).href);
await main();
