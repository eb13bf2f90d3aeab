import { z } from 'zod';
import { AnswersSchema } from '../engine/flow.js';
import { Recommendation } from '../engine/recommend.js';
import { Basis } from './basis.js';

/**
 * The domain model: every type an interview session and its decision record
 * are made of, each a zod schema and its type under one name. The team
 * document (src/domain/team.ts) is built from them and the store validates
 * with these very schemas (src/store/schema.ts imports them), so there is one
 * definition of each. Objects are `looseObject`: a field a newer
 * mesh-help writes survives a load and save by this one.
 */

// The recommendation is the engine's own schema, re-exported so there is exactly one definition.
export { ChecklistItem, Reason, Recommendation, ToolChoice, ToolFit } from '../engine/recommend.js';

const Iso = z.string().min(1);

/** Answers by question id: one option id, or several for a multi-choice question. */
export const Answers = AnswersSchema;
export type Answers = z.infer<typeof Answers>;

/** Who said what in a discussion thread (captured replies). */
export const Reply = z.looseObject({
  ts: z.string(),
  user: z.string(),
  userName: z.string().optional(),
  text: z.string(),
  at: Iso,
  permalink: z.string().optional(),
  editedAt: Iso.optional(),
  deleted: z.boolean().default(false),
});
export type Reply = z.infer<typeof Reply>;

/** A concern raised on a recommendation or record; open until someone resolves it. */
export const Concern = z.looseObject({
  id: z.string(),
  by: z.string(),
  byName: z.string().optional(),
  text: z.string(),
  at: Iso,
  resolvedBy: z.string().optional(),
  resolvedAt: Iso.optional(),
});
export type Concern = z.infer<typeof Concern>;

/** One person's approval of a recommendation. */
export const Approval = z.looseObject({ by: z.string(), byName: z.string().optional(), at: Iso });
export type Approval = z.infer<typeof Approval>;

/** A ticked readiness-checklist item (keyed by checklistKey), and who ticked it. */
export const Tick = z.looseObject({ by: z.string(), byName: z.string().optional(), at: Iso });
export type Tick = z.infer<typeof Tick>;

/** Who answered a question, and when. */
export const AnsweredBy = z.looseObject({ by: z.string(), at: Iso });
export type AnsweredBy = z.infer<typeof AnsweredBy>;

export const SessionStatus = z.enum(['open', 'complete', 'decided', 'abandoned']);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** One interview, in Slack or the terminal; `version` guards concurrent answers. */
export const Session = z.looseObject({
  id: z.string().min(1),
  teamId: z.string().min(1),
  channel: z.string().optional(),
  threadTs: z.string().optional(),
  startedBy: z.string(),
  title: z.string(),
  answers: Answers,
  answeredBy: z.record(z.string(), AnsweredBy).default({}),
  /** Slack message ts of each posted question, by question id (interviews begun before the single interview message). */
  messages: z.record(z.string(), z.string()).default({}),
  /** Slack ts of the interview message, updated in place for every question ("pending:…" while one request posts it). */
  interviewTs: z.string().optional(),
  /** An answered question someone opened again to change; the interview message shows it until it is answered. */
  editing: z.string().optional(),
  /** Session version at which each answer last changed; a click made on an older view is stale. */
  answerRevs: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** Slack ts of the current recommendation card ("pending:…" while one request posts it). */
  cardTs: z.string().optional(),
  /** The request (Slack trigger_id) that started it: the same request replayed after a crash starts nothing twice. */
  startRequest: z.string().optional(),
  status: SessionStatus,
  recommendation: Recommendation.optional(),
  revisits: z.number().int().positive().optional(),
  /** The bot's opening message when the interview runs in someone else's thread (message shortcut); else the thread root. */
  rootTs: z.string().optional(),
  /** Cluster or environment tags the decision will cover (`prod-eu`), given when the interview starts. */
  scope: z.array(z.string()).optional(),
  /** When the recommendation must be decided by (set when it is first made, from the team's deadline). */
  deadline: Iso.optional(),
  deadlineSetAt: Iso.optional(),
  /** Day (YYYY-MM-DD, UTC) of the last deadline reminder claimed, and of the last one posted: one a working day. */
  nudgeClaimedOn: z.string().optional(),
  nudgedOn: z.string().optional(),
  /** Set with status `abandoned` when the deadline passed without quorum or with an open concern. */
  expiredAt: Iso.optional(),
  expiredReason: z.string().optional(),
  /** Set with status `abandoned` when nobody answered or decided for the team's idle limit (`config abandon`). */
  abandonedAt: Iso.optional(),
  abandonedReason: z.string().optional(),
  decisionNumber: z.number().int().positive().optional(),
  replies: z.array(Reply).default([]),
  concerns: z.array(Concern).default([]),
  approvals: z.array(Approval).default([]),
  /** Readiness checklist ticks by item key; they move to the decision with the discussion. */
  checklistTicks: z.record(z.string(), Tick).default({}),
  /** Slack ts of the posted readiness checklist. */
  checklistTs: z.string().optional(),
  /** Set when the interview runs in a private channel or DM: only that conversation sees it. */
  privateTo: z.string().optional(),
  createdAt: Iso,
  updatedAt: Iso,
  version: z.number().int().nonnegative(),
});
export type Session = z.infer<typeof Session>;

