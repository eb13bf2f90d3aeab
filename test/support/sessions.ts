import type { Session } from '../../src/store/index.js';

/**
 * Interview `i` of a team, part-answered and posted in `channel`: thread
 * `1700000000+i.000100`, interview message `….000200`, at version 2 with
 * clusters and fleet answered. The store tests and the click benchmark build
 * their large teams from it; `over` changes any field.
 */
export function openSession(
  i: number,
  where: { teamId: string; channel: string; now: Date },
  over: Partial<Session> = {},
): Session {
  const at = where.now.toISOString();
  return {
    id: `s${i}`,
    teamId: where.teamId,
    startedBy: 'U0ALICE',
    title: `Interview ${i}`,
    answers: { clusters: 'multi-region', fleet: '2-5' },
    answeredBy: { clusters: { by: 'U0ALICE', at }, fleet: { by: 'U0ALICE', at } },
    messages: {},
    interviewTs: `${1_700_000_000 + i}.000200`,
    status: 'open',
    replies: [],
    concerns: [],
    approvals: [],
    checklistTicks: {},
    createdAt: at,
    updatedAt: at,
    version: 2,
    channel: where.channel,
    threadTs: `${1_700_000_000 + i}.000100`,
    ...over,
  } as Session;
}
