// The baseline: a Bolt app on the same HTTP receiver whose only handlers ack. Nothing can be faster through Bolt.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200);
        res.end('{"ok":true}');
      },
    },
  ],
});
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN ?? '',
  botId: 'B0BOT',
  botUserId: 'U0BOT',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
});
app.command('/mesh-help', async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
const server = (await app.start(Number(process.env.PORT ?? 0))) as import('node:http').Server;
const address = server.address() as import('node:net').AddressInfo;
process.stderr.write(`bare-bolt: listening on :${address.port}\n`);
