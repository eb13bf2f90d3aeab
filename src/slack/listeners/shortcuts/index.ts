import type { App, MessageShortcut } from '@slack/bolt';
import { CALLBACKS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import { afterAck } from '../../runtime/work.js';
import { startFromThread } from './from-thread.js';

/** Shortcuts (manifest.yml `features.shortcuts`). */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: CALLBACKS.fromThread },
    afterAck(deps.work, startFromThread(deps)),
  );
}
