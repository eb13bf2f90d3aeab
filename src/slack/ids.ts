/** Every Slack id the bot owns, in one place: block ids, action ids, callback ids. */

/** Contract (shared/spec/interview.md): the block holding a question's choices. */
export const QUESTION_BLOCK_PREFIX = 'q:';
export const questionBlockId = (questionId: string): string => `${QUESTION_BLOCK_PREFIX}${questionId}`;
export function questionOfBlockId(blockId: string): string | undefined {
  return blockId.startsWith(QUESTION_BLOCK_PREFIX) ? blockId.slice(QUESTION_BLOCK_PREFIX.length) : undefined;
}

/**
 * Answer action ids carry the revision of the answer the person saw
 * (`answer:<rev>:<option>`), so a click on an outdated message is detected.
 */
export const ANSWER_ACTION = /^answer:(\d{1,9}):([a-z0-9][a-z0-9_-]*)$/;
export const answerActionId = (rev: number, optionId: string): string => `answer:${rev}:${optionId}`;
/** Ticking a box of a multi-choice question: nothing is recorded until the confirm button. */
export const PICK_ACTION = /^pick:(\d{1,9})$/;
export const pickActionId = (rev: number): string => `pick:${rev}`;
export const CONFIRM_ACTION = /^confirm:(\d{1,9})$/;
export const confirmActionId = (rev: number): string => `confirm:${rev}`;

export const ACTIONS = {
  accept: 'decision:accept',
  override: 'decision:override',
  homeStart: 'home:start',
  menuStart: 'menu:start',
  menuCompare: 'menu:compare',
  menuDecisions: 'menu:decisions',
  menuExport: 'menu:export',
  menuHelp: 'menu:help',
} as const;

export const CALLBACKS = {
  override: 'decision:override',
  start: 'interview:start',
} as const;

/** Block and action ids inside modals, read back from view.state.values. */
export const INPUTS = {
  overridePatterns: { block: 'override:patterns', action: 'patterns' },
  overrideReason: { block: 'override:reason', action: 'reason' },
  startChannel: { block: 'start:channel', action: 'channel' },
  startTitle: { block: 'start:title', action: 'title' },
} as const;

export const COMMAND = '/mesh-help';
