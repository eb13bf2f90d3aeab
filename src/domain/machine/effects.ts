/**
 * What the outside world must do after a step of the state machine, as data.
 * The state machine only says what should happen; the Slack runtime's effect
 * runner (src/slack/runtime/effects.ts) does it, one effect at a time, in the
 * session's queue. The terminal has no thread and gets none of these.
 */

/** The Slack thread of one interview. */
export type Thread = { sessionId: string; channel: string; threadTs: string };

/** A note the bot posts in a thread or on a retired card (worded by the Slack side). */
export type ThreadNote =
  | { kind: 'deadline-accepted'; number: number }
  | { kind: 'expired'; reason: string }
  | { kind: 'deadline-set'; actor: string; deadline: string }
  | { kind: 'abandoned'; days: number }
  | { kind: 'rejected'; number: number; actor: string };

/** A note in a record's own thread after a life-cycle action (worded by the Slack side). */
export type RecordNote =
  | { kind: 'reopened'; number: number; actor: string }
  | { kind: 'deprecated'; number: number; actor: string }
  | { kind: 'rejected'; number: number; actor: string }
  | { kind: 'superseded'; number: number; by: number }
  | { kind: 'drift-acknowledged'; number: number; actor: string; reason: string };

/** A change of a record's status worth telling the team's decisions channel about. */
export type StatusChange =
  | { kind: 'accepted'; actor: string }
  | { kind: 'superseded'; by: number }
  | { kind: 'reopened'; actor: string }
  | { kind: 'deprecated'; actor: string }
  | { kind: 'rejected'; actor: string };

export type Effect =
  /**
   * Post the interview message (answers so far, then the current question) under the claim the step made
   * (`recover`: look in the thread first, after a crash).
   */
  | { type: 'post-interview'; thread: Thread; claim: string; recover: boolean; actor?: string }
  /**
   * Re-render the interview message in place from the state (an answer, a question opened again, a decision);
   * `actor` is told privately when Slack refuses the update.
   */
  | { type: 'update-interview'; thread: Thread; actor?: string }
  /** A question message of an interview begun before the single interview message: it stops taking answers. */
  | { type: 'retire-question'; thread: Thread; question: string; ts: string }
  /** Post the recommendation card under the claim the step made, then its readiness checklist. */
  | { type: 'post-card'; thread: Thread; claim: string; recover: boolean; actor?: string }
  /** Mark an older recommendation card (and its checklist) replaced. */
  | { type: 'retire-card'; thread: Thread; ts: string }
  /** Re-render the recommendation card from the state (approvals, concerns, decided, deadline). */
  | { type: 'update-card'; thread: Thread; ts: string }
  /** The card stops taking decisions: its buttons go and the note says why. */
  | { type: 'close-card'; thread: Thread; ts: string; note: ThreadNote }
  /** Re-render a readiness checklist message (a tick changed). */
  | { type: 'update-checklist'; thread: Thread; ts: string }
  /** Re-render the thread's root message (its status line). */
  | { type: 'update-root'; thread: Thread }
  /** A one-line note in the interview's thread. */
  | { type: 'post-note'; thread: Thread; note: ThreadNote }
  /** Post the accepted record's decision card (thread, channel, decisions channel) and what follows from it. */
  | { type: 'post-decision-card'; thread: Thread; number: number }
  /** Re-render every posted copy of a record's decision card. */
  | { type: 'update-record-cards'; number: number }
  /** A one-line note in the record's own thread. */
  | { type: 'note-record-thread'; number: number; note: RecordNote }
  /** Tell the team's decisions channel. */
  | { type: 'announce'; number: number; change: StatusChange }
  /** Post a record's revisit reminder in its thread (`recover`: an earlier claim was left unmarked; look first). */
  | { type: 'post-reminder'; number: number; recover: boolean }
  /**
   * Post a record's drift notice in its thread (and one line in the decisions channel), then mark `keys`
   * notified; `lines` name each change; `recover` as for post-reminder.
   */
  | { type: 'post-drift'; number: number; keys: string[]; lines: string[]; recover: boolean }
  /** Post today's deadline reminder in the thread (`recover` as for post-reminder). */
  | { type: 'post-nudge'; thread: Thread; day: string; recover: boolean };
