import { z } from 'zod';
import { Decision, Session, TeamConfig } from './model.js';

/**
 * The team aggregate: everything one team owns, one document a team. The
 * domain defines it (the state machine reads and changes it); the store only
 * keeps it, and src/store/schema.ts imports it from here to validate and
 * migrate what it reads (`test/domain/dependencies.test.ts` checks that
 * nothing under src/domain imports the store).
 */

/** The shape version this code writes; the store migrates older documents up to it. */
export const SCHEMA_VERSION = 1;

/** What a team's exports to repositories leave behind, so later exports (on any replica) know their own work. */
export const ExportState = z.object({
  /** The running export's claim on the team, across replicas; one that a stopped replica left runs out at `until`. */
  lease: z
    .object({
      id: z.string(),
      /** The process that took it (claims.ts BOOT), and the Slack request it serves, so that request's replay may take it over. */
      boot: z.string().optional(),
      request: z.string().optional(),
      until: z.iso.datetime(),
    })
    .optional(),
  /** The pull request this bot opened last, per repository (`owner/name`): its number and the head commit it wrote. */
  pulls: z.record(z.string(), z.object({ number: z.number().int().positive(), head: z.string().min(1) })).optional(),
  /** Blob ids of the files this team's exports wrote (newest last, bounded): the only files an export replaces or removes. */
  written: z.array(z.string()).optional(),
});
export type ExportState = z.infer<typeof ExportState>;

/** Everything one team owns: one file per team, so writes cost that team's data only. */
export const TeamDoc = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  teamId: z.string().min(1),
  nextDecisionNumber: z.number().int().positive(),
  sessions: z.array(Session),
  decisions: z.array(Decision),
  config: TeamConfig,
  /** Slack event ids already handled, newest last (bounded), so retries have one effect. */
  seenEvents: z.array(z.string()).default([]),
  exports: ExportState.optional(),
});
export type TeamDoc = z.infer<typeof TeamDoc>;

/** A team with nothing yet: no sessions, no records, no approvals required. */
export function emptyTeam(teamId: string): TeamDoc {
  return {
    schemaVersion: SCHEMA_VERSION,
    teamId,
    nextDecisionNumber: 1,
    sessions: [],
    decisions: [],
    config: { approvals: 0 },
    seenEvents: [],
  };
}
