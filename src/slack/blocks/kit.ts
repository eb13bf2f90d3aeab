import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { clip, escapeText } from '../escape.js';

/** Block Kit limits the builders keep to (shared/reference/slack-platform.md). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  text: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  optionText: 75,
  contextElements: 10,
  viewTitle: 24,
  privateMetadata: 3000,
} as const;

/** A message body: `text` is the notification fallback, always sent. */
export type Message = { text: string; blocks: KnownBlock[] };

export const mrkdwn = (text: string, max: number = LIMITS.text): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max),
});
export const plain = (text: string, max: number = LIMITS.text): PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

export const section = (text: string, extra: Partial<SectionBlock> = {}): SectionBlock => ({
  type: 'section',
  text: mrkdwn(text),
  ...extra,
});

/** A section of up to 10 fields; empty fields are dropped. */
export const fields = (items: string[]): SectionBlock => ({
  type: 'section',
  fields: items
    .filter((t) => t.trim())
    .slice(0, LIMITS.fields)
    .map((t) => mrkdwn(t, LIMITS.field)),
});

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, LIMITS.header) });
export const divider = (): DividerBlock => ({ type: 'divider' });
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)),
});

export const button = (text: string, actionId: string, value?: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: plain(text, LIMITS.buttonText),
  action_id: actionId,
  ...(value !== undefined ? { value } : {}),
  ...(style ? { style } : {}),
});

export const actions = (blockId: string, elements: ActionsBlock['elements']): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

/** Lines under a bold title, split over as many sections as the 3000-character limit needs. */
export function listSections(title: string, lines: string[], maxSections = 5): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = title ? `*${title}*` : '';
  for (const raw of lines) {
    const line = clip(raw, LIMITS.text - 10);
    if (current && current.length + 1 + line.length > LIMITS.text) {
      out.push(section(current));
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  if (out.length > maxSections) {
    const kept = out.slice(0, maxSections - 1);
    kept.push(section(`…and ${lines.length} lines in all; see App Home or the command line for the rest.`));
    return kept;
  }
  return out;
}

const USER_ID = /^[UWB][A-Z0-9]{2,30}$/;

/** A Slack user mention when the id looks like one; anything else ("terminal") as escaped text. */
export const who = (userId: string): string => (USER_ID.test(userId) ? `<@${userId}>` : escapeText(userId));

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;
export const channelRef = (channelId: string): string =>
  CHANNEL_ID.test(channelId) ? `<#${channelId}>` : escapeText(channelId);

/** The date part of an ISO time, for people. */
export const day = (iso: string): string => iso.slice(0, 10);
