import { z } from 'zod';
import { Decision, Session, TeamConfig } from '../domain/model.js';

// The domain types live in src/domain/model.ts; they are re-exported here so `store/index.js` imports keep working.
export {
  AnsweredBy,
  Answers,
  Approval,
  CardRef,
  ChecklistItem,
  Concern,
  Decision,
  DecisionStatus,
  GitTarget,
  HistoryEntry,
  Reason,
  Recommendation,
  Reply,
  RepoTarget,
  RuleChange,
  RuleEditors,
  Session,
  SessionStatus,
  TeamConfig,
  Tick,
  ToolChoice,
  ToolFit,
} from '../domain/model.js';

export const SCHEMA_VERSION = 1;

/** Everything one team owns: one file per team, so writes cost that team's data only. */
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

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/** Upgrades from version N to N+1; version 0 is a document written before versioning. */
const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => ({ config: { approvals: 0 }, seenEvents: [], ...doc, schemaVersion: 1 }),
};

/** Brings a raw document up to SCHEMA_VERSION; throws on a version newer than this code. */
export function migrate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let doc = raw as Record<string, unknown>;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  if (version > SCHEMA_VERSION) {
    throw new Error(`schemaVersion ${version} is newer than this mesh-help understands (${SCHEMA_VERSION})`);
  }
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schemaVersion ${version}`);
    doc = step(doc);
    version += 1;
  }
  return doc;
}
