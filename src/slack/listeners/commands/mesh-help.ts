import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { match, P } from 'ts-pattern';
import { orgLog } from '../../../team/org-log.js';
import { visibleIn } from '../../../team/visibility.js';
import { privateComparison } from '../../blocks/comparison.js';
import { channelDecisions } from '../../blocks/decisions.js';
import { helpMessage, menuMessage, noticeMessage } from '../../blocks/menu.js';
import { orgLogMessage } from '../../blocks/org-log.js';
import { escapeText } from '../../escape.js';
import { CommandBody } from '../../payloads.js';
import type { SlackDeps } from '../../runtime/context.js';
import { orgScopeFor, orgTeamsFor } from '../../runtime/org-teams.js';
import { uploadLog, uploadNotice } from '../../use-cases/export.js';
import { startInterview } from '../../use-cases/interview.js';
import { publishFromSlack } from '../../use-cases/publish.js';
import { resumeInterview, startNotice } from '../../use-cases/resume.js';
import { configFromSlack } from '../../use-cases/settings.js';
import { openSettings } from '../../use-cases/settings-form.js';
import { parseCommand, suggest } from './parse.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export { notInChannelHint } from '../../notices/start-hint.js';

/** `/mesh-help [subcommand]`: acknowledged at once; anything that reads the store or posts happens after. */
export function meshHelpCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, client, context }: Args): Promise<void> => {
    const parsed = CommandBody.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: 'I could not read that command.' });
      deps.logger.warn(`mesh-help: malformed slash command: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const body = parsed.data;
    const ephemeral = (m: { text: string; blocks: unknown[] }) =>
      ack({ response_type: 'ephemeral', text: m.text, blocks: m.blocks as never });
    await match(parseCommand(body.text))
      .with({ kind: 'menu' }, () => ephemeral(menuMessage()))
      .with({ kind: 'help' }, () => ephemeral(helpMessage(deps.flow)))
      .with({ kind: 'resume' }, async () => {
        await ack();
        const reply = await resumeInterview(deps, client, {
          teamId: body.team_id,
          channel: body.channel_id,
          user: body.user_id,
          userTeam: body.team_id,
        });
        await respond({ response_type: 'ephemeral', ...reply });
      })
      .with({ kind: 'unknown' }, (c) => ephemeral(helpMessage(deps.flow, c)))
      .with({ kind: 'export', to: { bad: P.string } }, (c) => ephemeral(noticeMessage(c.to.bad)))
      .with({ kind: 'export', to: P.union('pr', 'git') }, async (c) => {
        await ack();
        const reply = await publishFromSlack(deps, {
          teamId: body.team_id,
          user: body.user_id,
          to: c.to,
          request: body.trigger_id,
        });
        await respond({ response_type: 'ephemeral', ...reply });
      })
      .with({ kind: 'export', to: 'slack' }, async () => {
        await ack();
        const uploaded = await uploadLog(deps, client, {
          teamId: body.team_id,
          channel: body.channel_id,
          user: body.user_id,
        });
        const notice = uploadNotice(uploaded);
        if (notice) await respond({ response_type: 'ephemeral', ...notice });
      })
      .with({ kind: 'config', change: { kind: 'form' } }, async () => {
        await ack();
        // The settings as a form; where Slack gives no trigger to open one, as text.
        const opened = await openSettings(deps, client, { teamId: body.team_id, triggerId: body.trigger_id });
        if (opened) return;
        const reply = await configFromSlack(deps, client, {
          teamId: body.team_id,
          user: body.user_id,
          change: { kind: 'show' },
        });
        await respond({ response_type: 'ephemeral', ...reply });
      })
      .with({ kind: 'config' }, async (c) => {
        await ack();
        const reply = await configFromSlack(deps, client, {
          teamId: body.team_id,
          user: body.user_id,
          change: c.change,
        });
        await respond({ response_type: 'ephemeral', ...reply });
      })
      .with({ kind: 'compare' }, async (c) => {
        const known = deps.flow.patterns.map((p) => p.id);
        const unknown = c.patterns.filter((p) => !known.includes(p));
        if (unknown.length) {
          const hints = unknown.map((u) => {
            const s = suggest(u, known);
            return `\`${escapeText(u.slice(0, 40))}\`${s ? ` (did you mean \`${s}\`?)` : ''}`;
          });
          await ephemeral(
            noticeMessage(`I don’t know ${hints.join(', ')}. Patterns: ${known.map((k) => `\`${k}\``).join(', ')}.`),
          );
          return;
        }
        // Private first (issue #17); its Share in channel button posts it for everyone.
        const msg = privateComparison(deps.flow, [...new Set(c.patterns)]);
        await ack({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
      })
      .with({ kind: 'decisions', all: { bad: P.string } }, (c) => ephemeral(noticeMessage(c.all.bad)))
      .with({ kind: 'decisions', all: { filters: P.select() } }, async (filters) => {
        await ack();
        // Which teams: decided from the install that authorized the request (one workspace, its Grid org, or
        // with one bot token every team for the bot's own workspace), never from an absent value.
        const scope = orgScopeFor(deps, context);
        const ids = await orgTeamsFor(deps, scope);
        const read = await Promise.allSettled(ids.map((id) => deps.store.read(id)));
        // One unreadable team file must not hide everyone else's log; `mesh-help store check` names it.
        for (const r of read)
          if (r.status === 'rejected')
            deps.logger.warn(`mesh-help: organisation log skipped a team: ${String(r.reason)}`);
        // Records of private conversations show only in their own conversation, as in the team's own log.
        const teams = read.flatMap((r) =>
          r.status === 'fulfilled'
            ? [{ ...r.value, decisions: r.value.decisions.filter((d) => visibleIn(d, body.channel_id)) }]
            : [],
        );
        const log = orgLog(deps.flow, teams, filters);
        const onlyOwn = scope.kind === 'workspace' || scope.kind === 'none';
        await respond({ response_type: 'ephemeral', ...orgLogMessage(deps.flow, log, filters, onlyOwn) });
      })
      .with({ kind: 'decisions' }, async () => {
        await ack();
        await respond({
          response_type: 'ephemeral',
          ...channelDecisions(deps, await deps.store.read(body.team_id), body.channel_id),
        });
      })
      .with({ kind: 'start', scopeError: P.string }, (c) => ephemeral(noticeMessage(escapeText(c.scopeError))))
      .with({ kind: 'start' }, async (c) => {
        await ack();
        const started = await startInterview(deps, client, {
          teamId: body.team_id,
          channel: body.channel_id,
          user: body.user_id,
          title: c.title,
          revisits: c.revisits,
          scope: c.scope,
          request: body.trigger_id,
        });
        const notice = startNotice(started, body.team_id);
        if (notice) await respond({ response_type: 'ephemeral', ...notice });
      })
      .exhaustive();
  };
}
