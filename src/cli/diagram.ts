import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { diagramRenderer } from '../diagram/index.js';
import type { Answers, Flow } from '../engine/flow.js';
import type { Recommendation } from '../engine/recommend.js';
import { err, ok, type Result } from '../engine/result.js';
import { topologyOf } from '../engine/topology.js';

/** Where `--diagram FILE` writes, and in which format its extension names. */
export type DiagramTarget = { file: string; format: 'svg' | 'png' };

/** Checks `--diagram FILE` before anything is computed: the extension must say SVG or PNG. */
export function diagramTarget(file: string): Result<DiagramTarget, string> {
  const ext = extname(file).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ok({ file, format: ext === '.svg' ? 'svg' : 'png' });
  return err(`--diagram writes an .svg or a .png file; "${file}" is neither`);
}

/** Draws the recommended topology into the target file; the line to tell the person, or why it could not be written. */
export async function writeDiagram(
  flow: Flow,
  answers: Answers,
  rec: Recommendation,
  target: DiagramTarget,
): Promise<Result<string, string>> {
  const topology = topologyOf(flow, answers, rec);
  const renderer = await diagramRenderer();
  const bytes = target.format === 'svg' ? renderer.svg(topology) : renderer.png(topology).png;
  try {
    await writeFile(target.file, bytes);
  } catch (e) {
    return err(`cannot write ${target.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return ok(`Wrote the recommended topology to ${target.file}. ${topology.summary}`);
}
