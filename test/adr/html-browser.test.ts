import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli/main.js';
import { type Browser, findChromium, launchChromium, type Page } from '../support/chromium.js';

/** Screenshots are kept here for people to look at (git-ignored). */
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

let dir: string;
let file: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-html-'));
  const io: Io = {
    out: () => undefined,
    err: (t) => {
      throw new Error(t);
    },
    env: { MESH_HELP_DATA_DIR: join(dir, 'data'), USER: 'alice' },
    stdinIsTTY: false,
    now: () => new Date('2026-11-26T12:00:00Z'),
  };
  const answers = (name: string, value: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(value));
    return f;
  };
  const multi = answers('m.json', { clusters: 'multi-region', pains: ['region-failover'], cni: 'cilium' });
  const one = answers('o.json', { clusters: 'one' });
  expect(await run(['interview', '--answers', multi, '--accept', '--title', 'Adopt a cluster mesh'], io)).toBe(0);
  expect(
    await run(
      [
        'interview',
        '--answers',
        one,
        '--accept',
        '--revisits',
        '1',
        '--title',
        'Stay <script>alert(1)</script> & plain',
      ],
      io,
    ),
  ).toBe(0);
  expect(
    await run(['interview', '--answers', one, '--title', 'Trial **Linkerd** [x](javascript:alert(1)) <img src=x>'], io),
  ).toBe(0);
  file = join(dir, 'decisions.html');
  expect(await run(['export', '--html', file], io)).toBe(0);
  browser = await launchChromium();
  page = browser.page;
  await page.send('Page.enable');
  await page.send('Network.enable');
  await page.send('Runtime.enable');
  await page.send('Log.enable');
  await page.send('Emulation.setDeviceMetricsOverride', {
    width: 1200,
    height: 1400,
    deviceScaleFactor: 1,
    mobile: false,
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh load of the page (through about:blank, so a hash-only change still loads it anew). */
async function open(hash = ''): Promise<void> {
  const blank = page.once('Page.loadEventFired');
  await page.send('Page.navigate', { url: 'about:blank' });
  await blank;
  const loaded = page.once('Page.loadEventFired');
  await page.send('Page.navigate', { url: `${pathToFileURL(file).href}${hash}` });
  await loaded;
}

async function keepScreenshot(name: string): Promise<Buffer> {
  const shot = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  const png = Buffer.from(shot.data, 'base64');
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), png);
  return png;
}

const visibleRows = () =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('tr[data-record]')].filter(r => !r.hidden && r.offsetParent !== null).map(r => r.cells[0].textContent)`,
  );
const visibleArticles = () =>
  page.evaluate<string[]>(`[...document.querySelectorAll('article')].filter(a => !a.hidden).map(a => a.id)`);
/** In the page: on how many lines an element's text lies (the distinct tops of its text's boxes). */
const TEXT_LINES = `(el => { const tops = new Set(), walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); while (walk.nextNode()) { const r = document.createRange(); r.selectNodeContents(walk.currentNode); for (const b of r.getClientRects()) if (b.width > 0) tops.add(Math.round(b.top)); } return tops.size; })`;
const openRecords = () =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('article')].filter(a => a.querySelector('details').open).map(a => a.id)`,
  );
const choose = (id: string, value: string) =>
  page.evaluate(
    `(() => { const el = document.getElementById(${JSON.stringify(id)}); el.value = ${JSON.stringify(value)}; el.dispatchEvent(new Event(${JSON.stringify(id === 'f-text' ? 'input' : 'change')})); return el.value; })()`,
  );

