import { match } from 'ts-pattern';
import type { Flow, Tool, ToolStatus } from './flow.js';

/** How a tool's status reads for a person: "GA", "beta", "service ended"... */
export const statusLabel = (status: ToolStatus): string =>
  match(status)
    .with('ga', () => 'GA')
    .with('beta', () => 'beta')
    .with('preview', () => 'preview')
    .with('archived', () => 'archived')
    .with('service-ended', () => 'service ended')
    .exhaustive();

/** "GA, commercial build, checked 2026-11": everything a card or table says beside a tool's name. */
export const toolStatusLine = (tool: Tool): string =>
  [statusLabel(tool.status), ...(tool.commercial ? ['commercial'] : []), `checked ${tool.checked}`].join(', ');

/** The catalogue's tools of one pattern, in catalogue order. */
export const toolsOf = (flow: Flow, pattern: string): Tool[] => flow.tools.tools.filter((t) => t.pattern === pattern);

/** A tool's display name, or its id when the catalogue no longer has it (an old record). */
export const toolName = (flow: Flow, id: string): string => flow.toolById.get(id)?.name ?? id;
