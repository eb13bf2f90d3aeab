import type { Store } from '../store/index.js';

/** Who asks for a team's export lease: the lease's id, the process, and the Slack request it serves (if any). */
export type LeaseHolder = {
  id: string;
  boot: string;
  request?: string | undefined;
  /** This process replays `request` from its journal, so it may take over a lease another boot took for it. */
  replaying?: boolean;
};

/**
 * Runs `work` holding the team's export lease, kept in the team's document so
 * that every replica and the CLI see it; undefined when another holder's lease
 * is still running. Past `until` the holder's own deadline has cut every call
 * it made, so the lease is free; before that only a journal replay of the very
 * request that took it (after a crash) may take it over. No database lock is
 * held while `work` waits on the network.
 */
export async function withExportLease<T>(
  store: Store,
  teamId: string,
  holder: LeaseHolder,
  lasts: { now: Date; ms: number },
  work: () => Promise<T>,
  warn: (msg: string) => void = () => undefined,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const now = lasts.now.getTime();
  const took = await store.update(teamId, (doc) => {
    const held = doc.exports?.lease;
    const replayOfHolder =
      held?.request !== undefined &&
      held.request === holder.request &&
      held.boot !== holder.boot &&
      holder.replaying === true;
    if (held && Date.parse(held.until) > now && !replayOfHolder) return false;
    const until = new Date(now + lasts.ms + 30_000).toISOString();
    doc.exports = {
      ...doc.exports,
      lease: { id: holder.id, boot: holder.boot, ...(holder.request ? { request: holder.request } : {}), until },
    };
    return true;
  });
  if (!took) return { ran: false };
  try {
    return { ran: true, value: await work() };
  } finally {
    await store
      .update(teamId, (doc) => {
        if (doc.exports?.lease?.id !== holder.id) return;
        delete doc.exports.lease;
        if (!Object.keys(doc.exports).length) delete doc.exports;
      })
      .catch((err: Error) => warn(`mesh-help: could not end team ${teamId}’s export lease: ${err.message}`));
  }
}
