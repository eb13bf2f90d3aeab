import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createApp, type MeshApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { FileStore } from '../../../src/store/index.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { ALICE, BOT_TOKEN, CHANNEL, isPost } from '../../support/harness.js';

type Json = Record<string, unknown>;

/** Slack's side of Socket Mode: hands the app envelopes over a WebSocket and collects its acks. */
class FakeSocketSlack {
  readonly acks: Json[] = [];
  private socket: WebSocket | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private connected: Promise<void>;

  constructor(fake: FakeSlack) {
    const server = (fake as unknown as { server: Server }).server;
    this.connected = new Promise((resolve) => {
      server.on('upgrade', (req, socket, head) => {
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          this.socket = ws;
          ws.on('message', (data) => this.acks.push(JSON.parse(String(data)) as Json));
          ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
          resolve();
        });
      });
    });
  }

  ready(): Promise<void> {
    return this.connected;
  }

  /** Sends a slash command as an envelope and resolves with the app's ack. */
  async command(text: string): Promise<Json> {
    const envelopeId = randomUUID();
    this.socket?.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          team_id: ALICE.team,
          channel_id: CHANNEL,
          user_id: ALICE.id,
          user_name: 'alice',
          command: '/mesh-help',
          text,
          api_app_id: 'A0MESH',
          response_url: 'http://127.0.0.1:9/never',
          trigger_id: 'trigger-socket',
        },
      }),
    );
    for (let i = 0; i < 100; i++) {
      const ack = this.acks.find((a) => a.envelope_id === envelopeId);
      if (ack) return ack;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ack for ${text}`);
  }

  close(): void {
    this.wss.close();
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects through apps.connections.open, acks commands over the socket and posts the interview', async () => {
    const fake = await new FakeSlack().start();
    const socket = new FakeSocketSlack(fake);
    const dataDir = mkdtempSync(join(tmpdir(), 'mesh-socket-'));
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: 'xapp-test-token',
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      MESH_HELP_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
    });
    expect(config.mode).toBe('socket');
    const mesh: MeshApp = await createApp(config, {
      store: new FileStore(dataDir, { durable: false }),
      retryConfig: { retries: 0 },
    });
    cleanup = async () => {
      await mesh.stop();
      socket.close();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    await mesh.start();
    await socket.ready();
    const open = fake.called('apps.connections.open')[0];
    expect(open?.token).toBe('xapp-test-token');

    const help = await socket.command('help');
    expect(JSON.stringify(help.payload)).toMatch(/mesh-help start/);

    await socket.command('start Behind the firewall');
    const root = await fake.waitFor((c) => isPost(c) && c.params.thread_ts === undefined, 5000, 'the root message');
    expect(String(root.params.text)).toContain('Behind the firewall');
    await fake.waitFor((c) => isPost(c) && typeof c.params.thread_ts === 'string', 5000, 'the first question');

    // The health check listens on PORT in Socket Mode too.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
  });
});
