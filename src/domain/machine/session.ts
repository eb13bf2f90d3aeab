import { type AnswerError, applyAnswer, nextQuestion } from '../../engine/answers.js';
import type { Flow } from '../../engine/flow.js';
import { recommend } from '../../engine/recommend.js';
import { err, ok, type Result } from '../../engine/result.js';
import { findByKey } from '../../team/lookup.js';
import type { Session } from '../model.js';
import type { TeamDoc } from '../team.js';

export type NewSession = {
  id: string;
  startedBy: string;
  title: string;
  now: Date;
  channel?: string;
  threadTs?: string;
  revisits?: number;
  /** Cluster or environment tags (already parsed). */
  scope?: string[];
};

/** Adds an open interview to the team's document and returns it. */
export function startSession(doc: TeamDoc, input: NewSession): Session {
  const at = input.now.toISOString();
  const session: Session = {
    id: input.id,
    teamId: doc.teamId,
    startedBy: input.startedBy,
    title: input.title,
    answers: {},
    answeredBy: {},
    messages: {},
    status: 'open',
    replies: [],
    concerns: [],
    approvals: [],
    checklistTicks: {},
    createdAt: at,
    updatedAt: at,
    version: 0,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    ...(input.revisits ? { revisits: input.revisits } : {}),
    ...(input.scope?.length ? { scope: [...input.scope] } : {}),
  };
  doc.sessions.push(session);
  return session;
}

export type SessionError =
  | { kind: 'not-found'; sessionId: string }
  | { kind: 'stale'; expected: number; actual: number }
  | { kind: 'closed'; status: Session['status'] }
  | { kind: 'bad-answer'; error: AnswerError };

export type AnswerInput = {
  question: string;
  value: unknown;
  by: string;
  now: Date;
  /** The version the answerer saw; a mismatch means someone else answered first. */
  expectedVersion?: number;
};

export function findSession(doc: TeamDoc, sessionId: string): Session | undefined {
  return findByKey(doc.sessions, (s) => s.id === sessionId);
}

/**
 * Records an answer in a session of the document (changing an earlier one is
 * allowed while undecided); completes the session and stores the
 * recommendation when no question is left.
 */
export function answerSession(
  flow: Flow,
  doc: TeamDoc,
  sessionId: string,
  input: AnswerInput,
): Result<Session, SessionError> {
  const session = findSession(doc, sessionId);
  if (!session) return err({ kind: 'not-found', sessionId });
  if (session.status === 'decided' || session.status === 'abandoned') {
    return err({ kind: 'closed', status: session.status });
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== session.version) {
    return err({ kind: 'stale', expected: input.expectedVersion, actual: session.version });
  }
  const applied = applyAnswer(flow, session.answers, input.question, input.value);
  if (!applied.ok) return err({ kind: 'bad-answer', error: applied.error });
  const at = input.now.toISOString();
  session.answers = applied.value;
  session.answeredBy = Object.fromEntries(
    Object.entries({ ...session.answeredBy, [input.question]: { by: input.by, at } }).filter(
      ([q]) => session.answers[q] !== undefined,
    ),
  );
  session.version += 1;
  session.answerRevs = { ...session.answerRevs, [input.question]: session.version };
  session.updatedAt = at;
  if (nextQuestion(flow, session.answers) === undefined) {
    session.status = 'complete';
    session.recommendation = recommend(flow, session.answers);
    // The deadline starts with the first recommendation and stays when an answer changes later.
    if (doc.config.deadlineDays && !session.deadline) {
      session.deadline = new Date(input.now.getTime() + doc.config.deadlineDays * 86_400_000).toISOString();
      session.deadlineSetAt = at;
    }
  } else {
    session.status = 'open';
    delete session.recommendation;
  }
  return ok(session);
}
