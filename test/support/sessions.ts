import { startSession } from '../../src/domain/machine/session.js';
import { emptyTeam } from '../../src/domain/team.js';
import type { Session } from '../../src/store/index.js';

/**
 * Interview `i` of a team, started as the bot starts one (startSession) and
 * part-answered, posted in `channel`: thread `1700000000+i.000100`, interview
 * message `….000200`, at version 2 with clusters and fleet answered. The store
 * tests and the click benchmark build their large teams from it; `over`
 * changes any field.
 */
export function openSession(
  i: number,
  where: { teamId: string; channel: string; now: Date },
  over: Partial<Session> = {},
): Session {
  const at = where.now.toISOString();
  const started = startSession(emptyTeam(where.teamId), {
    id: `s${i}`,
    startedBy: 'U0ALICE',
    title: `Interview ${i}`,
    now: where.now,
    channel: where.channel,
    threadTs: `${1_700_000_000 + i}.000100`,
  });
  return {
    ...started,
    answers: { clusters: 'multi-region', fleet: '2-5' },
    answeredBy: { clusters: { by: 'U0ALICE', at }, fleet: { by: 'U0ALICE', at } },
    interviewTs: `${1_700_000_000 + i}.000200`,
    version: 2,
    ...over,
  } as Session;
}
