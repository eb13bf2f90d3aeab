import { answerLabels, patternNameList } from '../../domain/presentation.js';
import type { AnswerValue, Flow } from '../../engine/flow.js';

export { patternName } from '../../domain/presentation.js';

/** The label(s) of an answer, as people read them in Slack. */
export function answerLabel(flow: Flow, questionId: string, value: AnswerValue | undefined): string {
  return value === undefined ? 'not answered' : answerLabels(flow, questionId, value).join(', ');
}

export const patternNames = (flow: Flow, ids: readonly string[]): string => patternNameList(flow, ids).join(' + ');
