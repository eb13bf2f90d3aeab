import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../../runtime/context.js';

type Uninstalled = SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs;
type Revoked = SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs;

/** Which install an event is about: Bolt skips authorization for these two, so the ids come from the envelope. */
const Envelope = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().optional(),
});
const RevokedTokens = z.object({
  tokens: z.object({ oauth: z.array(z.string()).optional(), bot: z.array(z.string()).optional() }),
});

function installOf(body: unknown, context: AllMiddlewareArgs['context']) {
  const e = Envelope.safeParse(body);
  const isEnterpriseInstall = (e.success ? e.data.is_enterprise_install : undefined) ?? context.isEnterpriseInstall;
  const enterpriseId = (e.success ? e.data.enterprise_id : undefined) ?? context.enterpriseId;
  const teamId = (e.success ? e.data.team_id : undefined) ?? context.teamId;
  return { teamId, enterpriseId: enterpriseId ?? undefined, isEnterpriseInstall: Boolean(isEnterpriseInstall) };
}

/** The app was removed from a workspace (or an org): its install, tokens included, is deleted. Teams' records stay. */
export function appUninstalled(deps: SlackDeps) {
  return async ({ body, context, logger }: Uninstalled): Promise<void> => {
    if (!deps.installs) return;
    const install = installOf(body, context);
    await deps.installs.deleteInstallation(install);
    logger.info(`mesh-help: uninstalled from ${install.isEnterpriseInstall ? install.enterpriseId : install.teamId}`);
  };
}

/** Tokens were revoked: a revoked bot token deletes the install; revoked user tokens are dropped from it. */
export function tokensRevoked(deps: SlackDeps) {
  return async ({ body, event, context }: Revoked): Promise<void> => {
    if (!deps.installs) return;
    const revoked = RevokedTokens.safeParse(event);
    if (!revoked.success) return;
    const install = installOf(body, context);
    if (revoked.data.tokens.bot?.length) await deps.installs.deleteInstallation(install);
    else if (revoked.data.tokens.oauth?.length) await deps.installs.dropUserToken(install);
  };
}
