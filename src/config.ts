import { resolve } from 'node:path';
import { z } from 'zod';

/** How the bot talks to Slack: a public HTTP endpoint, or an outbound Socket Mode connection. */
export type Mode = 'http' | 'socket';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Everything the bot reads from its environment, validated once at start-up. */
export type Config = {
  mode: Mode;
  botToken: string;
  /** Required in HTTP mode (request signatures); unused in Socket Mode. */
  signingSecret?: string;
  /** `xapp-` token: present means Socket Mode. */
  appToken?: string;
  port: number;
  /** Web API base URL (Bolt's clientOptions.slackApiUrl); undefined means slack.com. */
  slackApiUrl?: string;
  dataDir: string;
  logLevel: LogLevelName;
  /** GitHub access for `/mesh-help export pr`: a token from the environment, never stored in a team file. */
  github?: { token: string; apiUrl?: string };
};

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

// Messages never echo the value: these variables hold secrets.
const Env = z
  .object({
    SLACK_BOT_TOKEN: z.string({ error: 'is required' }).regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb-'),
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
    GITHUB_API_URL: z.preprocess(
      blankToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://ghe.example.com/api/v3' })
        .optional(),
    ),
    MESH_HELP_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
  });

/** A configuration problem; the message names each variable and never its value. */
export class ConfigError extends Error {
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
    // zod skips the cross-field rule once a field fails; report it anyway so one run names every problem.
    const secretMissing = !env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim();
    if (secretMissing && !problems.some((p) => p.startsWith('SLACK_SIGNING_SECRET'))) {
      problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    port: e.PORT,
    ...(e.SLACK_API_URL
      ? { slackApiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` }
      : {}),
    dataDir: resolve(e.MESH_HELP_DATA_DIR),
    logLevel: e.LOG_LEVEL,
    ...(e.GITHUB_TOKEN
      ? { github: { token: e.GITHUB_TOKEN, ...(e.GITHUB_API_URL ? { apiUrl: e.GITHUB_API_URL } : {}) } }
      : {}),
  };
}
