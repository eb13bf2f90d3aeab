/** Starts the Slack bot (see src/slack). */
export async function startApp(_env: NodeJS.ProcessEnv): Promise<void> {
  throw new Error('The Slack bot is not built yet; run without SLACK_BOT_TOKEN for the terminal interview.');
}
