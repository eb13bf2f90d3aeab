// Validates manifest.yml against Slack's published manifest JSON Schema (draft-07).
// Usage: npx tsx scripts/check-manifest.ts <path to manifest.schema.json> [manifest.yml]
// The schema lives outside the repository (../shared/vendor), so CI runs this rather than the test suite.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const [schemaPath, manifestPath = 'manifest.yml'] = process.argv.slice(2);
if (!schemaPath) {
  process.stderr.write('usage: check-manifest <manifest.schema.json> [manifest.yml]\n');
  process.exit(2);
}
const root = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// Slack's keywords like "regex" are not JSON Schema: strict mode off, formats not enforced.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
// The root refers to its per-version schemas by their published URL; serve them from the vendored copies.
const refs = [...JSON.stringify(root).matchAll(/"\$ref":"(https:[^"]+)"/g)].map((m) => m[1] ?? '');
const local = new Map(
  readdirSync(join(dirname(schemaPath), 'schemas')).map((f) => [f, join(dirname(schemaPath), 'schemas', f)]),
);
for (const ref of new Set(refs)) {
  const file = local.get(basename(ref));
  if (!file) throw new Error(`no vendored copy of ${ref}`);
  const sub = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete sub.$id;
  ajv.addSchema(sub, ref);
}
const validate = ajv.compile(root);
const manifest = parse(readFileSync(manifestPath, 'utf8')) as unknown;
if (validate(manifest)) {
  process.stdout.write(`${manifestPath}: valid Slack app manifest\n`);
} else {
  for (const e of validate.errors ?? [])
    process.stderr.write(`${manifestPath}: ${e.instancePath || '/'} ${e.message}\n`);
  process.exit(1);
}
