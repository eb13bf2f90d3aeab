import { SCHEMA_VERSION } from '../domain/team.js';

// The domain types live in src/domain (model.ts, and team.ts for the team aggregate); they are re-exported here
// so `store/index.js` imports keep working. The store owns only what is about keeping them: migrations.
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

export { ExportState, emptyTeam, SCHEMA_VERSION, TeamDoc } from '../domain/team.js';

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
