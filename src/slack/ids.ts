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
/**
 * Ticking a box of a multi-choice question: nothing is recorded until the
 * confirm button. The interview message is updated in place, so the boxes'
 * action id also carries the session version it was drawn at: Slack keeps
 * unconfirmed ticks only while block and action id stay the same, and a
 * question shown again after a change must show its stored answer.
 */
export const PICK_ACTION = /^pick:(\d{1,9})(?::\d{1,9})?$/;
export const pickActionId = (rev: number, version?: number): string =>
  version === undefined ? `pick:${rev}` : `pick:${rev}:${version}`;
export const CONFIRM_ACTION = /^confirm:(\d{1,9})$/;
export const confirmActionId = (rev: number): string => `confirm:${rev}`;

/**
 * The interview message's "Change an answer" menu (option value: the question id); its action id carries the
 * session version, so a choice made on one rendering does not stay selected in the next.
 */
export const CHANGE_ACTION = /^interview:change(?::\d{1,9})?$/;
export const changeActionId = (version: number): string => `interview:change:${version}`;
/** block_id of the interview message's answers (the section the Change menu sits beside). */
export const ANSWERS_BLOCK = 'interview:answers';

export const ACTIONS = {
  accept: 'decision:accept',
  override: 'decision:override',
  /** Recommendation card, when the team requires approvals before accepting. */
  approve: 'decision:approve',
  /** Decision card: upload the record's ADR file into the discussion thread. */
  export: 'decision:export',
  /** Decision card: put the record back to `proposed` (its own team only). */
  reopen: 'decision:reopen',
  /** Decision card: an accepted record no longer guides new work (its own team only). */
  deprecate: 'decision:deprecate',
  /** Decision card: the Export menu (option values `upload:<team>:<number>` / `pr:<team>:<number>`). */
  exportMenu: 'decision:export-menu',
  /** Decision card: a proposed (reopened) record is turned down (its own team only). */
  reject: 'decision:reject',
  /** Private notes about a stopped or already open interview: post what is missing (value: `<team>:<session id>`). */
  resume: 'interview:resume',
  homeStart: 'home:start',
  /** App Home: open the settings modal. */
  homeSettings: 'home:settings',
  menuStart: 'menu:start',
  menuCompare: 'menu:compare',
  menuDecisions: 'menu:decisions',
  menuExport: 'menu:export',
  menuHelp: 'menu:help',
  /** Recommendation card: opens the Details modal (every reason, ruled out, tools, what would change it). */
  details: 'details:open',
  /** The private `compare` answer: post it to the channel (value: the compared pattern ids, comma-separated). */
  shareCompare: 'compare:share',
} as const;

/** The Details modal: its pages' callback id and the buttons that push its deeper pages. */
export const DETAILS = {
  callback: 'details:view',
  compare: 'details:compare',
  tools: 'details:tools',
  ruledOut: 'details:ruled-out',
} as const;

/** The decision card's buttons carry `<team>:<number>` so a card in the decisions channel still finds its record. */
export const recordRef = (teamId: string, number: number): string => `${teamId}:${number}`;
export function parseRecordRef(value: string | undefined): { teamId: string; number: number } | undefined {
  const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,9})$/.exec(value ?? '');
  return m?.[1] && m[2] ? { teamId: m[1], number: Number(m[2]) } : undefined;
}
/** The Resume button carries `<team>:<session id>`. */
export const sessionRef = (teamId: string, sessionId: string): string => `${teamId}:${sessionId}`;
export function parseSessionRef(value: string | undefined): { teamId: string; sessionId: string } | undefined {
  const m = /^([A-Za-z0-9_-]{1,64}):([A-Za-z0-9-]{1,64})$/.exec(value ?? '');
  return m?.[1] && m[2] ? { teamId: m[1], sessionId: m[2] } : undefined;
}
/** block_id of the decision card's buttons. */
export const decisionCardBlockId = (number: number): string => `adr:${number}`;

/** What the decision card's Export menu asks for, and the record it names. */
export type ExportChoice = { to: 'upload' | 'pr'; ref: { teamId: string; number: number } };
export const exportChoiceValue = (to: ExportChoice['to'], teamId: string, number: number): string =>
  `${to}:${recordRef(teamId, number)}`;
export function parseExportChoice(value: string | undefined): ExportChoice | undefined {
  const m = /^(upload|pr):(.*)$/.exec(value ?? '');
  const ref = parseRecordRef(m?.[2]);
  return m && ref ? { to: m[1] as ExportChoice['to'], ref } : undefined;
}

/** "Set a deadline" on a recommendation card, and its modal's ids. */
export const DEADLINE = {
  open: 'deadline:open',
  block: 'deadline',
  callback: 'deadline:set',
  days: { block: 'deadline:days', action: 'days' },
  date: { block: 'deadline:date', action: 'date' },
} as const;

