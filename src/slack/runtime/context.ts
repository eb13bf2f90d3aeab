import type { Logger } from '@slack/bolt';
import type { Flow } from '../../engine/flow.js';
import type { ExportAllow, ExportLimits, GitHubAccess } from '../../publish/index.js';
import type { Store } from '../../store/index.js';
import type { SealedInstallationStore } from '../../store/installations.js';
import type { ExportLane } from './export-lane.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { WorkLimiter } from './work.js';

/** What every listener works with; tests inject the store and the clock. */
export type SlackDeps = {
  flow: Flow;
  store: Store;
  now: () => Date;
  newId: () => string;
  logger: Logger;
  /** Slack calls of one session run one after another, so messages end in their latest state. */
  effects: KeyedQueue;
  /** Slots for work after an ack, so acks stay fast under load. */
  work: WorkLimiter;
  /** The workspace the bot token belongs to (auth.test), where sessions started there live. */
  homeTeamId: string | undefined;
  /** Exports to repositories run here, apart from `work`: a few at once, one per team. */
  exports: ExportLane;
  /** How long one export may take (absent: DEFAULT_LIMITS). */
  exportLimits?: ExportLimits;
  /** Where exports asked for in Slack may go (MESH_HELP_EXPORT_ALLOW); absent: public network remotes, any repository. */
  exportAllow?: ExportAllow | undefined;
  /** GitHub token (and Enterprise API URL) from the environment, for `/mesh-help export pr`. */
  github?: GitHubAccess | undefined;
  /** Installs in many workspaces (OAuth); absent with one bot token. */
  installs?: SealedInstallationStore;
};
