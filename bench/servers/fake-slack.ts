// The fake Slack Web API in its own process, so serving the bot's calls does not slow the load generator.
// Prints one JSON line {apiUrl, url, control}; GET {control}/questions returns every posted q:clusters message.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlack } from '../../test/support/fake-slack.js';

const fake = await new FakeSlack().start();
const control = createServer((req, res) => {
  const messages = [...fake.messages.values()];
  const body =
    req.url === '/questions'
      ? messages.filter((m) => m.blocks.some((b) => b.block_id === 'q:clusters'))
      : { calls: fake.calls.length, violations: fake.violations.length };
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
// Keep memory flat over thousands of calls: the bench needs messages, not the call log.
setInterval(() => fake.calls.splice(0, Math.max(0, fake.calls.length - 1000)), 1000).unref();
process.stdout.write(
  `${JSON.stringify({ apiUrl: fake.apiUrl, url: fake.url, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`,
);
