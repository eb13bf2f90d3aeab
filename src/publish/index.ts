export { type Changes, gitBlobSha, headline, prBody, statusOf, summarise } from './changes.js';
export {
  BOT_BRANCH_PREFIX,
  type ExportAllow,
  parseExportAllow,
  slackRemoteRefusal,
  slackRepoRefusal,
} from './destinations.js';
export { PublishError, type PublishErrorCode } from './errors.js';
export { defaultGitBranch, type GitPushOutcome, pushWithGit } from './git.js';
export {
  branchPrefix,
  type GitHubAccess,
  gitHubClient,
  githubError,
  type KnownPull,
  knownPull,
  type PrOutcome,
  publishPullRequest,
  pullToRecord,
  rememberPull,
  timedOut,
} from './github.js';
export { DEFAULT_LIMITS, type ExportLimits, limitsWithin } from './limits.js';
export { guardOwnership, type Ownership, ownershipOf, rememberWritten } from './ownership.js';
export { BranchName, DEFAULT_PATH, FolderPath, firstIssue, RemoteUrl, RepoSpec } from './target.js';
