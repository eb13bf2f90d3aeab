import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LISTENED_EVENTS } from '../../src/slack/listeners/events/index.js';
import { BOT_EVENTS, BOT_SCOPES } from '../../src/slack/runtime/scopes.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
  display_information: { name: string; description: string; long_description: string };
  features: {
    bot_user: { display_name: string };
    slash_commands: { command: string; description: string; usage_hint?: string; url?: string }[];
    app_home: { home_tab_enabled: boolean };
    shortcuts?: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
};

/** Every source file under src/slack, to see which listeners and Web API methods the code uses. */
function sources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) =>
      e.isDirectory()
        ? sources(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? readFileSync(join(dir, e.name), 'utf8')
          : '',
    )
    .join('\n');
}
const code = sources(join(root, 'src', 'slack'));

describe('manifest.yml', () => {
  it('declares exactly the bot scopes and events the code declares in scopes.ts', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
  });

  it('every event the code listens to is in BOT_EVENTS, and every one in BOT_EVENTS is listened to', () => {
    // Bolt's `message` listener receives both message.channels and message.groups.
    const listened = LISTENED_EVENTS.flatMap((e) => (e === 'message' ? ['message.channels', 'message.groups'] : [e]));
    // The events are routed from that list by the one router (routes.ts); nothing listens through Bolt directly.
    expect(code).toMatch(/for \(const type of LISTENED_EVENTS\) events\.on\(type/);
    expect(code).not.toMatch(/app\.(event|message|action|view|command|shortcut|options)\(/);
    expect([...new Set(listened)].sort()).toEqual([...BOT_EVENTS].sort());
  });

  it('every scope is needed by something the code calls, and what the code calls is covered', () => {
    const needs: Record<string, RegExp> = {
      commands: /commands\.on\(\s*COMMAND,/,
      'chat:write': /chat\.(postMessage|update|postEphemeral)\(/,
      'files:write': /filesUploadV2\(/,
      'channels:history': /message/,
      'groups:history': /message/,
      'app_mentions:read': /app_mention/,
      'users:read': /client\.users\.info\(/,
      'channels:read': /client\.conversations\.info\(/,
      'groups:read': /client\.conversations\.(info|members)\(/,
    };
    // The history and mention scopes are for the events listened to; the others for what the code calls.
    const listened = LISTENED_EVENTS.join(' ');
    const eventScopes = new Set(['channels:history', 'groups:history', 'app_mentions:read']);
    for (const scope of BOT_SCOPES)
      expect(eventScopes.has(scope) ? listened : code, scope).toMatch(needs[scope] ?? /^$/);
    // Calls that would need scopes we do not ask for (conversations.replies/history read threads and channels: the
    // history scopes;
    // users.info is all users:read is for, conversations.info/members all channels:read and groups:read are for).
    expect(code).not.toMatch(
      /client\.files\.|client\.users\.(?!info\()|client\.conversations\.(?!(replies|history|info|members)\()|app\.message\(/,
    );
  });

  it('has the /mesh-help command with description and usage hint, App Home, interactivity and Socket Mode', () => {
    const cmd = manifest.features.slash_commands.find((c) => c.command === '/mesh-help');
    expect(cmd?.description.length).toBeGreaterThan(10);
    expect(cmd?.usage_hint).toContain('start');
    expect(cmd?.url).toBeUndefined();
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.display_information.name).toBe('mesh-help');
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description.length;
    expect(long).toBeGreaterThanOrEqual(175);
    expect(long).toBeLessThanOrEqual(4000);
  });

  it('declares the message shortcut the code listens for, and no other', () => {
    const declared = (manifest.features.shortcuts ?? []).map((x) => `${x.type}:${x.callback_id}`);
    expect(declared).toEqual(['message:interview:from_thread']);
    expect(code).toMatch(/shortcuts\.on\(CALLBACKS\.fromThread,/);
    expect(code).toMatch(
      /\.with\(\{ type: 'message_action' \}, \(\) => \{\s*const a = args as ShortcutArgs;\s*return routes\.shortcuts\.run\(/,
    );
    for (const x of manifest.features.shortcuts ?? []) expect(x.name.length).toBeLessThanOrEqual(24);
  });
});
