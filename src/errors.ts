import type { PublishErrorCode } from './publish/errors.js';
import type { JournalErrorCode } from './store/journal.js';
import type { StoreErrorCode } from './store/store.js';

/**
 * Every error mesh-help raises on purpose, bolt-js style: a class per family,
 * a string code per failure, and one table each for what the code means to
 * the terminal (exit code) and to a person in Slack (text). A new code that
 * is missing from a table does not compile.
 */
export type Codes = {
  /** `usage`: bad input or usage (exit 2); `failed`: the command ran and failed (exit 1). */
  cli: 'usage' | 'failed';
  config: 'config_invalid';
  flow: 'flow_invalid';
  /** The terminal interview's input ended before the last question. */
  input: 'input_closed';
  store: StoreErrorCode;
  journal: JournalErrorCode;
  publish: PublishErrorCode;
};
export type Family = keyof Codes;
/** A code with its family, unique across mesh-help: `store.locked`, `cli.usage`. */
export type ErrorKey = { [F in Family]: `${F}.${Codes[F]}` }[Family];

/** An error with a code callers can match on; `message` is for a person and never holds a secret. */
export abstract class CodedError<F extends Family = Family> extends Error {
  abstract readonly family: F;
  abstract readonly code: Codes[F];
}

export const errorKey = (err: CodedError): ErrorKey => `${err.family}.${err.code}` as ErrorKey;

/** Exit codes: 0 done, 1 failed, 2 bad input or usage. */
export type ExitCode = 1 | 2;

export const EXIT_CODES = {
  'cli.usage': 2,
  'cli.failed': 1,
  'config.config_invalid': 1,
  'flow.flow_invalid': 1,
  'input.input_closed': 1,
  'store.corrupt': 1,
  'store.bad_team': 1,
  'store.write_failed': 1,
  'store.closed': 1,
  'store.locked': 1,
  'store.vanished': 1,
  'store.unavailable': 1,
  'journal.full': 1,
  'journal.read_only': 1,
  'journal.failed': 1,
  'journal.closed': 1,
  'publish.not-configured': 1,
  'publish.no-token': 1,
  'publish.no-access': 1,
  'publish.rate-limited': 1,
  'publish.conflict': 1,
  'publish.empty-repo': 1,
  'publish.git-failed': 1,
  'publish.timed-out': 1,
  'publish.unsafe-target': 1,
  'publish.failed': 1,
} as const satisfies Record<ErrorKey, ExitCode>;

const CANNOT_READ =
  'I could not read this workspace’s saved data, so nothing was changed. An admin can run `mesh-help store check`.';
const BUSY = 'I am busy with this workspace’s data right now, so nothing was changed. Please try again in a minute.';
const CANNOT_SAVE =
  'I could not save that (the bot’s storage is failing), so nothing was changed. Please try again later; the admin has the details in the log.';
/** A request refused at intake because it could not be journalled. */
const NOT_TAKEN =
  'I can’t save anything right now (the bot’s storage is failing), so I did not take that in. Please try again later.';
/** Any failure a person cannot act on beyond trying again; the detail stays in the log. */
export const GENERIC_FAILURE_TEXT = 'Something went wrong on my side and that step did not finish. Please try again.';

/** The error's own message is written for the person who asked (it names what to do, never a secret). */
export const OWN_MESSAGE = Symbol('own message');

/**
 * What a person in Slack is told when a request failed with this code: a fixed
 * text, or OWN_MESSAGE for errors whose message is meant for them. Never the code.
 */
export const USER_TEXT = {
  'cli.usage': GENERIC_FAILURE_TEXT,
  'cli.failed': GENERIC_FAILURE_TEXT,
  'config.config_invalid': GENERIC_FAILURE_TEXT,
  'flow.flow_invalid': GENERIC_FAILURE_TEXT,
  'input.input_closed': GENERIC_FAILURE_TEXT,
  'store.corrupt': CANNOT_READ,
  'store.vanished': CANNOT_READ,
  'store.locked': BUSY,
  'store.bad_team': CANNOT_SAVE,
  'store.write_failed': CANNOT_SAVE,
  'store.closed': CANNOT_SAVE,
  'store.unavailable': CANNOT_SAVE,
  'journal.full': NOT_TAKEN,
  'journal.read_only': NOT_TAKEN,
  'journal.failed': NOT_TAKEN,
  'journal.closed': NOT_TAKEN,
  'publish.not-configured': OWN_MESSAGE,
  'publish.no-token': OWN_MESSAGE,
  'publish.no-access': OWN_MESSAGE,
  'publish.rate-limited': OWN_MESSAGE,
  'publish.conflict': OWN_MESSAGE,
  'publish.empty-repo': OWN_MESSAGE,
  'publish.git-failed': OWN_MESSAGE,
  'publish.timed-out': OWN_MESSAGE,
  'publish.unsafe-target': OWN_MESSAGE,
  'publish.failed': OWN_MESSAGE,
} as const satisfies Record<ErrorKey, string | typeof OWN_MESSAGE>;

/** The exit code for a coded error; undefined for anything else (a bug, which should crash loudly). */
export function exitCodeOf(err: CodedError): ExitCode;
export function exitCodeOf(err: unknown): ExitCode | undefined;
export function exitCodeOf(err: unknown): ExitCode | undefined {
  return err instanceof CodedError ? EXIT_CODES[errorKey(err)] : undefined;
}

/** The Slack text for a failure, not yet escaped: its code's, its own message, or the generic one for a bug. */
export function userTextOf(err: unknown): { text: string; own: boolean } {
  if (!(err instanceof CodedError)) return { text: GENERIC_FAILURE_TEXT, own: false };
  const text = USER_TEXT[errorKey(err)];
  return text === OWN_MESSAGE ? { text: err.message, own: true } : { text, own: false };
}