export const CALLBACKS = {
  override: 'decision:override',
  start: 'interview:start',
  /** Message shortcut "Start a mesh decision" (manifest.yml features.shortcuts). */
  fromThread: 'interview:from_thread',
} as const;

/** Block and action ids inside modals, read back from view.state.values. */
export const INPUTS = {
  overridePatterns: { block: 'override:patterns', action: 'patterns' },
  overrideReason: { block: 'override:reason', action: 'reason' },
  startChannel: { block: 'start:channel', action: 'channel' },
  startTitle: { block: 'start:title', action: 'title' },
  startScope: { block: 'start:scope', action: 'scope' },
} as const;

export const COMMAND = '/mesh-help';

/** The settings modal (`/mesh-help config`, App Home's Settings button) and its inputs, read back from view.state.values. */
export const SETTINGS = {
  callback: 'settings:save',
  channel: { block: 'settings:channel', action: 'channel' },
  approvals: { block: 'settings:approvals', action: 'approvals' },
  deadline: { block: 'settings:deadline', action: 'days' },
  abandon: { block: 'settings:abandon', action: 'days' },
  owners: { block: 'settings:owners', action: 'owners' },
  editors: { block: 'settings:editors', action: 'editors' },
  timezone: { block: 'settings:timezone', action: 'zone' },
} as const;

/** Concerns on a card: raise (opens a modal), resolve (value: the concern id), and the modal's ids. */
export const CONCERN = {
  raise: 'concern:raise',
  resolve: 'concern:resolve',
  /** block_id of the card's concern buttons. */
  block: 'concerns',
  callback: 'concern:raise',
  text: { block: 'concern:text', action: 'text' },
} as const;
/** block_id of one open concern on a card. */
export const concernBlockId = (id: string): string => `concern:${id}`;

/** The revisit reminder: its button (value: the decision number) and the message metadata that marks it. */
export const REMINDER = { revisit: 'reminder:revisit', eventType: 'mesh_help_reminder' } as const;

/**
 * A drift notice (issue #19): "Start a revisit" (prefilled with the record's answers) and "Still right for us",
 * which opens the acknowledgement modal; both carry `<team>:<number>`.
 */
export const DRIFT = {
  revisit: 'drift:revisit',
  acknowledge: 'drift:acknowledge',
  /** The acknowledgement modal (private_metadata `<team>:<number>`) and its reason input. */
  callback: 'drift:acknowledge-view',
  reasonBlock: 'drift:reason',
  reasonInput: 'drift:reason-input',
  eventType: 'mesh_help_drift',
} as const;

/**
 * The readiness checklist's checkboxes: one `checkboxes` element per group of
 * at most ten items, each option's value an item key. Slack sends the element's
 * whole selection on a click, so the block_id carries what the clicker saw
 * ticked (`checklist:<group>:<version>:<key>.<key>…`, `-` for none): the
 * difference is what the person changed, and each change is sent with the
 * state it asks for, so a repeated click is idempotent and a click on a stale
 * view does not undo someone else's tick. The version changes with every tick,
 * so Slack does not keep a stale selection after an update. `checklist:toggle`
 * (`tick:<key>` / `untick:<key>`) is the Done / Undo button of checklists
 * posted before, still honoured.
 */
export const CHECKLIST_ACTION = /^checklist:(?:ticks|toggle(?::\d{1,3})?)$/;
export const CHECKLIST_TICKS = 'checklist:ticks';
export type ChecklistIntent = 'tick' | 'untick';
export type ChecklistChange = { intent: ChecklistIntent; key: string };
const ITEM_KEY = /^[a-z0-9]{1,64}$/;
export const isChecklistKey = (key: string): boolean => ITEM_KEY.test(key);
export const checklistValue = (intent: ChecklistIntent, key: string): string => `${intent}:${key}`;
export function parseChecklistValue(value: string | undefined): ChecklistChange | undefined {
  const m = /^(tick|untick):([a-z0-9]{1,64})$/.exec(value ?? '');
  return m?.[1] && m[2] ? { intent: m[1] as ChecklistIntent, key: m[2] } : undefined;
}
/** block_id of a group's checkboxes: the group, a version of its ticks, and the keys shown ticked. */
export const checklistBlockId = (group: number, version: string, ticked: readonly string[]): string =>
  `checklist:${group}:${version}:${ticked.length ? ticked.join('.') : '-'}`;
/** The keys a group's checkboxes showed ticked, read back from its block_id; undefined when it is not one. */
export function parseChecklistBlockId(blockId: string | undefined): string[] | undefined {
  const m = /^checklist:\d{1,3}:[a-z0-9]{1,16}:(-|[a-z0-9.]{1,230})$/.exec(blockId ?? '');
  if (!m?.[1]) return undefined;
  if (m[1] === '-') return [];
  const keys = m[1].split('.');
  return keys.every(isChecklistKey) ? keys : undefined;
}
