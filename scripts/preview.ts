// `npm run preview`: runs one sample interview through the real app (signed requests against the loopback
// fake Slack Web API of the tests), collects the messages and modals the bot really sent, and writes
// preview/index.html (imitating Slack's layout) and PNG screenshots of it taken in headless Chromium.
// Usage: npx tsx scripts/preview.ts [out-dir]   (default: preview/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checklistPayload } from '../test/support/driver.js';
import type { StoredMessage } from '../test/support/fake-slack.js';
import {
  ALICE,
  actionPayload,
  BOB,
  CHANNEL,
  type Harness,
  selectPayload,
  startHarness,
} from '../test/support/harness.js';
import { controls, visibleChars } from '../test/support/visible.js';
import { answerAll, hasAction, startWalk, TWO_REGIONS_ON_ISTIO, viewClickPayload } from '../test/support/walk.js';
import { type Browser, findChromium, launchChromium } from './browser.js';
import { message, modal, type Pane, page, type ShownMessage } from './preview/html.js';

type Json = Record<string, unknown>;

const DECISIONS = 'C0DECIDE';
const TITLE = 'Payments across two regions';

export const PROFILE = TWO_REGIONS_ON_ISTIO;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Everything the walk saw, in the order a person would meet it. */
type Walk = {
  rootTs: string;
  asked: string[];
  details: Json[];
  /** The private answer to `/mesh-help compare`. */
  comparePrivate: Json | undefined;
  uploaded: string | undefined;
  /** The recommendation card's ts (it keeps no Accept button once accepted). */
  cardTs: string;
  /** The card as the team first saw it, before anyone decided. */
  cardBefore: StoredMessage;
};

async function walk(h: Harness): Promise<Walk> {
  const step = async (payload: Json) => {
    const res = await h.interact(payload);
    if (res.status !== 200) throw new Error(`Slack would see HTTP ${res.status} for a click`);
    await h.idle();
  };
  await h.command(`config channel <#${DECISIONS}|decisions>`);
  await h.idle();
  const rootTs = await startWalk(h, TITLE);
  const asked = await answerAll(h, rootTs, PROFILE);
  const card = h.fake
    .thread(CHANNEL, rootTs)
    .filter((m) => hasAction(m, 'decision:accept'))
    .at(-1);
  if (!card) throw new Error(`no recommendation card after ${asked.length} answers`);

  // Details, and any deeper page it offers.
  const details: Json[] = [];
  const beforeDetails = h.fake.calls.length;
  if (hasAction(card, 'details:open')) {
    await step(actionPayload(h.fake, card, 'details:open', BOB));
    const opened = h.fake.calls.find((c) => c.seq > beforeDetails && c.method === 'views.open');
    if (opened) {
      const view = opened.params.view as Json;
      details.push(view);
      for (const deeper of ['details:tools', 'details:ruled-out', 'details:compare']) {
        if (!hasAction(view as { blocks: Json[] }, deeper)) continue;
        const at = h.fake.calls.length;
        await step(viewClickPayload(h, view, deeper, BOB));
        const pushed = h.fake.calls.find((c) => c.seq > at && c.method === 'views.push');
        if (pushed) details.push(pushed.params.view as Json);
      }
    }
  }

  const cardBefore = structuredClone(card);
  await step(actionPayload(h.fake, card, 'decision:accept', BOB));
  // Tick three readiness checks, as three people would over a week.
  for (const n of [0, 1, 2]) {
    const checklist = h.fake.thread(CHANNEL, rootTs).find((m) => checklistKeys(m).length > 0);
    const key = checklist ? checklistKeys(checklist)[n] : undefined;
    if (!checklist || !key) break;
    await step(checklistPayload(h, checklist, key, n === 1 ? BOB : ALICE));
  }
  const decision = h.fake.thread(CHANNEL, rootTs).find((m) => hasAction(m, 'decision:export-menu'));
  let uploaded: string | undefined;
  if (decision) {
    const at = h.fake.calls.length;
    await step(selectPayload(h.fake, decision, 'decision:export-menu', 'upload', ALICE));
    const asked = h.fake.calls.find((c) => c.seq > at && c.method === 'files.getUploadURLExternal');
    uploaded = asked ? String(asked.params.filename) : undefined;
  }
  // The command's answer comes back in the HTTP response (the ack), as Slack receives it.
  const res = await h.command('compare', BOB);
  const reply = (await res.json().catch(() => ({}))) as Json;
  await h.idle();
  const comparePrivate = reply.response_type === 'ephemeral' ? reply : undefined;
  return { rootTs, asked, details, comparePrivate, uploaded, cardTs: card.ts, cardBefore };
}

/** The item keys of a readiness checklist's checkboxes, in order; none for any other message. */
const checklistKeys = (m: StoredMessage): string[] =>
  m.blocks
    .filter((b) => typeof b.block_id === 'string' && b.block_id.startsWith('checklist:'))
    .flatMap((b) => (Array.isArray(b.elements) ? (b.elements as Json[]) : []))
    .filter((e) => e.type === 'checkboxes')
    .flatMap((e) => ((e.options ?? []) as Json[]).map((o) => String(o.value)));

const clock = (i: number) => `${9 + Math.floor(i / 60)}:${String(i % 60).padStart(2, '0')} AM`;

/** Messages of one place, oldest first, shaped for the page. */
function shown(msgs: StoredMessage[], extra: (m: StoredMessage) => Partial<ShownMessage> = () => ({})) {
  return msgs.map((m, i) => ({
    blocks: m.blocks,
    text: m.text,
    time: clock(i),
    ...(m.user ? { author: m.user } : {}),
    ...extra(m),
  }));
}

