import { plainSlackProblem } from '../runtime/failures.js';

/** What to say when the bot cannot post in the channel. */
export const notInChannelHint = (error: string): string =>
  error === 'not_in_channel' || error === 'channel_not_found'
    ? 'I can’t post in this channel yet. Invite me with `/invite @mesh-help`, then run the command again.'
    : `I couldn’t post the interview here: ${plainSlackProblem(error)}. Please try again in a moment.`;
