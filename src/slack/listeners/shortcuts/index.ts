import { CALLBACKS } from '../../ids.js';
import type { SlackDeps } from '../../runtime/context.js';
import type { Routes, ShortcutArgs } from '../../runtime/routes.js';
import { afterAck } from '../../runtime/work.js';
import { startFromThread } from './from-thread.js';

/** Shortcuts (manifest.yml `features.shortcuts`). */
export function register(shortcuts: Routes<ShortcutArgs>, deps: SlackDeps): void {
  // A message shortcut's payload has type message_action; the router sends only those here.
  shortcuts.on(CALLBACKS.fromThread, afterAck(deps.work, startFromThread(deps)));
}
