import type { AnswerValue, Flow } from '../../engine/flow.js';

/** The label(s) of an answer, as people read them. */
export function answerLabel(flow: Flow, questionId: string, value: AnswerValue | undefined): string {
  if (value === undefined) return 'not answered';
  const q = flow.questionById.get(questionId);
  const labelOf = (id: string) => q?.options.find((o) => o.id === id)?.label ?? id;
  return Array.isArray(value) ? value.map(labelOf).join(', ') : labelOf(value);
}

export const patternName = (flow: Flow, id: string): string => flow.patternById.get(id)?.name ?? id;

export const patternNames = (flow: Flow, ids: readonly string[]): string =>
  ids.map((id) => patternName(flow, id)).join(' + ');
