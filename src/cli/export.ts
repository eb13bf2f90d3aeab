import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { exportFiles, INDEX_FILE, writeExport } from '../adr/index.js';
import { FlowError, getFlow } from '../engine/load.js';
import { StoreError } from '../store/index.js';
import type { Io } from './main.js';
import { openCliStore, storeLocation } from './store.js';

const Args = z.object({
  team: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '--team: a team id is letters, digits, - and _ (at most 64)')
    .default('local'),
  out: z.string({ error: 'export needs --out DIR (the folder to write, e.g. docs/decisions)' }).trim().min(1, {
    error: 'export needs --out DIR (the folder to write, e.g. docs/decisions)',
  }),
});

const USAGE = 'usage: mesh-help export [--team ID] --out DIR';

/** `mesh-help export [--team ID] --out DIR`: every ADR of the team and a README.md index, ready to commit. */
export async function exportCommand(args: string[], io: Io): Promise<number> {
  let values: unknown;
  try {
    values = parseArgs({ args, options: { team: { type: 'string' }, out: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    io.err(`mesh-help: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    io.err(`mesh-help: ${parsed.error.issues[0]?.message}\n${USAGE}`);
    return 2;
  }
  const { team, out } = parsed.data;
  const where = storeLocation(io.env).label;
  const store = await openCliStore(io.env);
  try {
    const flow = getFlow();
    const doc = await store.read(team);
    if (!doc.decisions.length) {
      io.err(`mesh-help: team ${team} has no decision records in ${where}; nothing to export`);
      return 1;
    }
    const files = exportFiles(flow, team, doc.decisions);
    const dir = resolve(out);
    await writeExport(dir, files);
    io.out(`Wrote ${files.length - 1} decision record(s) and ${INDEX_FILE} for team ${team} to ${dir}.`);
    return 0;
  } catch (err) {
    if (err instanceof StoreError || err instanceof FlowError) {
      io.err(`mesh-help: ${err.message}`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code) {
      io.err(`mesh-help: cannot write to ${resolve(out)}: ${code} (${(err as Error).message})`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
