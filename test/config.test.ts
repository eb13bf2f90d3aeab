import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'signing-secret-value-xyz';
const base = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET };

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('HTTP mode with defaults: port 3000, ./data, info', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({ mode: 'http', port: 3000, logLevel: 'info', signingSecret: SECRET });
    expect(c.dataDir).toMatch(/data$/);
    expect(c.slackApiUrl).toBeUndefined();
  });

  it('an app token means Socket Mode, where the signing secret is optional', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-test-token' });
    expect(c.mode).toBe('socket');
  });

  it('SLACK_API_URL becomes the Web API base URL, with a trailing slash', () => {
    expect(loadConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:4000/api' }).slackApiUrl).toBe(
      'http://127.0.0.1:4000/api/',
    );
  });

  it('a missing bot token or signing secret is named', () => {
    expect(problems({})).toContain('SLACK_BOT_TOKEN is required');
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-test-token' })).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
  });

  it('malformed values are named without echoing them', () => {
    const message = problems({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      PORT: 'eighty',
      SLACK_API_URL: 'ftp://example',
      LOG_LEVEL: 'loud',
    });
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'PORT', 'SLACK_API_URL', 'LOG_LEVEL'])
      expect(message).toContain(name);
    for (const secret of ['xoxp-user-token-secret', 'not-an-app-token-secret', SECRET])
      expect(message).not.toContain(secret);
  });

  it('DATABASE_URL picks PostgreSQL; a URL of another kind is named without echoing its password', () => {
    const url = 'postgres://mesh:pg-secret-pw@db.internal:5432/mesh';
    expect(loadConfig({ ...base, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ ...base, DATABASE_URL: ' ' }).databaseUrl).toBeUndefined();
    for (const bad of ['mysql://mesh:pg-secret-pw@db/mesh', 'postgres://mesh:pg-secret-pw@db', 'pg-secret-pw']) {
      const message = problems({ ...base, DATABASE_URL: bad });
      expect(message).toContain('DATABASE_URL must be a PostgreSQL URL');
      expect(message).not.toContain('pg-secret-pw');
    }
  });

  it('installs in many workspaces instead of a bot token: OAuth variables, checked together, never echoed', () => {
    const key = 'a'.repeat(64);
    const oauth = {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'client-secret-value',
      SLACK_STATE_SECRET: 'state-secret-value-0123',
      MESH_HELP_TOKEN_KEY: key,
    };
    const c = loadConfig(oauth);
    expect(c.botToken).toBeUndefined();
    expect(c.oauth).toMatchObject({ clientId: '1111.2222', clientSecret: 'client-secret-value' });
    expect(c.oauth?.tokenKey).toHaveLength(32);
    expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-test-token' })).toContain(
      'SLACK_CLIENT_ID cannot be set with SLACK_BOT_TOKEN',
    );
    const missing = problems({ SLACK_SIGNING_SECRET: SECRET, SLACK_CLIENT_ID: '1111.2222' });
    for (const name of ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'MESH_HELP_TOKEN_KEY'])
      expect(missing).toContain(`${name} is required with SLACK_CLIENT_ID`);
    const bad = problems({ ...oauth, MESH_HELP_TOKEN_KEY: 'short-secret-key' });
    expect(bad).toContain('MESH_HELP_TOKEN_KEY must be 32 random bytes');
    expect(bad).not.toContain('short-secret-key');
    expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-test-token' })).toContain('SLACK_CLIENT_ID needs HTTP mode');
    expect(problems({ SLACK_SIGNING_SECRET: SECRET })).toContain('SLACK_BOT_TOKEN is required (or SLACK_CLIENT_ID');
  });

  it('every problem is named in one run, the missing signing secret too', () => {
    const message = problems({ SLACK_BOT_TOKEN: 'xoxb-test-token', PORT: 'abc' });
    expect(message).toContain('PORT');
    expect(message).toContain('SLACK_SIGNING_SECRET');
  });

  it('PORT is a number in range', () => {
    expect(loadConfig({ ...base, PORT: '0' }).port).toBe(0);
    expect(problems({ ...base, PORT: '70000' })).toContain('PORT');
  });

  it('GITHUB_TOKEN and GITHUB_API_URL become GitHub access; a bad URL is named without the token', () => {
    expect(loadConfig(base).github).toBeUndefined();
    expect(
      loadConfig({ ...base, GITHUB_TOKEN: 'ghp_abcdefgh123', GITHUB_API_URL: 'https://ghe.example.com/api/v3' }).github,
    ).toEqual({ token: 'ghp_abcdefgh123', apiUrl: 'https://ghe.example.com/api/v3' });
    const message = problems({ ...base, GITHUB_TOKEN: 'ghp_abcdefgh123', GITHUB_API_URL: 'not a url' });
    expect(message).toContain('GITHUB_API_URL');
    expect(message).not.toContain('ghp_abcdefgh123');
  });

  it.each([
    'https://alice:hunter2secret@ghe.example.com/api/v3',
    'https://hunter2secret@ghe.example.com/api/v3',
    'http://x-access-token:hunter2secret@127.0.0.1:8080/',
  ])('GITHUB_API_URL with credentials (%s) is refused at start-up, naming the variable and not the secret', (url) => {
    const message = problems({ ...base, GITHUB_TOKEN: 'ghp_abcdefgh123', GITHUB_API_URL: url });
    expect(message).toContain('GITHUB_API_URL must not carry a user name or password');
    expect(message).not.toContain('hunter2secret');
  });
});
