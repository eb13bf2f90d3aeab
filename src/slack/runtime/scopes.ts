/**
 * What the bot needs from Slack, declared once: manifest.yml must list exactly
 * these (test/slack/manifest.test.ts checks it).
 */

/**
 * Bot scopes: the slash command, posting/updating its own messages in channels it was invited to,
 * uploading ADR files (files.uploadV2),
 * reading interview threads (public and private channels) and mentions of the bot,
 * users.info (`users:read`) to tell workspace admins, who may change a team's settings, and a
 * person's time zone (working days of a deadline they set),
 * and conversations.info / conversations.members (`channels:read`, `groups:read`) to keep
 * records of private channels private (is it private? is this person a member?).
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'files:write',
  'channels:history',
  'groups:history',
  'app_mentions:read',
  'users:read',
  'channels:read',
  'groups:read',
] as const;

/** Events the bot subscribes to (app_home_opened needs no scope; message.* and app_mention need the history and mention scopes). */
export const BOT_EVENTS = [
  'app_home_opened',
  'message.channels',
  'message.groups',
  'app_mention',
  // No scope: an install's tokens are deleted when the app is removed or its tokens revoked.
  'app_uninstalled',
  'tokens_revoked',
] as const;
