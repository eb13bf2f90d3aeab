import { resolve } from 'node:path';
import { z } from 'zod';
import { CodedError } from './errors.js';
import { type ExportAllow, parseExportAllow } from './publish/destinations.js';
import { TokenCipher } from './store/installations.js';

/** How the bot talks to Slack: a public HTTP endpoint, or an outbound Socket Mode connection. */
export type Mode = 'http' | 'socket';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Everything the bot reads from its environment, validated once at start-up. */
export type Config = {
  mode: Mode;
  /** One workspace: the bot token (SLACK_BOT_TOKEN). Absent when `oauth` installs the bot in many. */
  botToken?: string;
  /** Installs in many workspaces (Slack's OAuth flow); each install's token is kept sealed in the store. */
  oauth?: OAuthConfig;
  /** Required in HTTP mode (request signatures); unused in Socket Mode. */
  signingSecret?: string;
  /** `xapp-` token: present means Socket Mode. */
  appToken?: string;
  port: number;
  /** Web API base URL (Bolt's clientOptions.slackApiUrl); undefined means slack.com. */
  slackApiUrl?: string;
  dataDir: string;
  /** PostgreSQL connection URL (DATABASE_URL): teams live there instead of `dataDir`. Holds a password: never log it. */
  databaseUrl?: string;
  logLevel: LogLevelName;
  /** `json` (pino lines) or `text`; absent: JSON unless a person reads the terminal. */
  logFormat?: 'json' | 'text';
  /**
   * On PostgreSQL: how long a replica may go unseen before another replica takes over the requests it took
   * in and did not finish (MESH_HELP_JOURNAL_LEASE_MS, default 15 s).
   */
  journalLeaseMs?: number;
  /** GitHub access for `/mesh-help export pr`: a token from the environment, never stored in a team file. */
  github?: { token: string; apiUrl?: string };
  /** How long one export to a repository may take in all (MESH_HELP_EXPORT_TIMEOUT_S); absent: the default. */
  exportTimeoutMs?: number;
  /** Where exports asked for in Slack may go (MESH_HELP_EXPORT_ALLOW); absent: public network remotes, any repository. */
  exportAllow?: ExportAllow;
};

/** True for a URL the PostgreSQL client takes: postgres:// or postgresql:// with a database name. */
export function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** What the OAuth install flow needs; `tokenKey` seals the tokens at rest (AES-256-GCM). */
export type OAuthConfig = { clientId: string; clientSecret: string; stateSecret: string; tokenKey: Buffer };

const OAUTH_HINT =
  'or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and MESH_HELP_TOKEN_KEY to install in many workspaces';

export const POSTGRES_URL_HINT = 'must be a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:5432/DATABASE';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** True when a URL carries a user name or password (`https://user:secret@host/`). */
const hasCredentials = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
};

/** GITHUB_API_URL: GitHub Enterprise's API; never with credentials, which would reach logs and messages. */
export const GitHubApiUrl = z.preprocess(
  blankToUndefined,
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://ghe.example.com/api/v3' })
    .refine((v) => !hasCredentials(v), {
      error: 'must not carry a user name or password: the token goes in GITHUB_TOKEN',
    })
    .optional(),
);

/** MESH_HELP_EXPORT_TIMEOUT_S: seconds one export may take, every git and GitHub call included. */
export const ExportTimeout = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be 1-3600 seconds')
    .max(3600, 'must be 1-3600 seconds')
    .optional(),
);

