import {
  ErrorCode,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/main.js';
import { InputClosed } from '../src/cli/prompt.js';
import { ConfigError } from '../src/config.js';
import { FlowError } from '../src/engine/load.js';
import {
  type CodedError,
  type Codes,
  type ErrorKey,
  EXIT_CODES,
  errorKey,
  exitCodeOf,
  type Family,
  GENERIC_FAILURE_TEXT,
  OWN_MESSAGE,
  USER_TEXT,
} from '../src/errors.js';
import { PublishError } from '../src/publish/index.js';
import { failureText, isSlackApiError, plainSlackProblem, slackError } from '../src/slack/runtime/failures.js';
import { StoreError } from '../src/store/index.js';
import { JournalError } from '../src/store/journal.js';

/** One real error of each class for a code: a family missing here does not compile. */
const raise: { [F in Family]: (code: Codes[F]) => CodedError<F> } = {
  cli: (code) => new CliError('bad flag', code),
  config: () => new ConfigError(['SLACK_SIGNING_SECRET is required']),
  flow: () => new FlowError([{ file: 'interview.yaml', path: 'questions', message: 'missing' }]),
  input: () => new InputClosed(),
  store: (code) => new StoreError(code, 'store trouble'),
  journal: (code) => new JournalError(code, 'journal trouble'),
  publish: (code) => new PublishError(code, 'publish trouble'),
};

const keys = Object.keys(EXIT_CODES) as ErrorKey[];

describe('the one error model', () => {
  it('gives every code an exit code and a user message, and nothing else', () => {
    // The tables are `satisfies Record<ErrorKey, …>`: a missing code fails to compile; these check the values.
    expect(Object.keys(USER_TEXT).sort()).toEqual([...keys].sort());
    // 26: issue 21 added publish.timed-out and publish.unsafe-target.
    expect(keys.length).toBe(26);
    for (const key of keys) {
      expect([1, 2]).toContain(EXIT_CODES[key]);
      const text = USER_TEXT[key];
      if (text === OWN_MESSAGE) continue;
      expect(text).toMatch(/^[A-Z].*\.$/);
      // A person never sees an internal code.
      expect(text).not.toMatch(/\w_\w|slack_webapi/);
    }
  });

  it('maps an error of each class to its key, exit code and Slack text', () => {
    for (const key of keys) {
      const [family, code] = key.split('.') as [Family, never];
      const err = raise[family](code);
      expect(errorKey(err)).toBe(key);
      expect(exitCodeOf(err)).toBe(EXIT_CODES[key]);
      const text = USER_TEXT[key] === OWN_MESSAGE ? err.message : USER_TEXT[key];
      // Bolt hands app.error its wrapper; the coded error is its `original`.
      expect(failureText({ original: err })).toBe(text);
      expect(failureText(err)).toBe(text);
    }
  });

  it('keeps the exit codes and texts people rely on', () => {
    expect(exitCodeOf(new CliError('usage'))).toBe(2);
    expect(exitCodeOf(new CliError('x', 'failed'))).toBe(1);
    expect(exitCodeOf(new StoreError('corrupt', 'x'))).toBe(1);
    expect(failureText(new StoreError('locked', 'x'))).toBe(
      'I am busy with this workspace’s data right now, so nothing was changed. Please try again in a minute.',
    );
    expect(failureText(new StoreError('vanished', 'x'))).toContain('`mesh-help store check`');
    expect(failureText(new StoreError('write_failed', 'x'))).toContain('the bot’s storage is failing');
    // Messages stay as they were: the code is beside the message, not in it.
    expect(new StoreError('locked', 'team T1 is locked').message).toBe('team T1 is locked');
    expect(new ConfigError(['A is required']).message).toContain('  A is required');
  });

  it('shows a publish error its own message, escaped, since it is written for the person', () => {
    const err = new PublishError('conflict', 'Branch <main> of a&b moved; export again.');
    expect(exitCodeOf(err)).toBe(1);
    expect(failureText(err)).toBe('Branch &lt;main&gt; of a&amp;b moved; export again.');
  });

  it('treats an uncoded error as a bug: generic text, no exit code', () => {
    expect(exitCodeOf(new Error('boom'))).toBeUndefined();
    expect(exitCodeOf(Object.assign(new Error('x'), { code: 'corrupt' }))).toBeUndefined();
    expect(failureText(new TypeError('x'))).toBe(GENERIC_FAILURE_TEXT);
  });
});

describe('Slack API errors', () => {
  it('are recognised by @slack/web-api’s own ErrorCode', () => {
    const platform = new WebAPIPlatformError({ ok: false, error: 'not_in_channel' });
    expect(isSlackApiError(platform)).toBe(true);
    expect(slackError(platform)).toBe('not_in_channel');
    expect(plainSlackProblem(slackError(platform))).toBe(
      'I am not in this channel (invite me with `/invite @mesh-help`)',
    );

    const limited = new WebAPIRateLimitedError(30);
    expect(slackError(limited)).toBe(ErrorCode.RateLimitedError);
    expect(plainSlackProblem(slackError(limited))).toBe('Slack asked me to slow down');

    for (const unreachable of [
      new WebAPIRequestError(new Error('connect ECONNREFUSED')),
      new WebAPIHTTPError(502, 'Bad Gateway', {}),
    ]) {
      expect(isSlackApiError(unreachable)).toBe(true);
      expect(plainSlackProblem(slackError(unreachable))).toBe('Slack could not be reached just now');
    }
  });

  it('are not guessed from an error’s shape', () => {
    const lookalike = Object.assign(new Error('x'), { data: { error: 'not_in_channel' } });
    expect(isSlackApiError(lookalike)).toBe(false);
    expect(slackError(lookalike)).toBe('unknown_error');
    expect(isSlackApiError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(slackError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('ENOENT');
    expect(plainSlackProblem('some_new_slack_error')).toBe('Slack refused the request');
  });
});