export const DecisionStatus = z.enum(['proposed', 'accepted', 'rejected', 'deprecated', 'superseded']);
export type DecisionStatus = z.infer<typeof DecisionStatus>;

/** One change of a team rule: who, when, old → new (values as shown to people). */
export const RuleChange = z.looseObject({
  at: Iso,
  by: z.string(),
  setting: z.string(),
  from: z.string(),
  to: z.string(),
});
export type RuleChange = z.infer<typeof RuleChange>;

/** One step of a record's life cycle: the status it moved to, who moved it, and why. */
export const HistoryEntry = z.looseObject({
  at: Iso,
  by: z.string(),
  /** Display name of `by` (the person's name, or the terminal user's), so the history credits people, not ids. */
  byName: z.string().optional(),
  to: DecisionStatus,
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A posted copy of a record's decision card. */
export const CardRef = z.looseObject({ channel: z.string(), ts: z.string() });
export type CardRef = z.infer<typeof CardRef>;

/** A team's word that a drift does not change its decision ("still right for us, because …"). */
export const DriftAck = z.looseObject({
  /** The drift's key (domain/basis.ts driftKey). */
  key: z.string(),
  by: z.string(),
  byName: z.string().optional(),
  at: Iso,
  reason: z.string(),
});
export type DriftAck = z.infer<typeof DriftAck>;

/** A numbered decision record of one team (ADR-0001, …), never renumbered. */
export const Decision = z.looseObject({
  number: z.number().int().positive(),
  title: z.string(),
  status: DecisionStatus,
  answers: Answers,
  recommendation: Recommendation,
  chosen: z.array(z.string()).min(1),
  overrideReason: z.string().optional(),
  /** Slack user id, or the terminal user's name (--by, else the OS user); the *Name fields hold display names. */
  createdBy: z.string(),
  createdByName: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedByName: z.string().optional(),
  decidedAt: Iso.optional(),
  createdAt: Iso,
  updatedAt: Iso,
  sessionId: z.string().optional(),
  channel: z.string().optional(),
  threadTs: z.string().optional(),
  permalink: z.string().optional(),
  supersedes: z.number().int().positive().optional(),
  supersededBy: z.number().int().positive().optional(),
  /** Every posted copy of the record's decision card, so a status change updates them all. */
  cards: z.array(CardRef).optional(),
  /** Cluster or environment tags the record covers; the organisation's log flags conflicts on them. */
  scope: z.array(z.string()).optional(),
  revisitOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Set in the store before the revisit reminder is posted: after a crash the thread is checked instead of posting again. */
  reminderClaimedAt: Iso.optional(),
  /** Which running bot holds the claim: another one leaves it alone until the claim is old (REMINDER_CLAIM_LEASE_MS). */
  reminderClaimedBy: z.string().optional(),
  reminderPostedAt: Iso.optional(),
  /** Slack ts of the posted revisit reminder. */
  reminderTs: z.string().optional(),
  replies: z.array(Reply).default([]),
  concerns: z.array(Concern).default([]),
  approvals: z.array(Approval).default([]),
  /** Readiness checklist ticks by item key (see engine/checklist.ts). */
  checklistTicks: z.record(z.string(), Tick).default({}),
  /** Slack ts of the posted readiness checklist, which keeps taking ticks after the decision. */
  checklistTs: z.string().optional(),
  history: z.array(HistoryEntry).default([]),
  /** Set when the record was made in a private channel or DM: shown, listed and exported only there. */
  privateTo: z.string().optional(),
  /** The approvals rule in force when the record was accepted. */
  acceptedUnderApprovals: z.number().int().nonnegative().optional(),
  /** Changes of the approvals rule made while its interview was open, and their follow-ups. */
  ruleChanges: z.array(RuleChange).optional(),
  /** What the record was accepted on (its tools' catalogue facts, the advice, the flows' hash); drift is measured from it. */
  basis: Basis.optional(),
  /** Keys of the drifts whose notice was posted: one notice per change, not per check. */
  driftNotified: z.array(z.string()).optional(),
  /** Set in the store before a drift notice is posted, as the revisit reminder's claim (keys: the drifts it covers). */
  driftClaimedAt: Iso.optional(),
  driftClaimedBy: z.string().optional(),
  driftClaimedKeys: z.array(z.string()).optional(),
  /** Slack ts of the latest drift notice in the record's thread. */
  driftTs: z.string().optional(),
  /** Drifts the team acknowledged as not changing the decision. */
  driftAcks: z.array(DriftAck).optional(),
});
export type Decision = z.infer<typeof Decision>;

/** Where `/mesh-help export pr` opens pull requests: a GitHub repository and the folder inside it. */
export const RepoTarget = z.looseObject({ owner: z.string().min(1), name: z.string().min(1), path: z.string().min(1) });
export type RepoTarget = z.infer<typeof RepoTarget>;

/** A plain git remote to push exports to (no credentials in the URL: git's credential helpers supply them). */
export const GitTarget = z.looseObject({
  url: z.string().min(1),
  branch: z.string().optional(),
  path: z.string().min(1),
});
export type GitTarget = z.infer<typeof GitTarget>;

/** Who may change a team's rules (`/mesh-help config …`); absent means `admins-and-owners`. */
export const RuleEditors = z.enum(['admins-and-owners', 'owners', 'admins', 'anyone']);
export type RuleEditors = z.infer<typeof RuleEditors>;

/** A team's rules: where records are announced, approvals and deadlines, export targets, who may change them. */
export const TeamConfig = z.looseObject({
  decisionsChannel: z.string().optional(),
  approvals: z.number().int().nonnegative().default(0),
  /** Days a recommendation has to be decided in; unset means no deadline. */
  deadlineDays: z.number().int().positive().optional(),
  repo: RepoTarget.optional(),
  gitRemote: GitTarget.optional(),
  /** Slack user ids whose approval a recommendation needs (named in the deadline's reminders; its quorum). */
  approvers: z.array(z.string()).optional(),
  /** Slack user ids of the team's named owners, who may change its rules. */
  owners: z.array(z.string()).optional(),
  editors: RuleEditors.optional(),
  /** Every rule change, oldest first. */
  history: z.array(RuleChange).optional(),
  /** Open interviews allowed at once in one channel and in the whole team (absent: the defaults). */
  maxOpenPerChannel: z.number().int().positive().optional(),
  maxOpenPerTeam: z.number().int().positive().optional(),
  /** Days without an answer, approval, concern or reply after which an open interview without a deadline is abandoned; 0 never (absent: the default). */
  abandonAfterDays: z.number().int().nonnegative().optional(),
  /** The team's time zone (IANA, e.g. Europe/Berlin) for what the whole channel reads: dates, working days (absent: UTC). */
  timezone: z.string().optional(),
});
export type TeamConfig = z.infer<typeof TeamConfig>;