function broadcastTs(h: Harness): Set<string> {
  const out = new Set<string>();
  for (const c of h.fake.called('chat.postMessage')) {
    if (c.params.reply_broadcast !== true) continue;
    for (const m of h.fake.messages.values())
      if (m.thread_ts === c.params.thread_ts && m.text === c.params.text) out.add(m.ts);
  }
  return out;
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'preview');
  mkdirSync(out, { recursive: true });
  const h = await startHarness();
  let browser: Browser | undefined;
  try {
    const w = await walk(h);
    const broadcast = broadcastTs(h);
    const thread = h.fake.thread(CHANNEL, w.rootTs);
    const channel = [...h.fake.messages.values()]
      .filter((m) => m.channel === CHANNEL && (!m.thread_ts || m.thread_ts === m.ts || broadcast.has(m.ts)))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    const decisions = [...h.fake.messages.values()].filter((m) => m.channel === DECISIONS);
    const card = thread.find((m) => m.ts === w.cardTs);
    const decisionCard = thread.find((m) => hasAction(m, 'decision:export-menu'));

    // The numbers the issue holds the bot to, printed so a reviewer sees them beside the picture.
    const figures = [
      `${w.asked.length} questions asked`,
      card ? `card: ${card.blocks.length} blocks, ${visibleChars(card.blocks)} characters` : 'no card',
      `thread: ${thread.length} bot messages, ${thread.reduce((n, m) => n + controls(m.blocks), 0)} controls, ${thread.reduce((n, m) => n + visibleChars(m.blocks), 0)} characters`,
      `channel: ${channel.length} messages`,
      `details: ${w.details.length} page(s)`,
      `compare: ${w.comparePrivate ? 'private' : 'not private'}`,
    ];
    for (const f of figures) log(`preview: ${f}`);

    const threadShown = shown(thread, (m) => ({
      ...(broadcast.has(m.ts) ? { broadcast: true } : {}),
      ...(m === decisionCard ? { id: 'decision' } : {}),
    }));
    if (w.uploaded) threadShown.push({ blocks: [], text: '', time: clock(thread.length), file: w.uploaded });
    const rootMsg = h.fake.message(CHANNEL, w.rootTs);
    const panes: Pane[] = [
      {
        title: '# platform',
        subtitle: `${channel.length} messages from mesh-help`,
        id: 'channel',
        html: shown(channel, (m) => (m.ts === w.rootTs ? { replies: thread.length } : {}))
          .map(message)
          .join(''),
      },
      {
        title: 'Thread',
        subtitle: rootMsg ? `# platform · ${thread.length} bot replies` : '',
        id: 'thread',
        html: threadShown.map(message).join(''),
      },
      {
        title: 'The recommendation card',
        subtitle: 'as posted, before the decision',
        html: message({
          blocks: w.cardBefore.blocks,
          text: w.cardBefore.text,
          time: clock(w.asked.length),
          id: 'card',
        }),
      },
      {
        title: 'Details (modal)',
        subtitle: `${w.details.length} page(s)`,
        id: 'details',
        html: w.details.map((v, i) => modal(v, `modal-${i}`)).join('') || '<div class="note">No Details button.</div>',
      },
      {
        title: 'Elsewhere',
        subtitle: '# decisions and private replies',
        id: 'elsewhere',
        html: [
          '<div class="note"># decisions</div>',
          ...shown(decisions).map(message),
          '<div class="note">/mesh-help compare, as bob sees it</div>',
          ...(w.comparePrivate
            ? [
                message({
                  blocks: (w.comparePrivate.blocks ?? []) as Json[],
                  text: String(w.comparePrivate.text ?? ''),
                  ephemeral: true,
                  time: clock(1),
                  id: 'compare',
                }),
              ]
            : []),
        ].join(''),
      },
    ];
    const html = page(`mesh-help preview: ${TITLE}`, panes, figures.join(' · '));
    const htmlFile = join(out, 'index.html');
    writeFileSync(htmlFile, html);
    log(`preview: wrote ${htmlFile}`);
    if (h.fake.violations.length) log(`preview: Block Kit problems:\n  ${h.fake.violations.join('\n  ')}`);

    const binary = await findChromium();
    log(`preview: Chromium from ${binary.source}: ${binary.path}`);
    browser = await launchChromium();
    await screenshots(browser, htmlFile, out);
  } finally {
    await browser?.close();
    await h.close();
  }
}

/** The whole page, and the card, the thread and the decision card on their own (for the README). */
async function screenshots(browser: Browser, htmlFile: string, out: string): Promise<void> {
  const { page: p } = browser;
  await p.send('Page.enable');
  await p.send('Emulation.setDeviceMetricsOverride', {
    width: 2400,
    height: 1000,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const loaded = p.once('Page.loadEventFired');
  await p.send('Page.navigate', { url: `file://${htmlFile}` });
  await loaded;
  const size = await p.evaluate<{ w: number; h: number }>(
    '({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight })',
  );
  const shots: [string, string][] = [
    ['preview.png', ''],
    ['card.png', '#card'],
    ['thread.png', '#thread'],
    ['decision-card.png', '#decision'],
    ['details.png', '#modal-0'],
    ['channel.png', '#channel'],
    ['elsewhere.png', '#elsewhere'],
  ];
  for (const [file, selector] of shots) {
    const clip = selector
      ? await p.evaluate<{ x: number; y: number; width: number; height: number } | null>(
          `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; const r = e.getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }; })()`,
        )
      : { x: 0, y: 0, width: size.w, height: size.h };
    if (!clip) continue;
    const shot = await p.send<{ data: string }>('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: { ...clip, scale: 1 },
    });
    writeFileSync(join(out, file), Buffer.from(shot.data, 'base64'));
    log(`preview: wrote ${join(out, file)} (${Math.round(clip.width)}×${Math.round(clip.height)})`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`preview failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
