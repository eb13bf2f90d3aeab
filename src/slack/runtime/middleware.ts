import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import { z } from 'zod';

/** The parts of any payload that name a team, read at the boundary (commands, events, actions, views). */
const TeamParts = z.looseObject({
  team: z.looseObject({ id: z.string() }).nullish(),
  team_id: z.string().optional(),
  user: z.looseObject({ team_id: z.string().optional() }).optional(),
});

const KEY = 'meshHelpCandidates';

/**
 * Global Bolt middleware: which teams' data a request may concern, most
 * likely first, worked out once per request and kept in its context: the
 * workspace the bot is installed in, the payload's team, the team Bolt
 * authorized, and the acting person's own team (another one in a Slack
 * Connect channel). Ids in a payload are never trusted alone: a use case
 * looks for the message or record in these teams' own data.
 */
export function teamLookup(homeTeamId: string | undefined): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const parts = TeamParts.safeParse(body);
    const p = parts.success ? parts.data : {};
    const found = [homeTeamId, p.team?.id ?? p.team_id, context.teamId, p.user?.team_id];
    context[KEY] = [...new Set(found.filter((t): t is string => typeof t === 'string' && t.length > 0))];
    await next();
  };
}

/** The request's candidate teams, as teamLookup found them. */
export function candidatesOf(context: Context): string[] {
  const found = context[KEY];
  return Array.isArray(found) ? found.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Global Bolt middleware: keeps every request's listener work (which goes on
 * after its ack) in `inFlight`, so stopping the app waits for it and no
 * started write is cut off.
 */
export function trackInFlight(inFlight: Set<Promise<void>>): Middleware<AnyMiddlewareArgs> {
  return async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  };
}
