import type { AnswerValue } from '../../engine/flow.js';
import type { Recommendation } from '../../engine/recommend.js';
import type { ReplyInput } from '../../team/discussion.js';
import type { RequestRef } from '../claims.js';
import type { Decision, Session, Tick } from '../model.js';
import type { DecisionError } from './record.js';

/**
 * Everything an interview session or a decision record can be told, from
 * Slack or the terminal. `step` takes one of these and returns the next state,
 * the effects and the outcome the caller reports.
 */

/** A message in a thread, as a button click names it. */
export type At = { channel: string; threadTs: string; ts: string };

export type Event =
  /** Reserve a place for a new interview (the root message is posted next, under the claim). */
  | {
      type: 'start';
      id: string;
      channel: string;
      user: string;
      title: string;
      revisits?: number | undefined;
      /** With `revisits`: the interview starts with the revisited record's answers filled in. */
      prefill?: boolean | undefined;
      scope?: string[] | undefined;
      privateTo?: string | undefined;
      request?: RequestRef | undefined;
    }
  /** The root message is posted: the session is keyed by its thread and the first question is claimed. */
  | {
      type: 'root-posted';
      sessionId: string;
      threadTs: string;
      rootTs: string;
      replies: ReplyInput[];
      request?: RequestRef | undefined;
    }
  /** The root message could not be posted (or saved): the reservation is given back. */
  | { type: 'root-failed'; sessionId: string }
  | {
      type: 'answer';
      sessionId: string;
      at: At;
      question: string;
      value: AnswerValue;
      /** The answer revision the clicked message showed. */
      seenRev: number;
      by: string;
      request?: RequestRef | undefined;
    }
  /** Open an answered question again in the interview message, to change it (`at`: the interview message). */
  | { type: 'ask-again'; sessionId: string; at: At; question: string; by: string }
  /** Post what a failed step left unposted; `sessionId` absent: the latest open interview in `channel`. */
  | { type: 'resume'; sessionId?: string | undefined; channel?: string | undefined; by: string }
  /** Accept the recommendation, or override it with a reason. */
  | {
      type: 'accept';
      sessionId: string;
      at: At;
      by: string;
      byName?: string | undefined;
      override?: { chosen: string[]; reason: string } | undefined;
      permalink?: string | undefined;
    }
  | { type: 'approve'; sessionId: string; at: At; by: string; byName?: string | undefined }
  | {
      type: 'raise-concern';
      sessionId: string;
      /** The concern's id, made by the caller (the state machine makes no randomness). */
      id: string;
      by: string;
      byName?: string | undefined;
      text: string;
    }
  | { type: 'resolve-concern'; sessionId: string; id: string; by: string }
  | {
      type: 'tick';
      sessionId: string;
      /** The checklist message clicked: only the thread's current one takes ticks. */
      ts: string;
      key: string;
      intent: 'tick' | 'untick';
      by: string;
      byName?: string | undefined;
    }
  /** Life-cycle actions on a record from its decision card (`card`: the copy clicked, kept to update later). */
  | RecordEvent<'reopen'>
  | RecordEvent<'reject'>
  | RecordEvent<'deprecate'>
  /** A proposed record accepted by its number (the terminal's `decide accept`), without its interview's card. */
  | RecordEvent<'accept-record'>
  /** An accepted record is superseded by another of the team's records (`with`), proposed (accepted now) or accepted. */
  | (RecordEvent<'supersede'> & { with: number })
  /** Someone sets (or moves) the card's deadline. */
  | { type: 'set-deadline'; sessionId: string; at: At; deadline: string; by: string }
  /** The recommendation's deadline passed: accepted with quorum and no open concern, else abandoned. */
  | { type: 'deadline'; sessionId: string; actor: string; actorName: string }
  /** An interview without a deadline has been silent for the team's idle limit: it is abandoned, freeing its place. */
  | { type: 'abandon-idle'; sessionId: string }
  /** An accepted record's revisit date has come: `owner` (a running bot) claims its reminder, unless another holds it. */
  | { type: 'reminder-due'; number: number; owner: string; leaseMs: number }
  /** Look for an accepted record's drift since its basis: `owner` (a running bot) claims the notice, unless another holds it. */
  | { type: 'drift-due'; number: number; owner: string; leaseMs: number }
  /** The team says an accepted record still holds despite its drift ("still right for us, because …"). */
  | {
      type: 'acknowledge-drift';
      number: number;
      by: string;
      byName?: string | undefined;
      userTeam: string;
      reason: string;
    }
  /** A deadline reminder is due today (`day`, YYYY-MM-DD) in a recommendation's thread. */
  | { type: 'nudge-due'; sessionId: string; day: string }
  /** The terminal: a whole interview answered at once, saved as a proposed or accepted record. */
  | {
      type: 'record';
      id: string;
      title: string;
      answers: Record<string, unknown>;
      /** The recommendation the terminal showed for these answers. */
      recommendation: Recommendation;
      accept: boolean;
      revisits?: number | undefined;
      scope?: string[] | undefined;
      by: string;
      byName?: string | undefined;
    };

type RecordEvent<T extends string> = {
  type: T;
  number: number;
  by: string;
  byName?: string | undefined;
  /** The actor's own team: only the record's team changes it. */
  userTeam: string;
  card?: { channel: string; ts: string } | undefined;
  /** Where the action was asked for, for the history's note (default Slack). */
  via?: Via | undefined;
};

