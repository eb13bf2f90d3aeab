import type { Decision, Session } from '../domain/model.js';
import type { TeamDoc } from '../domain/team.js';

type Held = Pick<Session | Decision, 'privateTo' | 'channel'>;

/**
 * The private conversation a record or interview belongs to, if any. Older
 * records carry no `privateTo`: a channel id starting with G (private channel,
 * group DM) or D (DM) still marks them private.
 */
export function privateConversation(x: Held): string | undefined {
  if (x.privateTo) return x.privateTo;
  return x.channel && /^[GD]/.test(x.channel) ? x.channel : undefined;
}

/** Who may see it: anyone for a public one; in a channel, only that same private conversation. */
export const visibleIn = (x: Held, channel: string): boolean => {
  const conversation = privateConversation(x);
  return conversation === undefined || conversation === channel;
};

/** What a view may show, and how many records and interviews it left out. */
export type Visible = { doc: TeamDoc; hiddenDecisions: number; hiddenSessions: number };

/** The team's document as `may` lets one place (a channel, a person's Home tab) see it. */
export function visiblePart(doc: TeamDoc, may: (x: Held) => boolean): Visible {
  const decisions = doc.decisions.filter(may);
  const sessions = doc.sessions.filter(may);
  return {
    doc: { ...doc, decisions, sessions },
    hiddenDecisions: doc.decisions.length - decisions.length,
    // Only interviews still running count as left out; finished ones live on as records.
    hiddenSessions: doc.sessions.filter((s) => !may(s) && (s.status === 'open' || s.status === 'complete')).length,
  };
}

/** Every private conversation the document's records and interviews belong to. */
export const privateConversations = (doc: TeamDoc): string[] => [
  ...new Set([...doc.decisions, ...doc.sessions].map(privateConversation).filter((c): c is string => c !== undefined)),
];

/**
 * What may leave Slack for places no conversation bounds (a repository, an
 * HTML page, the organisation's log): only records of public conversations.
 */
export function sharedOnly<T extends Held>(records: readonly T[]): { shared: T[]; leftOut: number } {
  const shared = records.filter((x) => privateConversation(x) === undefined);
  return { shared, leftOut: records.length - shared.length };
}
