// The fake Slack Web API in its own process, so serving the bot's calls does not slow the load generator.
// Prints one JSON line {apiUrl, url, control}; GET {control}/questions returns every posted q:clusters message.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlack } from '../../test/support/fake-slack.js';

// Block Kit checks wait until they are asked for, so the fake's CPU stays out of the latency figures.
const fake = await new FakeSlack({ deferChecks: true }).start();
const control = createServer((req, res) => {
  const messages = [...fake.messages.values()];
  if (req.url === '/stats') fake.checkPending();
  const body =
    req.url === '/questions'
      ? messages.filter((m) => m.blocks.some((b) => b.block_id === 'q:clusters'))
      : { calls: fake.calls.length, violations: fake.violations.length };
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(
  `${JSON.stringify({ apiUrl: fake.apiUrl, url: fake.url, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`,
);
