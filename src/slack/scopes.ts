/**
 * What the bot needs from Slack, declared once: manifest.yml must list exactly
 * these (test/slack/manifest.test.ts checks it).
 */

/** Bot scopes: the slash command, and posting/updating its own messages in channels it was invited to. */
export const BOT_SCOPES = ['commands', 'chat:write'] as const;

/** Events the bot subscribes to (app_home_opened needs no scope). */
export const BOT_EVENTS = ['app_home_opened'] as const;
