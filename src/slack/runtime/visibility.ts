import type { WebClient } from '@slack/web-api';
import type { TeamDoc } from '../../store/index.js';
import { privateConversation, privateConversations, type Visible, visiblePart } from '../../team/visibility.js';
import type { SlackDeps } from './context.js';
import { slackError } from './failures.js';

/**
 * Whether a conversation is private. DMs (D…) and older private channels and
 * group DMs (G…) are known by their id; a C… id is asked of Slack
 * (conversations.info: `channels:read`, `groups:read`). When Slack cannot say,
 * the conversation counts as private: a record hidden by mistake can be found
 * in its own channel, one shown by mistake cannot be taken back.
 */
export async function isPrivateConversation(deps: SlackDeps, client: WebClient, channel: string): Promise<boolean> {
  if (/^[GD]/.test(channel)) return true;
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel;
    return Boolean(c?.is_private || c?.is_im || c?.is_mpim || c?.is_group);
  } catch (err) {
    deps.logger.warn(
      `mesh-help: could not tell whether ${channel} is private (${slackError(err)}); treating it as private`,
    );
    return true;
  }
}

/** Is this person a member of the conversation (conversations.members, first 1,000)? A failure says no. */
async function isMember(
  deps: SlackDeps,
  client: WebClient,
  conversation: string,
  user: string,
  doc: TeamDoc,
): Promise<boolean> {
  if (conversation.startsWith('D')) {
    // The bot's DM with one person: whoever started or decided there.
    return [...doc.sessions, ...doc.decisions].some(
      (x) =>
        privateConversation(x) === conversation &&
        ('startedBy' in x ? x.startedBy === user : x.createdBy === user || x.decidedBy === user),
    );
  }
  try {
    const res = await client.conversations.members({ channel: conversation, limit: 1000 });
    return (res.members ?? []).includes(user);
  } catch (err) {
    deps.logger.warn(`mesh-help: could not list the members of ${conversation}: ${slackError(err)}`);
    return false;
  }
}

/** What one person may see in their App Home: public records, and private ones of conversations they are in. */
export async function visibleToUser(deps: SlackDeps, client: WebClient, doc: TeamDoc, user: string): Promise<Visible> {
  const allowed = new Set<string>();
  for (const conversation of privateConversations(doc)) {
    if (await isMember(deps, client, conversation, user, doc)) allowed.add(conversation);
  }
  return visiblePart(doc, (x) => {
    const conversation = privateConversation(x);
    return conversation === undefined || allowed.has(conversation);
  });
}