describe('the headless Chromium these tests need', () => {
  it('comes from npm when the system has none, and a CHROMIUM that is not a browser fails with how to fix it', async () => {
    const bundled = await findChromium({ PATH: '/nonexistent' });
    expect(bundled.source).toBe('npm');
    expect(statSync(bundled.path).size).toBeGreaterThan(50_000_000);
    await expect(findChromium({ CHROMIUM: '/nonexistent/chrome' })).rejects.toThrow(/not an executable file/);
  });

  it('prefers a system browser: CHROMIUM when set, else one on PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'mesh-fake-chromium-'));
    try {
      const fake = join(bin, 'chromium');
      writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
      expect(await findChromium({ PATH: `/nonexistent:${bin}` })).toEqual({ path: fake, env: {}, source: 'PATH' });
      expect(await findChromium({ PATH: '/nonexistent', CHROMIUM: fake })).toEqual({
        path: fake,
        env: {},
        source: 'CHROMIUM',
      });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('mesh-help export --html in headless Chromium', () => {
  it('renders the index, the supersede graph and every record, with user text shown as text', async () => {
    await open();
    expect(await page.evaluate('document.title')).toBe('Decision records of team local');
    expect(await visibleRows()).toEqual(['ADR-0001', 'ADR-0002', 'ADR-0003']);
    expect(await page.evaluate(`document.querySelectorAll('article').length`)).toBe(3);
    expect(await page.evaluate(`document.getElementById('count').textContent`)).toBe('3 of 3 records shown');
    // Titles people typed are text: no element, script or link came from them.
    expect(await page.evaluate(`document.querySelectorAll('script').length`)).toBe(1);
    expect(await page.evaluate(`document.querySelectorAll('img, strong a, a[href^="javascript"]').length`)).toBe(0);
    expect(await page.evaluate(`document.querySelector('#adr-0002 h2').textContent`)).toBe(
      'Stay <script>alert(1)</script> & plain',
    );
    expect(await page.evaluate(`document.querySelector('#adr-0003 h2').textContent`)).toBe(
      'Trial **Linkerd** [x](javascript:alert(1)) <img src=x>',
    );
    // The MADR sections are there, as HTML.
    const headings = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#adr-0001 h3')].map(h => h.textContent)`,
    );
    expect(headings).toEqual([
      'Context and Problem Statement',
      'Decision Drivers',
      'Considered Options',
      'Decision Outcome',
      'Pros and Cons of the Options',
      'More Information',
    ]);
    // The graph: an SVG whose nodes link to the records, and the same as a list.
    expect(
      await page.evaluate(`[...document.querySelectorAll('#graph svg a')].map(a => a.getAttribute('href'))`),
    ).toEqual(['#adr-0001', '#adr-0002']);
    expect(await page.evaluate(`document.querySelector('#graph li').textContent`)).toBe('ADR-0002 supersedes ADR-0001');
    expect(await page.evaluate(`document.querySelector('#graph svg').getBoundingClientRect().width > 0`)).toBe(true);
  });

  it('draws each record’s recommended topology as an inline SVG figure; the screenshot is kept', async () => {
    await open();
    const figure = `document.querySelector('#adr-0001 figure.topology svg')`;
    const box = await page.evaluate<{ width: number; height: number }>(
      `(() => { const r = ${figure}.getBoundingClientRect(); return { width: r.width, height: r.height }; })()`,
    );
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThan(150);
    expect(await page.evaluate(`${figure}.getAttribute('aria-label')`)).toMatch(
      /^Recommended topology: 2 to 5 clusters in two regions/,
    );
    expect(await page.evaluate(`${figure}.textContent`)).toContain('Cilium ClusterMesh');
    // Under the record's own heading for it, in place of the Mermaid source.
    expect(
      await page.evaluate(`${figure}.closest('figure').previousElementSibling.previousElementSibling.textContent`),
    ).toBe('Recommended topology');
    expect(await page.evaluate(`document.querySelectorAll('article figure.topology svg').length`)).toBe(3);
    expect(
      await page.evaluate(`[...document.querySelectorAll('pre')].some(p => p.textContent.includes('flowchart'))`),
    ).toBe(false);
    await page.evaluate(`${figure}.scrollIntoView({ block: 'center' })`);
    await keepScreenshot('html-export-topology.png');
  });

  it('filters by status, pattern and text, and from the address (#status=…)', async () => {
    await open();
    await choose('f-status', 'accepted');
    expect(await visibleRows()).toEqual(['ADR-0002']);
    expect(await visibleArticles()).toEqual(['adr-0002']);
    expect(await page.evaluate(`document.getElementById('count').textContent`)).toBe('1 of 3 records shown');
    await choose('f-status', '');
    await choose('f-pattern', 'cluster-mesh');
    expect(await visibleRows()).toEqual(['ADR-0001']);
    await choose('f-pattern', 'plain-kubernetes');
    expect(await visibleRows()).toEqual(['ADR-0002', 'ADR-0003']);
    await choose('f-text', 'linkerd');
    expect(await visibleRows()).toEqual(['ADR-0003']);
    await keepScreenshot('html-export-filtered.png');
    await choose('f-status', 'rejected');
    expect(await visibleRows()).toEqual([]);
    expect(await page.evaluate(`document.getElementById('none').hidden`)).toBe(false);

    await open('#status=superseded');
    expect(await page.evaluate(`document.getElementById('f-status').value`)).toBe('superseded');
    expect(await visibleRows()).toEqual(['ADR-0001']);
  });

  it('links: every in-page link has its target, and following them lands on the record', async () => {
    await open();
    const broken = await page.evaluate<string[]>(
      `[...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)))`,
    );
    expect(broken).toEqual([]);
    expect(await page.evaluate(`document.querySelectorAll('a[href^="#adr-"]').length`)).toBeGreaterThan(6);
    const hashed = page.once('Page.navigatedWithinDocument');
    await page.evaluate(`document.querySelector('#index a[href="#adr-0002"]').click()`);
    await hashed;
    expect(await page.evaluate(`document.querySelector(':target').id`)).toBe('adr-0002');
    expect(await page.evaluate(`Math.abs(document.getElementById('adr-0002').getBoundingClientRect().top) < 100`)).toBe(
      true,
    );
    // Folded records open when linked, and only those.
    expect(await openRecords()).toEqual(['adr-0002']);
    // The superseded record links to its successor from its own text (a MADR link to 0002-….md).
    const again = page.once('Page.navigatedWithinDocument');
    await page.evaluate(`document.querySelector('#adr-0002 a[href="#adr-0001"]').click()`);
    await again;
    expect(await page.evaluate(`document.querySelector(':target').id`)).toBe('adr-0001');
    expect(await openRecords()).toEqual(['adr-0001', 'adr-0002']);
    expect(
      await page.evaluate(
        `[...document.querySelectorAll('#adr-0001 a')].some(a => a.getAttribute('href') === '#adr-0002')`,
      ),
    ).toBe(true);
  });

  it('opens a record linked from the address, its checklist drawn as checkboxes (screenshot kept)', async () => {
    await open();
    expect(await openRecords()).toEqual([]);
    await open('#adr-0001');
    expect(await openRecords()).toEqual(['adr-0001']);
    const boxes = await page.evaluate<{ type: string; disabled: boolean; width: number; height: number }[]>(
      `[...document.querySelectorAll('#adr-0001 li.task-list-item input')].map(i => { const r = i.getBoundingClientRect(); return { type: i.type, disabled: i.disabled, width: r.width, height: r.height }; })`,
    );
    expect(boxes.length).toBeGreaterThan(2);
    for (const b of boxes) {
      expect(b).toMatchObject({ type: 'checkbox', disabled: true });
      expect(b.width).toBeGreaterThan(8); // drawn, not collapsed away
      expect(b.height).toBeGreaterThan(8);
    }
    // No item shows the Markdown marker as text any more.
    expect(await page.evaluate(`document.getElementById('adr-0001').innerText.includes('[ ]')`)).toBe(false);
    await page.evaluate(
      `[...document.querySelectorAll('#adr-0001 h4')].find(h => h.textContent === 'Confirmation').scrollIntoView(); window.scrollBy(0, -90)`,
    );
    const png = await keepScreenshot('html-export-checklist.png');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('keeps the number, status and date of each index row on one line, even on a narrow screen', async () => {
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 420,
      height: 900,
      deviceScaleFactor: 1,
      mobile: false,
    });
    try {
      await open();
      const lines = await page.evaluate<number[]>(`[...document.querySelectorAll('#index td.nw')].map(${TEXT_LINES})`);
      expect(lines).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
      // The title column still wraps, so the narrow screen did squeeze the table.
      const title = `document.querySelector('#index tr[data-record="3"] td:nth-child(2)')`;
      expect(await page.evaluate(`(${TEXT_LINES})(${title})`)).toBeGreaterThan(1);
    } finally {
      await page.send('Emulation.setDeviceMetricsOverride', {
        width: 1200,
        height: 1400,
        deviceScaleFactor: 1,
        mobile: false,
      });
    }
  });

  it('makes no network request and breaks no rule of its Content-Security-Policy; the screenshot is kept', async () => {
    await open();
    const requested = page.events
      .filter((e) => e.method === 'Network.requestWillBeSent')
      .map((e) => String((e.params.request as { url: string }).url));
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith('file://'))).toEqual([]);
    const problems = page.events.filter(
      (e) =>
        e.method === 'Runtime.exceptionThrown' ||
        (e.method === 'Log.entryAdded' && (e.params.entry as { level: string }).level === 'error'),
    );
    expect(problems).toEqual([]);
    const png = await keepScreenshot('html-export.png');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(ARTIFACTS, 'html-export.png')).length).toBeGreaterThan(20_000);
  });
});
