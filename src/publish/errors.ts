import { CodedError } from '../errors.js';

/** Why an export to a repository did not happen; `message` is meant for the person who asked (no secrets). */
export type PublishErrorCode =
  | 'not-configured'
  | 'no-token'
  | 'no-access'
  | 'rate-limited'
  | 'conflict'
  | 'empty-repo'
  | 'git-failed'
  | 'timed-out'
  | 'unsafe-target'
  | 'failed';

export class PublishError extends CodedError<'publish'> {
  readonly family = 'publish';
  constructor(
    readonly code: PublishErrorCode,
    message: string,
    /** What git or GitHub said, credentials cut out: for the operator's log, never for the person. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}