// Messages never echo the value: these variables hold secrets.
const Env = z
  .object({
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb-')
        .optional(),
    ),
    SLACK_CLIENT_ID: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[0-9]+\.[0-9]+$/, 'must be the app’s client id (digits.digits, from Basic Information)')
        .optional(),
    ),
    SLACK_CLIENT_SECRET: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\S{8,}$/, 'must be the app’s client secret (no spaces)')
        .optional(),
    ),
    SLACK_STATE_SECRET: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces (it signs the install flow’s state)')
        .optional(),
    ),
    MESH_HELP_TOKEN_KEY: z.preprocess(
      blankToUndefined,
      z
        .string()
        .refine((v) => TokenCipher.parseKey(v) !== undefined, {
          error: 'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
        })
        .optional(),
    ),
    SLACK_SIGNING_SECRET: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\S{8,}$/, 'must be the app’s signing secret (no spaces)')
        .optional(),
    ),
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^xapp-\S+$/, 'must be an app-level token starting with xapp-')
        .optional(),
    ),
    MESH_HELP_JOURNAL_LEASE_MS: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: 'must be a number of milliseconds' })
        .int('must be a whole number')
        .min(1000, 'must be at least 1000 (a second)')
        .max(600_000, 'must be at most 600000 (ten minutes)')
        .optional(),
    ),
    PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: 'must be a port number' })
        .int('must be a whole number')
        .min(0, 'must be 0-65535')
        .max(65535, 'must be 0-65535')
        .default(3000),
    ),
    SLACK_API_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' }).optional(),
    ),
    GITHUB_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\S{8,}$/, 'must be a GitHub token (no spaces)')
        .optional(),
    ),
    GITHUB_API_URL: GitHubApiUrl,
    MESH_HELP_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
    MESH_HELP_EXPORT_TIMEOUT_S: ExportTimeout,
    MESH_HELP_EXPORT_ALLOW: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseExportAllow(v);
        if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
      }),
    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z.string().refine(isPostgresUrl, { error: POSTGRES_URL_HINT }).optional(),
    ),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    ),
    LOG_FORMAT: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
      z.enum(['json', 'text'], { error: 'must be json or text' }).optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_BOT_TOKEN && !env.SLACK_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: `is required (${OAUTH_HINT})` });
    }
    if (env.SLACK_BOT_TOKEN && env.SLACK_CLIENT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_CLIENT_ID'],
        message: 'cannot be set with SLACK_BOT_TOKEN: one workspace uses the bot token, installs in many use OAuth',
      });
    }
    if (env.SLACK_CLIENT_ID) {
      for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'MESH_HELP_TOKEN_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with SLACK_CLIENT_ID' });
      }
      if (env.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_CLIENT_ID'],
          message: 'needs HTTP mode: the install flow is served on /slack/install (unset SLACK_APP_TOKEN)',
        });
      }
    }
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
  });

/** A configuration problem; the message names each variable and never its value. */
export class ConfigError extends CodedError<'config'> {
  readonly family = 'config';
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`mesh-help cannot start, the environment is incomplete:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${String(i.path[0] ?? 'environment')} ${i.message.replace(/^Invalid input: /, '')}`,
    );
    // zod skips the cross-field rules once a field fails; report these anyway so one run names every problem.
    if (
      !env.SLACK_BOT_TOKEN?.trim() &&
      !env.SLACK_CLIENT_ID?.trim() &&
      !problems.some((p) => p.startsWith('SLACK_BOT_TOKEN'))
    ) {
      problems.push(`SLACK_BOT_TOKEN is required (${OAUTH_HINT})`);
    }
    const secretMissing = !env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim();
    if (secretMissing && !problems.some((p) => p.startsWith('SLACK_SIGNING_SECRET'))) {
      problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
    ...(e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.MESH_HELP_TOKEN_KEY
      ? {
          oauth: {
            clientId: e.SLACK_CLIENT_ID,
            clientSecret: e.SLACK_CLIENT_SECRET,
            stateSecret: e.SLACK_STATE_SECRET,
            tokenKey: TokenCipher.parseKey(e.MESH_HELP_TOKEN_KEY) as Buffer,
          },
        }
      : {}),
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    port: e.PORT,
    ...(e.SLACK_API_URL
      ? { slackApiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` }
      : {}),
    dataDir: resolve(e.MESH_HELP_DATA_DIR),
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    logLevel: e.LOG_LEVEL,
    ...(e.LOG_FORMAT ? { logFormat: e.LOG_FORMAT } : {}),
    ...(e.MESH_HELP_JOURNAL_LEASE_MS ? { journalLeaseMs: e.MESH_HELP_JOURNAL_LEASE_MS } : {}),
    ...(e.GITHUB_TOKEN
      ? { github: { token: e.GITHUB_TOKEN, ...(e.GITHUB_API_URL ? { apiUrl: e.GITHUB_API_URL } : {}) } }
      : {}),
    ...(e.MESH_HELP_EXPORT_TIMEOUT_S ? { exportTimeoutMs: e.MESH_HELP_EXPORT_TIMEOUT_S * 1000 } : {}),
    ...exportAllowOf(e.MESH_HELP_EXPORT_ALLOW),
  };
}

const exportAllowOf = (value: string | undefined): { exportAllow?: ExportAllow } => {
  const parsed = parseExportAllow(value);
  return 'allow' in parsed && parsed.allow ? { exportAllow: parsed.allow } : {};
};

/** A URL with any `user:password@` replaced, for logs and messages. */
export function redactUrl(url: string): string {
  return redactCredentials(url);
}

/** Every `scheme://user:password@` (or `user@`) in a text, with the credentials replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}