/** Where a person acted from. */
export type Via = 'slack' | 'terminal';

/** Why a life-cycle action was refused; it changed nothing. */
export type RecordRefusal = { kind: 'not-found' } | { kind: 'foreign-team' } | { kind: 'refused'; message: string };

export type StartOutcome =
  | { kind: 'reserved'; id: string; claim: string; recover: boolean; session: Session }
  /** The same request started this interview before a crash: only what the crash cut off is posted. */
  | { kind: 'replayed'; session: Session }
  | { kind: 'cannot-revisit'; number: number; status?: Decision['status'] | undefined }
  | { kind: 'already-open'; session: Session }
  | { kind: 'too-many-open'; limit: number };

export type AnswerOutcome =
  | { kind: 'not-found' }
  | { kind: 'closed'; status: Session['status']; decisionNumber?: number | undefined }
  | { kind: 'not-current' }
  | { kind: 'not-applicable' }
  | { kind: 'unchanged' }
  | { kind: 'resumed' }
  | { kind: 'stale'; by?: string | undefined; value?: AnswerValue | undefined }
  | { kind: 'bad-answer'; message: string }
  | { kind: 'answered' };

export type AskAgainOutcome =
  | { kind: 'not-found' }
  | { kind: 'closed'; status: Session['status']; decisionNumber?: number | undefined }
  | { kind: 'not-current' }
  | { kind: 'not-applicable' }
  | { kind: 'unchanged' }
  | { kind: 'opened' };

export type ResumeOutcome =
  | { kind: 'none' }
  | { kind: 'closed'; session: Session }
  | { kind: 'busy'; session: Session }
  | { kind: 'waiting'; session: Session; question: string | undefined }
  | { kind: 'resumed'; session: Session };

export type CardRefusal =
  | { kind: 'not-found' }
  | { kind: 'already-decided'; decisionNumber?: number | undefined }
  | { kind: 'not-current' }
  | { kind: 'not-ready' }
  | { kind: 'refused'; message: string };

export type AcceptOutcome =
  | CardRefusal
  | { kind: 'needs-approvals'; have: number; need: number }
  | { kind: 'decided'; decision: Decision };

export type ApproveOutcome =
  | Exclude<CardRefusal, { kind: 'refused' }>
  | { kind: 'approved'; have: number; need: number }
  | { kind: 'already-approved'; have: number; need: number };

export type ConcernOutcome =
  | { kind: 'not-found' }
  | { kind: 'already-resolved' }
  | { kind: 'raised' }
  | { kind: 'resolved' };

export type TickOutcome =
  | { kind: 'not-found' }
  | { kind: 'not-current' }
  | { kind: 'unknown-item' }
  | { kind: 'unchanged'; intent: 'tick' | 'untick'; tick?: Tick | undefined }
  | { kind: 'changed'; intent: 'tick' | 'untick' };

export type DeadlineOutcome =
  | { kind: 'not-due' }
  | { kind: 'accepted'; decision: Decision }
  | { kind: 'expired'; reason: string }
  | { kind: 'refused'; outcome: AcceptOutcome };

export type RecordOutcome =
  | { kind: 'recorded'; decision: Decision }
  | { kind: 'no-such-record'; number: number }
  | { kind: 'bad-answer'; question: string; message: string }
  | { kind: 'refused'; error: DecisionError };

/** The outcome of each event, by its type. */
export type Outcomes = {
  start: StartOutcome;
  'root-posted': { kind: 'started'; session: Session } | { kind: 'vanished' };
  'root-failed': { kind: 'released' } | { kind: 'not-found' };
  answer: AnswerOutcome;
  'ask-again': AskAgainOutcome;
  resume: ResumeOutcome;
  accept: AcceptOutcome;
  approve: ApproveOutcome;
  'raise-concern': ConcernOutcome;
  'resolve-concern': ConcernOutcome;
  tick: TickOutcome;
  reopen: RecordRefusal | { kind: 'reopened'; decision: Decision };
  reject: RecordRefusal | { kind: 'rejected'; decision: Decision };
  deprecate: RecordRefusal | { kind: 'deprecated'; decision: Decision };
  'accept-record':
    | RecordRefusal
    | { kind: 'needs-approvals'; have: number; need: number }
    | { kind: 'accepted'; decision: Decision };
  supersede:
    | RecordRefusal
    | { kind: 'needs-approvals'; have: number; need: number }
    | { kind: 'superseded'; decision: Decision; successor: Decision };
  'set-deadline': CardRefusal | { kind: 'set' };
  deadline: DeadlineOutcome;
  record: RecordOutcome;
  'reminder-due': { kind: 'claimed' } | { kind: 'not-due' } | { kind: 'held-by-another' };
  'nudge-due': { kind: 'claimed' } | { kind: 'not-due' };
  'drift-due': { kind: 'claimed'; keys: string[] } | { kind: 'no-drift' } | { kind: 'held-by-another' };
  'acknowledge-drift': RecordRefusal | { kind: 'acknowledged'; keys: string[] } | { kind: 'nothing-to-acknowledge' };
  'abandon-idle': { kind: 'abandoned'; days: number } | { kind: 'not-idle' };
};

export type OutcomeOf<E extends Event> = Outcomes[E['type']];
